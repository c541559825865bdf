package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.event.RolloutEvent;
import io.cutover.sim.Behaviour;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

import static io.cutover.gate.Gates.successRate;

/** A new revision while a rollout runs takes over safely, in one operation: {@code engine.update}. */
class SupersedeTest {

    static final Revision V3 = Revision.of("v3", "app:v3");
    static final Deployment CANARY = Deployment.canary().steps(20, 50).pauseBetween(Duration.ofMinutes(10))
            .gate(successRate(0.9)).build();

    /** A canary of v2 sitting at 20%. */
    static World at20Percent() {
        World w = World.weighted(4);
        w.start(CANARY);
        w.time.runUntil(() -> w.platform.read().candidateWeight() == 20, Duration.ofHours(1));
        assertThat(w.platform.read().candidateWeight()).isEqualTo(20);
        return w;
    }

    @Test
    void aNewRevisionMidCanaryRetiresTheCandidateSafelyThenStartsFromTheFirstStepWithStableUntouched() {
        World w = at20Percent();
        int before = w.snapshots.size();

        CompletableFuture<Rollout> update = w.engine.update("app", CANARY, V3, w.platform.target("app"));
        w.time.runUntil(update::isDone, Duration.ofHours(1));
        Rollout v3 = update.join();
        assertThat(v3.status().candidate()).isEqualTo(V3);
        assertThat(v3.await().phase()).isEqualTo(Phase.SUCCEEDED);

        List<World.Snapshot> after = w.snapshots.subList(before, w.snapshots.size());
        var abort = after.stream().map(World.Snapshot::event).filter(RolloutEvent.AbortStarted.class::isInstance)
                .map(RolloutEvent.AbortStarted.class::cast).findFirst().orElseThrow();
        assertThat(abort.reason()).contains("superseded by revision v3");
        int backToStable = indexOf(after, e -> e instanceof RolloutEvent.TrafficChanged t && t.split().isStableOnly());
        int v2Down = indexOf(after, e -> e instanceof RolloutEvent.ReplicasChanged r && r.role().equals("CANDIDATE") && r.replicas() == 0);
        int v3Traffic = indexOf(after, e -> e instanceof RolloutEvent.TrafficChanged t && t.split().candidateWeight() > 0);
        assertThat(backToStable).as("traffic back to stable before v2 is scaled down").isLessThan(v2Down);
        assertThat(v2Down).as("v2 gone before v3 gets traffic").isLessThan(v3Traffic);
        assertThat(((RolloutEvent.TrafficChanged) after.get(v3Traffic).event()).split().candidateWeight()).as("v3 from the first step").isEqualTo(20);
        assertThat(after.subList(0, v3Traffic)).allSatisfy(s -> assertThat(s.stableReady()).isEqualTo(4));
        assertThat(w.platform.stableRevision()).isEqualTo("v3");
        assertThat(w.platform.violations()).isEmpty();
    }

    @Test
    void reApplyingTheStableRevisionIsAnImmediateRollbackWhoseOutcomeSaysSo() {
        World w = at20Percent();
        int before = w.snapshots.size();

        Rollout r = w.engine.update("app", CANARY, World.V1, w.platform.target("app")).join();
        var result = r.await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("stable revision v1 re-applied");
        assertThat(result.split().isStableOnly()).isTrue();
        List<World.Snapshot> after = w.snapshots.subList(before, w.snapshots.size());
        assertThat(after.get(indexOf(after, e -> e instanceof RolloutEvent.TrafficChanged)).event().at())
                .as("traffic back at once").isEqualTo(after.get(0).event().at());
        assertThat(after).map(World.Snapshot::event).noneMatch(RolloutEvent.MeasurementTaken.class::isInstance);
        assertThat(w.platform.desiredReplicas(Role.CANDIDATE)).isZero();
        assertThat(w.platform.stableRevision()).isEqualTo("v1");
        assertThat(w.engine.status("app").orElseThrow().history()).anyMatch(h -> h.what().contains("stable revision v1 re-applied"));
    }

    @Test
    void updatingToTheRevisionInProgressLeavesItRunning() {
        World w = at20Percent();
        int before = w.snapshots.size();
        Rollout same = w.engine.update("app", CANARY, World.V2, w.platform.target("app")).join();
        assertThat(same.phase()).isEqualTo(Phase.PROGRESSING);
        assertThat(w.snapshots.subList(before, w.snapshots.size())).isEmpty();
        assertThat(same.await().phase()).isEqualTo(Phase.SUCCEEDED);
    }

    @Test
    void withNothingInProgressAnUpdateIsAStart() {
        World w = World.weighted(4);
        Rollout r = w.engine.update("app", CANARY, World.V2, w.platform.target("app")).join();
        assertThat(r.await().phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(w.platform.stableRevision()).isEqualTo("v2");
    }

    @Test
    void aRolloutInProgressOnAnotherEngineIsRefusedUntilResumedThere() {
        World w = at20Percent();
        RolloutEngine other = RolloutEngine.builder().withScheduler(w.time).withStateStore(w.store).build();
        assertThatThrownBy(() -> other.update("app", CANARY, V3, w.platform.target("app")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not driven by this engine");
        assertThat(w.platform.read().candidateWeight()).isEqualTo(20);
        assertThat(w.engine.status("app").orElseThrow().candidate()).isEqualTo(World.V2);
    }

    private static int indexOf(List<World.Snapshot> snapshots, java.util.function.Predicate<RolloutEvent> which) {
        for (int i = 0; i < snapshots.size(); i++) {
            if (which.test(snapshots.get(i).event())) {
                return i;
            }
        }
        throw new AssertionError("no such event");
    }
}
