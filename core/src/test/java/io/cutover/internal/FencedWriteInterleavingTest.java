package io.cutover.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.PlanContext;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.event.RolloutEvent;
import io.cutover.plan.Plan;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.spi.StateStore;
import io.cutover.spi.TrafficSplit;
import io.cutover.state.InMemoryStateStore;
import io.cutover.state.RolloutState;
import io.cutover.state.StateConflictException;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two engines on one store, with the interleaving scripted: engine B claims the rollout after engine A
 * decided to write and handed the write to a call thread, before the write reaches the platform. A
 * makes no platform write after B's claim, stops driving the rollout and says so; B finishes it.
 */
class FencedWriteInterleavingTest {

    static final Revision V1 = Revision.of("v1", "app:v1");
    static final Revision V2 = Revision.of("v2", "app:v2");
    static final Deployment BLUE_GREEN = Deployment.blueGreen().scaleDownDelay(Duration.ZERO).build();

    /**
     * Runs every task at once on the submitting thread (deterministic), and runs {@link #beforeNextCall}
     * between the hand-off of an SPI call ({@code submit}) and the call itself.
     */
    static final class ScriptedCallThreads extends AbstractExecutorService {
        volatile Runnable beforeNextCall;

        @Override
        public Future<?> submit(Runnable task) {
            Runnable interleave = beforeNextCall;
            beforeNextCall = null;
            return super.submit(() -> {
                if (interleave != null) {
                    interleave.run();
                }
                task.run();
            });
        }

        @Override public void execute(Runnable command) { command.run(); }
        @Override public void shutdown() { }
        @Override public List<Runnable> shutdownNow() { return List.of(); }
        @Override public boolean isShutdown() { return false; }
        @Override public boolean isTerminated() { return false; }
        @Override public boolean awaitTermination(long timeout, TimeUnit unit) { return true; }
    }

    @Test
    void anEngineClaimedBetweenItsDecisionAndItsWriteMakesNoPlatformWrite() throws Exception {
        VirtualScheduler time = new VirtualScheduler();
        StateStore store = InMemoryStateStore.encodingJson();
        SimulatedPlatform platform = SimulatedPlatform.builder(time.clock()).stable(V1, 4, Behaviour.healthy())
                .behaviour("v2", Behaviour.healthy()).build();
        Plan plan = BLUE_GREEN.plan(new PlanContext(4, platform.capabilities()));
        RolloutEngine engineB = RolloutEngine.builder().withScheduler(time).withStateStore(store).owner("engine-b").build();
        ScriptedCallThreads callThreads = new ScriptedCallThreads();
        List<RolloutEvent> eventsOfA = new CopyOnWriteArrayList<>();
        int[] writesAtClaim = {-1};
        Rollout[] byB = new Rollout[1];
        // when A starts the switch step, the step's first call is its write of 100%: B claims just before it runs
        EngineContext ctxA = new EngineContext(time.clock(), time, store, List.of(event -> {
            eventsOfA.add(event);
            if (event instanceof RolloutEvent.StepStarted s && s.step().startsWith("set candidate weight 100")) {
                callThreads.beforeNextCall = () -> {
                    byB[0] = engineB.resume("app", BLUE_GREEN, platform.target("app"));
                    writesAtClaim[0] = platform.writes();
                };
            }
        }), Duration.ofSeconds(5), PlatformCalls.RetrySettings.DEFAULT, callThreads, Duration.ofSeconds(30), "engine-a");
        RolloutState initial = RolloutState.initial("app", "app", V2, plan.fingerprint(), 4, "v1", time.now());
        String version = store.save("app", initial, null);
        RolloutRunner engineA = new RolloutRunner("app", plan, platform.target("app"), ctxA,
                new PlatformCalls("app", time.clock(), PlatformCalls.RetrySettings.DEFAULT), initial, version, r -> { });

        engineA.start();
        time.runUntil(() -> engineA.result().isDone(), Duration.ofHours(1));

        assertThat(writesAtClaim[0]).as("B claimed between A's decision and A's write").isPositive();
        assertThat(engineA.result()).isCompletedExceptionally();
        assertThat(engineA.result().handle((r, e) -> e).get()).isInstanceOf(StateConflictException.class);
        assertThat(eventsOfA).filteredOn(RolloutEvent.OwnershipLost.class::isInstance).hasSize(1);
        assertThat(platform.writes()).as("platform writes after B's claim, before B ran: A made none").isEqualTo(writesAtClaim[0]);
        assertThat(platform.read()).isEqualTo(TrafficSplit.stableOnly());

        assertThat(byB[0].await().phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(platform.stableRevision()).isEqualTo("v2");
        assertThat(platform.violations()).isEmpty();
        assertThat(store.load("app").orElseThrow().state().owner()).isEqualTo("engine-b");
    }
}
