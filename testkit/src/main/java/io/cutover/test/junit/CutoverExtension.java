package io.cutover.test.junit;

import io.cutover.Deployment;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.sim.Behaviour;
import io.cutover.sim.Scenario;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.sim.Simulation;
import io.cutover.spi.Revision;
import io.cutover.state.InMemoryStateStore;
import io.cutover.time.VirtualScheduler;
import io.cutover.view.RolloutTimeline;
import io.cutover.view.TimelineHtml;
import io.cutover.view.TimelineRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Gives each test a simulated platform and an engine on virtual time, records every rollout's timeline, shuts
 * the engine down after the test, and when the test fails writes the timeline picture and names its file in
 * the failure.
 *
 * <pre>{@code
 * class MyReleaseTest {
 *     @RegisterExtension
 *     CutoverExtension cutover = CutoverExtension.of(Scenario.builder()
 *             .stable(Revision.of("v1", "app:v1"), 5, Behaviour.healthy())
 *             .candidate(Revision.of("v2", "app:v2"), Behaviour.healthy().withErrorRate(0.2))
 *             .build());
 *
 *     @Test
 *     void rollsBack() {
 *         Rollout rollout = cutover.start(canary);
 *         rollout.await();                               // drives virtual time
 *         assertThat(cutover.timeline(rollout)).endedIn(Phase.ABORTED).detectedWithin(Duration.ofMinutes(2));
 *     }
 * }
 * }</pre>
 *
 * Test methods may also take a {@link VirtualScheduler}, a {@link SimulatedPlatform}, a {@link RolloutEngine} or the
 * {@link TimelineRecorder} as parameters. With {@code @ExtendWith(CutoverExtension.class)} the world is the default
 * one: stable {@code v1} with 5 healthy replicas, a healthy candidate {@code v2}. Pictures go to
 * {@code target/cutover-timelines/} unless {@link #picturesIn(Path)} says otherwise. One test at a time per instance.
 */
public final class CutoverExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler {

    /** Where virtual time starts, the same instant as {@link Simulation}'s. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final Scenario scenario;
    private final Path pictures;
    private World world;

    /** The default world (for {@code @ExtendWith}). */
    public CutoverExtension() {
        this(Scenario.builder().stable(Revision.of("v1", "app:v1"), 5, Behaviour.healthy())
                .candidate(Revision.of("v2", "app:v2"), Behaviour.healthy()).build(), Path.of("target", "cutover-timelines"));
    }

    private CutoverExtension(Scenario scenario, Path pictures) {
        this.scenario = scenario;
        this.pictures = pictures;
    }

    /**
     * The world {@code scenario} describes: revisions, behaviours, load, router, seed and poll interval.
     *
     * @param scenario the world each test starts from
     * @return an extension to register with {@code @RegisterExtension}
     */
    public static CutoverExtension of(Scenario scenario) {
        return new CutoverExtension(Objects.requireNonNull(scenario, "scenario"), Path.of("target", "cutover-timelines"));
    }

    /**
     * The same extension writing failing tests' pictures into {@code directory}.
     *
     * @param directory where the SVG and HTML timelines of failing tests are written; created if missing
     * @return a copy of this extension with that directory
     */
    public CutoverExtension picturesIn(Path directory) {
        return new CutoverExtension(scenario, Objects.requireNonNull(directory, "directory"));
    }

    /** The pieces of one test's world. */
    private record World(VirtualScheduler time, SimulatedPlatform platform, RolloutEngine engine, TimelineRecorder recorder) { }

    @Override
    public void beforeEach(ExtensionContext context) {
        VirtualScheduler time = new VirtualScheduler(START);
        SimulatedPlatform platform = Simulation.platform(scenario, time);
        TimelineRecorder recorder = new TimelineRecorder((rollout, role) -> platform.readyReplicas(role));
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withStateStore(new InMemoryStateStore())
                .pollInterval(scenario.pollInterval()).onEvent(recorder).build();
        world = new World(time, platform, engine, recorder);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (world != null) {
            world.engine().shutdown();
            world = null;
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (world != null && !world.recorder().timelines().isEmpty()) {
            String name = context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName().replaceAll("[^A-Za-z0-9._-]", "_");
            try {
                Path file = TimelineHtml.write(pictures.resolve(name + ".html"), world.recorder().timelines()).toAbsolutePath();
                context.publishReportEntry("cutover.timeline", file.toUri().toString());
                failure.addSuppressed(new TimelinePicture(file));
            } catch (RuntimeException e) {
                failure.addSuppressed(e); // the picture is a help; the test's own failure is what matters
            }
        }
        throw failure;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == VirtualScheduler.class || type == SimulatedPlatform.class || type == RolloutEngine.class
                || type == TimelineRecorder.class || type == CutoverExtension.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        World w = current();
        if (type == VirtualScheduler.class) {
            return w.time();
        } else if (type == SimulatedPlatform.class) {
            return w.platform();
        } else if (type == RolloutEngine.class) {
            return w.engine();
        } else if (type == TimelineRecorder.class) {
            return w.recorder();
        }
        return this;
    }

    /**
     * The virtual clock and scheduler of the current test.
     *
     * @return the scheduler whose virtual clock every part of the test shares
     */
    public VirtualScheduler time() {
        return current().time();
    }

    /**
     * The simulated platform of the current test.
     *
     * @return the platform built from the scenario for this test
     */
    public SimulatedPlatform platform() {
        return current().platform();
    }

    /**
     * The engine of the current test, on virtual time; it is shut down after the test.
     *
     * @return the engine bound to this test's virtual time and an in-memory state store
     */
    public RolloutEngine engine() {
        return current().engine();
    }

    /**
     * Starts the scenario's candidate under {@code deployment} on the platform, named after the scenario's application.
     *
     * @param deployment the strategy to run
     * @return the running rollout; call {@link #advance(Duration)} or {@link Rollout#await()} to move it
     */
    public Rollout start(Deployment deployment) {
        return engine().start(scenario.application(), deployment, scenario.candidate(), platform().target(scenario.application()));
    }

    /**
     * Moves virtual time on, running everything that falls due.
     *
     * @param duration how far to move the clock; zero runs what is due now
     */
    public void advance(Duration duration) {
        time().advance(duration);
    }

    /**
     * What {@code rollout} did so far.
     *
     * @param rollout a rollout started in this test
     * @return its timeline up to the current virtual instant
     */
    public RolloutTimeline timeline(Rollout rollout) {
        return current().recorder().timeline(rollout.name())
                .orElseThrow(() -> new IllegalStateException("no events recorded for rollout " + rollout.name()))
                .withRevisions(scenario.stable().name(), scenario.candidate().name());
    }

    /**
     * Every rollout's timeline so far.
     *
     * @return one timeline per rollout started in this test, in start order
     */
    public List<RolloutTimeline> timelines() {
        return current().recorder().timelines();
    }

    private World current() {
        if (world == null) {
            throw new IllegalStateException("no test is running: the extension's world exists from beforeEach to afterEach");
        }
        return world;
    }

    /** Attached to a failing test: where its timeline picture is. */
    public static final class TimelinePicture extends RuntimeException {
        TimelinePicture(Path file) {
            super("timeline picture of this test's rollouts: " + file.toUri(), null, false, false);
        }
    }
}
