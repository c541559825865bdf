package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.PlanContext;
import io.cutover.Rollout;
import io.cutover.RolloutResult;
import io.cutover.event.RolloutEvent;
import io.cutover.plan.Step;
import io.cutover.sim.Behaviour;
import io.cutover.sim.Scenario;
import io.cutover.sim.Simulation;
import io.cutover.sim.SimulationReport;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** After a canary takes all traffic, stable stays up for the scale-down delay and an abort switches straight back. */
class CanaryRollbackWindowTest {

    private static final Deployment CANARY = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(1)).build();

    private static boolean inWindow(World w) {
        return w.events(RolloutEvent.StepStarted.class).stream().anyMatch(e -> e.step().startsWith(Step.Pause.ROLLBACK_WINDOW));
    }

    @Test
    void byDefaultStableStaysAtFullScaleForThirtySecondsAfterTheCandidateTookAllTraffic() {
        World w = World.weighted(4);
        RolloutResult result = w.start(CANARY).await();
        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        Instant switched = w.events(RolloutEvent.TrafficChanged.class).stream()
                .filter(e -> e.split().candidateWeight() == 100).findFirst().orElseThrow().at();
        Instant promoted = w.events(RolloutEvent.Promoted.class).get(0).at();
        assertThat(Duration.between(switched, promoted)).isEqualTo(Duration.ofSeconds(30));
        assertThat(w.snapshots).filteredOn(s -> !s.event().at().isBefore(switched) && s.event().at().isBefore(promoted))
                .isNotEmpty().allSatisfy(s -> assertThat(s.stableReady()).isEqualTo(4));
        assertThat(w.platform.stableRevision()).isEqualTo("v2");
        assertThat(w.platform.violations()).isEmpty();
    }

    @Test
    void anAbortDuringTheWindowSwitchesTrafficBackWithOneRouterWriteAndNoStableScaling() {
        World w = World.weighted(4);
        Rollout r = w.start(Deployment.canary().steps(25, 50).scaleDownDelay(Duration.ofMinutes(10)).drainDelay(Duration.ofSeconds(20)).build());
        w.time.runUntil(() -> inWindow(w), Duration.ofHours(1));
        assertThat(w.platform.read().candidateWeight()).isEqualTo(100);
        int seen = w.snapshots.size();
        Instant abortAt = w.time.now();

        r.abort("users report errors");
        RolloutResult result = r.await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        var after = w.snapshots.subList(seen, w.snapshots.size());
        var traffic = after.stream().map(World.Snapshot::event).filter(RolloutEvent.TrafficChanged.class::isInstance)
                .map(RolloutEvent.TrafficChanged.class::cast).toList();
        assertThat(traffic).hasSize(1);
        assertThat(traffic.get(0).split().isStableOnly()).isTrue();
        assertThat(traffic.get(0).at()).as("traffic back at the moment of the abort").isEqualTo(abortAt);
        assertThat(after).map(World.Snapshot::event).filteredOn(RolloutEvent.ReplicasChanged.class::isInstance)
                .map(e -> ((RolloutEvent.ReplicasChanged) e).role()).containsOnly(Role.CANDIDATE.name());
        assertThat(after).allSatisfy(s -> assertThat(s.stableReady()).isEqualTo(4));
        assertThat(w.platform.stableRevision()).isEqualTo("v1");
        assertThat(w.platform.desiredReplicas(Role.CANDIDATE)).isZero();
        assertThat(w.platform.read().isStableOnly()).isTrue();
        assertThat(w.platform.violations()).isEmpty();
    }

    @Test
    void afterTheWindowTheCandidateIsStableAndAnAbortIsRefused() {
        World w = World.weighted(4);
        Rollout r = w.start(CANARY);
        assertThat(r.await().phase()).isEqualTo(Phase.SUCCEEDED);
        assertThatThrownBy(() -> r.abort("too late")).isInstanceOf(IllegalStateException.class);
        assertThat(w.platform.stableRevision()).isEqualTo("v2");
    }

    @Test
    void aZeroScaleDownDelayPromotesAtOnce() {
        World w = World.weighted(4);
        w.start(Deployment.canary().steps(50).scaleDownDelay(Duration.ZERO).build()).await();
        Instant switched = w.events(RolloutEvent.TrafficChanged.class).stream()
                .filter(e -> e.split().candidateWeight() == 100).findFirst().orElseThrow().at();
        assertThat(w.events(RolloutEvent.Promoted.class).get(0).at()).isEqualTo(switched);
        assertThat(inWindow(w)).isFalse();
    }

    @Test
    void aReplicaRatioRouterHasNoWindowBecauseStableReplicasLeftUpWouldTakeTraffic() {
        var plan = CANARY.plan(new PlanContext(4, EnumSet.of(RouterCapability.REPLICA_RATIO)));
        assertThat(plan.steps()).noneMatch(s -> s instanceof Step.Pause p && p.rollbackWindow());
        assertThat(CANARY.plan().steps()).filteredOn(s -> s instanceof Step.Pause p && p.rollbackWindow()).hasSize(1);
    }

    @Test
    void theSimulationTimelineShowsTheWindow() {
        Scenario scenario = Scenario.builder().stable(Revision.of("v1", "app:v1"), 4, Behaviour.healthy())
                .candidate(Revision.of("v2", "app:v2"), Behaviour.healthy()).build();
        SimulationReport report = Simulation.run(Deployment.canary().steps(50).scaleDownDelay(Duration.ofMinutes(2)).build(), scenario);
        assertThat(report.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(report.timeline()).map(SimulationReport.TimelineEntry::what)
                .anyMatch(what -> what.endsWith("rollback window PT2M: stable kept, an abort switches back at once"));
        var window = report.timeline().stream().filter(e -> e.what().contains("rollback window")).findFirst().orElseThrow();
        assertThat(window.candidateWeight()).isEqualTo(100);
        assertThat(window.stableReady()).isEqualTo(4);
    }

    @Test
    void aNegativeScaleDownDelayIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> Deployment.canary().scaleDownDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("scaleDownDelay must not be negative: PT-1S");
    }
}
