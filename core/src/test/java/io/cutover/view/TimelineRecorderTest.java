package io.cutover.view;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.event.RolloutEvent;
import io.cutover.sim.Behaviour;
import io.cutover.sim.Scenario;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.sim.Simulation;
import io.cutover.sim.SimulationReport;
import io.cutover.spi.Revision;
import io.cutover.state.InMemoryStateStore;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineRecorderTest {

    static final Revision V1 = Revision.of("v1", "app:v1");
    static final Revision V2 = Revision.of("v2", "app:v2");

    static Deployment canary() {
        return Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5)).gate(successRate(0.95)).build();
    }

    static Scenario scenario(double errorRate) {
        return Scenario.builder().stable(V1, 5, Behaviour.healthy()).candidate(V2, Behaviour.healthy().withErrorRate(errorRate))
                .seed(7).build();
    }

    /** An engine on a simulated platform, recorded live; the same world the simulation builds. */
    record Live(VirtualScheduler time, SimulatedPlatform platform, RolloutEngine engine, TimelineRecorder recorder) {
        static Live of(Scenario scenario, boolean ready) {
            VirtualScheduler time = new VirtualScheduler(Instant0.START);
            SimulatedPlatform platform = Simulation.platform(scenario, time);
            TimelineRecorder recorder = ready ? new TimelineRecorder((rollout, role) -> platform.readyReplicas(role)) : new TimelineRecorder();
            RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withStateStore(new InMemoryStateStore()).onEvent(recorder).build();
            return new Live(time, platform, engine, recorder);
        }
    }

    /** The simulation's start, so both timelines count from the same instant. */
    static final class Instant0 {
        static final java.time.Instant START = java.time.Instant.parse("2026-01-01T00:00:00Z");
    }

    @Test
    void aLiveRecordingShowsWhatTheSimulationReportShows() {
        Scenario scenario = scenario(0.2);
        SimulationReport report = Simulation.run(canary(), scenario);
        Live live = Live.of(scenario, true);
        Rollout rollout = live.engine().start("app", canary(), V2, live.platform().target("app"));
        rollout.await();
        live.engine().shutdown();

        RolloutTimeline recorded = live.recorder().timeline("app").orElseThrow();
        RolloutTimeline simulated = RolloutTimeline.of("app", report);
        assertThat(recorded.phase()).isEqualTo(Phase.ABORTED).isEqualTo(simulated.phase());
        assertThat(recorded.timeToDetect()).isEqualTo(simulated.timeToDetect()).isPresent();
        assertThat(recorded.timeToRollBack()).isEqualTo(simulated.timeToRollBack());
        assertThat(recorded.replicas()).isEqualTo(RolloutTimeline.ReplicaCount.READY);
        assertThat(recorded.points()).extracting(p -> p.at() + " " + p.candidateWeight() + " " + p.stableReplicas() + " " + p.candidateReplicas())
                .containsExactlyElementsOf(simulated.points().stream()
                        .map(p -> p.at() + " " + p.candidateWeight() + " " + p.stableReplicas() + " " + p.candidateReplicas()).toList());
        assertThat(recorded.blastRadius()).as("a live stream does not know what users saw").isNull();
        assertThat(recorded.violations()).isNull();
    }

    @Test
    void withoutAReadinessFunctionItCountsRequestedReplicasAndLeavesStableUnknownUntilScaled() {
        Live live = Live.of(scenario(0.0), false);
        live.engine().start("app", canary(), V2, live.platform().target("app")).await();
        live.engine().shutdown();
        RolloutTimeline t = live.recorder().timeline("app").orElseThrow();
        assertThat(t.replicas()).isEqualTo(RolloutTimeline.ReplicaCount.REQUESTED);
        assertThat(t.points().get(0).stableReplicas()).isEqualTo(-1);
        assertThat(t.points()).filteredOn(p -> p.event() instanceof RolloutEvent.ReplicasChanged r && r.role().equalsIgnoreCase("candidate"))
                .extracting(RolloutTimeline.Point::candidateReplicas).first().isEqualTo(1);
        assertThat(t.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(t.candidateRevision()).as("learned from the promotion").isEqualTo("v2");
        assertThat(t.maxCandidateWeight()).as("the last step before promotion").isEqualTo(100);
    }

    @Test
    void oneTimelinePerRolloutInTheOrderTheyStarted() {
        Live live = Live.of(scenario(0.0), true);
        SimulatedPlatform other = Simulation.platform(scenario(0.2), live.time());
        Rollout a = live.engine().start("first", canary(), V2, live.platform().target("first"));
        Rollout b = live.engine().start("second", canary(), V2, other.target("second"));
        live.time().runUntil(() -> a.result().isDone() && b.result().isDone(), Duration.ofHours(2));
        live.engine().shutdown();
        List<RolloutTimeline> all = live.recorder().timelines();
        assertThat(all).extracting(RolloutTimeline::title).containsExactly("first", "second");
        assertThat(all).extracting(RolloutTimeline::phase).containsExactly(Phase.SUCCEEDED, Phase.ABORTED);
        assertThat(all.get(1).points()).allSatisfy(p -> assertThat(p.event().rollout()).isEqualTo("second"));
        assertThat(live.recorder().timeline("third")).isEmpty();
    }
}
