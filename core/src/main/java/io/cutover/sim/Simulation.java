package io.cutover.sim;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.PlanContext;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.event.RolloutEvent;
import io.cutover.event.RolloutListener;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.state.InMemoryStateStore;
import io.cutover.state.RolloutState;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a deployment against a {@link SimulatedPlatform} on virtual time and reports what users
 * would have seen. Same scenario, same seed: same report.
 *
 * <p>A simulation is sealed: the plan's hooks are replaced by ones that pass without calling anything
 * (no webhook is POSTed), and a gate with a live source of its own is refused, unless the caller
 * allows the network with {@link #runWithNetwork}.
 *
 * <pre>{@code
 * SimulationReport report = Simulation.run(canary, scenario);
 * assertThat(report.phase()).isEqualTo(Phase.ABORTED);
 * assertThat(report.blastRadius()).isLessThan(500);
 * }</pre>
 */
public final class Simulation {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private Simulation() { }

    /**
     * Runs {@code deployment} in the world {@code scenario} describes, on virtual time, until the rollout
     * ends, waits for a person or reaches the scenario's limit. Nothing leaves the process: every hook
     * passes without being called, and a gate that reads a source of its own is refused.
     *
     * @param deployment the strategy
     * @param scenario   the revisions, their behaviour, the load, the router and the seed
     * @return the report: phase, timeline, requests, blast radius, time to detect and roll back, invariants
     * @throws IllegalArgumentException if a gate of the plan reads a source of its own
     */
    public static SimulationReport run(Deployment deployment, Scenario scenario) {
        return run(deployment, scenario, event -> { });
    }

    /**
     * Runs, and also hands every event to {@code listener} (to show progress, say).
     *
     * @param deployment the strategy
     * @param scenario   the revisions, their behaviour, the load, the router and the seed
     * @param listener   receives every event, in order
     * @return the report
     */
    public static SimulationReport run(Deployment deployment, Scenario scenario, RolloutListener listener) {
        return execute(deployment.editPlans(SimulationSeal::seal), scenario, listener);
    }

    /**
     * Runs with the plan as it is: its hooks are really called (webhooks POST to their receivers) and
     * gates with their own source query it. Only for a caller who means it.
     *
     * @param deployment the strategy
     * @param scenario   the revisions, their behaviour, the load, the router and the seed
     * @param listener   receives every event, in order
     * @return the report
     */
    public static SimulationReport runWithNetwork(Deployment deployment, Scenario scenario, RolloutListener listener) {
        return execute(deployment, scenario, listener);
    }

    private static SimulationReport execute(Deployment deployment, Scenario scenario, RolloutListener listener) {
        VirtualScheduler time = new VirtualScheduler(START);
        SimulatedPlatform platform = platform(scenario, time);
        var plan = deployment.plan(new PlanContext(scenario.stableReplicas(), scenario.router()));
        platform.allowUnavailable(plan.unavailableAllowed().resolve(scenario.stableReplicas()));
        Recorder recorder = new Recorder(platform, time);
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withStateStore(new InMemoryStateStore())
                .pollInterval(scenario.pollInterval()).onEvent(recorder).onEvent(listener).build();
        Rollout rollout = start(engine, deployment, scenario, platform, time);
        time.runUntil(() -> rollout.result().isDone() || rollout.phase() == Phase.PAUSED, scenario.limit());
        RolloutState end = rollout.status();
        engine.shutdown();
        return recorder.report(end, platform, rollout);
    }

    /** Starts as a careful caller would: a transient failure to read stable at start is tried again after a while. */
    private static Rollout start(RolloutEngine engine, Deployment deployment, Scenario scenario, SimulatedPlatform platform,
                                 VirtualScheduler time) {
        for (int attempt = 1; ; attempt++) {
            try {
                return engine.start(scenario.application(), deployment, scenario.candidate(), platform.target(scenario.application()));
            } catch (io.cutover.CutoverException e) {
                if (!e.isRetryable() || attempt >= 10) {
                    throw e;
                }
                time.advance(Duration.ofSeconds(attempt));
            }
        }
    }

    /**
     * The platform a scenario describes, on the given virtual time.
     *
     * @param scenario the revisions, their behaviour, the load, the router and the seed
     * @param time     the virtual scheduler the platform's replicas and requests follow
     * @return the platform with stable running, for the finer-control path
     */
    public static SimulatedPlatform platform(Scenario scenario, VirtualScheduler time) {
        return SimulatedPlatform.builder(time.clock())
                .seed(scenario.seed())
                .stable(scenario.stable(), scenario.stableReplicas(), scenario.stableBehaviour())
                .behaviour(scenario.candidate().name(), scenario.candidateBehaviour())
                .router(scenario.router().toArray(RouterCapability[]::new))
                .requestsPerSecond(scenario.requestsPerSecond())
                .transientFailures(scenario.transientFailures())
                .build();
    }

    /** Turns events into the timeline and the detection and rollback times. */
    private static final class Recorder implements RolloutListener {
        private final SimulatedPlatform platform;
        private final VirtualScheduler time;
        private final List<SimulationReport.TimelineEntry> timeline = new ArrayList<>();
        private int weight;
        private Instant firstTraffic;
        private Instant abortAt;
        private Instant rolledBackAt;

        Recorder(SimulatedPlatform platform, VirtualScheduler time) {
            this.platform = platform;
            this.time = time;
        }

        @Override
        public void onEvent(RolloutEvent event) {
            String what = null;
            if (event instanceof RolloutEvent.StepStarted s) {
                what = "step " + (s.index() + 1) + ": " + s.step();
            } else if (event instanceof RolloutEvent.Resumed) {
                what = "resumed";
            } else if (event instanceof RolloutEvent.TrafficChanged t) {
                weight = t.split().candidateWeight();
                if (firstTraffic == null && (weight > 0 || !t.split().candidateMatches().isEmpty() || t.split().mirrorPercent() > 0)) {
                    firstTraffic = t.at();
                }
                what = "traffic " + t.split();
            } else if (event instanceof RolloutEvent.StepStarted st && st.step().startsWith(io.cutover.plan.Step.Pause.ROLLBACK_WINDOW)) {
                what = st.step();
            } else if (event instanceof RolloutEvent.ReplicasChanged r) {
                what = "scale " + r.role().toLowerCase() + " to " + r.replicas();
            } else if (event instanceof RolloutEvent.MeasurementTaken m) {
                what = m.measurement().gate() + " " + m.measurement().verdict() + ": " + m.measurement().detail();
            } else if (event instanceof RolloutEvent.AbortStarted a) {
                abortAt = a.at();
                what = "abort: " + a.reason();
            } else if (event instanceof RolloutEvent.RolledBack r) {
                rolledBackAt = r.at();
                what = "rolled back";
            } else if (event instanceof RolloutEvent.Promoted p) {
                weight = 0;
                what = "promoted " + p.revision();
            } else if (event instanceof RolloutEvent.Paused p) {
                what = "paused: " + p.reason();
            } else if (event instanceof RolloutEvent.Succeeded) {
                what = "succeeded";
            } else if (event instanceof RolloutEvent.Failed f) {
                what = "FAILED: " + f.reason() + " with traffic " + f.split();
            }
            if (what != null) {
                timeline.add(new SimulationReport.TimelineEntry(Duration.between(START, event.at()), weight,
                        platform.readyReplicas(Role.STABLE), platform.readyReplicas(Role.CANDIDATE), what, event));
            }
        }

        SimulationReport report(RolloutState end, SimulatedPlatform platform, Rollout rollout) {
            Duration detect = abortAt != null && firstTraffic != null ? Duration.between(firstTraffic, abortAt) : null;
            Duration rollBack = abortAt != null && rolledBackAt != null ? Duration.between(abortAt, rolledBackAt) : null;
            return new SimulationReport(end.phase(), end.reason(), Duration.between(START, time.now()), List.copyOf(timeline),
                    platform.requestsByRevision(), platform.releaseFailures(), platform.userFailures(), detect, rollBack, platform.violations(),
                    rollout.platformReads(), rollout.platformWrites());
        }
    }
}
