package io.cutover.engine;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutResult;
import io.cutover.event.RolloutEvent;
import io.cutover.plan.Plan;
import io.cutover.sim.Behaviour;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficSplit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CanaryRunTest {

    static final Deployment CANARY = Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5))
            .gate(successRate(0.95)).build();

    @Test
    void healthyCanaryWalksEveryWeightThenPromotes() {
        Fixture f = Fixture.healthy();
        RolloutResult result = f.start(CANARY).await();
        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(f.weights()).containsExactly(10, 25, 50, 75, 100);
        // after promotion the candidate is stable: what was 100% to the candidate reads as all to stable
        assertThat(f.platform.read()).isEqualTo(TrafficSplit.stableOnly());
        assertThat(f.platform.stableRevision()).isEqualTo("v2");
        assertThat(f.platform.desiredReplicas(Role.STABLE)).isEqualTo(4);
        assertThat(f.platform.desiredReplicas(Role.CANDIDATE)).isZero();
        assertThat(f.platform.violations()).isEmpty();
        assertThat(result.duration()).isBetween(Duration.ofMinutes(20), Duration.ofMinutes(22));
        // background gate: one round a minute through the 20 minutes of pauses
        assertThat(f.events(RolloutEvent.MeasurementTaken.class)).hasSizeBetween(18, 21)
                .allSatisfy(m -> assertThat(m.measurement().passed()).isTrue());
    }

    @Test
    void failingCanaryIsRolledBackBeforeTheCandidateIsScaledDown() {
        Fixture f = Fixture.failing(0.2);
        Rollout rollout = f.start(CANARY);
        RolloutResult result = rollout.await();
        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).startsWith("gate success-rate failed");
        assertThat(result.split()).isEqualTo(TrafficSplit.stableOnly());
        assertThat(f.platform.stableRevision()).isEqualTo("v1");
        assertThat(f.platform.desiredReplicas(Role.CANDIDATE)).isZero();
        // order: traffic to stable, then (after the drain delay) the candidate scaled to zero
        var traffic = f.events(RolloutEvent.TrafficChanged.class);
        var last = traffic.get(traffic.size() - 1);
        assertThat(last.split().candidateWeight()).isZero();
        var scaleDown = f.events(RolloutEvent.ReplicasChanged.class).stream()
                .filter(e -> e.role().equals("CANDIDATE") && e.replicas() == 0).findFirst().orElseThrow();
        assertThat(scaleDown.at()).isAfterOrEqualTo(last.at().plusSeconds(10));
        assertThat(f.weights()).containsExactly(10, 0);
    }

    @Test
    void withoutDrainDelayTheCandidateGoesDownRightAfterTrafficLeavesIt() {
        Fixture f = Fixture.failing(0.2);
        Deployment noDrain = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(5))
                .gate(successRate(0.95)).drainDelay(Duration.ZERO).build();
        assertThat(f.start(noDrain).await().phase()).isEqualTo(Phase.ABORTED);
        var back = f.events(RolloutEvent.TrafficChanged.class).stream().filter(e -> e.split().isStableOnly()).findFirst().orElseThrow();
        var down = f.events(RolloutEvent.ReplicasChanged.class).stream()
                .filter(e -> e.role().equals("CANDIDATE") && e.replicas() == 0).findFirst().orElseThrow();
        assertThat(down.at()).isEqualTo(back.at());
        assertThat(f.events.indexOf(down)).isGreaterThan(f.events.indexOf(back));
    }

    @Test
    void inconclusiveMeasurementPausesForAPersonWhoCanResume() {
        // the simulated platform answers no raw query: no data, which never passes
        Fixture slow = new Fixture(Behaviour.healthy());
        Rollout r = slow.engine.start("app", Deployment.canary().steps(50).pauseBetween(Duration.ofMinutes(3))
                .gate(io.cutover.gate.Gates.query("q", "up", io.cutover.gate.Condition.atLeast(1))).build(), Fixture.V2, slow.target);
        RolloutResult paused = r.await();
        assertThat(paused.phase()).isEqualTo(Phase.PAUSED);
        assertThat(paused.reason()).contains("inconclusive").contains("no data");
        assertThat(r.status().split().candidateWeight()).isEqualTo(50);
        r.promote();
        assertThat(r.await().phase()).isEqualTo(Phase.SUCCEEDED);
    }

    @Test
    void manualPauseAndResume() {
        Fixture f = Fixture.healthy();
        Rollout r = f.start(Deployment.canary().steps(20, 60).pauseBetween(Duration.ofMinutes(10)).build());
        f.time.advance(Duration.ofMinutes(2));
        assertThat(r.status().split().candidateWeight()).isEqualTo(20);
        r.pause("looking at dashboards");
        assertThat(r.phase()).isEqualTo(Phase.PAUSED);
        assertThat(r.status().reason()).isEqualTo("paused by a person: looking at dashboards");
        assertThatThrownBy(() -> r.pause("again")).isInstanceOf(IllegalStateException.class).hasMessageContaining("PAUSED");
        f.time.advance(Duration.ofHours(1));
        assertThat(r.status().split().candidateWeight()).isEqualTo(20); // nothing moved while paused
        r.resume();
        assertThat(r.await().phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(f.weights()).containsExactly(20, 60, 100);
    }

    @Test
    void aPauseUntilPromotedIsPausedWithItsReasonInStatusAndEvents() {
        Fixture f = Fixture.healthy();
        Rollout r = f.start(Deployment.canary().steps(20, 60).pauseUntilPromotedAt(20).build());
        RolloutResult atHold = r.await();
        assertThat(atHold.phase()).isEqualTo(Phase.PAUSED);
        assertThat(atHold.reason()).startsWith("waiting for a person to promote").contains("pause until promoted");
        assertThat(r.status().phase()).isEqualTo(Phase.PAUSED);
        assertThat(f.events(io.cutover.event.RolloutEvent.Paused.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).startsWith("waiting for a person to promote"));
        assertThat(r.status().split().candidateWeight()).isEqualTo(20);
        r.resume(); // resuming is not promoting: it waits again
        assertThat(r.await().phase()).isEqualTo(Phase.PAUSED);
        assertThat(r.status().split().candidateWeight()).isEqualTo(20);
        r.promote();
        assertThat(r.await().phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(f.weights()).containsExactly(20, 60, 100);
    }

    @Test
    void promoteFullySkipsRemainingPausesAndGates() {
        Fixture f = Fixture.healthy();
        Rollout r = f.start(CANARY);
        f.time.advance(Duration.ofMinutes(2));
        assertThat(r.status().split().candidateWeight()).isEqualTo(10);
        r.promoteFully();
        RolloutResult result = r.await();
        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(result.duration()).isLessThan(Duration.ofMinutes(4));
    }

    @Test
    void abortByAPersonThenRetry() {
        Fixture f = Fixture.healthy();
        Rollout r = f.start(CANARY);
        f.time.advance(Duration.ofMinutes(7));
        assertThat(r.status().split().candidateWeight()).isEqualTo(25);
        r.abort("wrong build");
        RolloutResult aborted = r.await();
        assertThat(aborted.phase()).isEqualTo(Phase.ABORTED);
        assertThat(aborted.reason()).isEqualTo("aborted by a person: wrong build");
        assertThat(f.platform.read()).isEqualTo(TrafficSplit.stableOnly());
        r.retry();
        RolloutResult retried = r.await();
        assertThat(retried.phase()).as(retried.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThatThrownBy(() -> r.abort("too late")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void candidateThatNeverBecomesReadyHitsTheProgressDeadline() {
        Fixture f = new Fixture(Behaviour.healthy().neverReadyReplicas());
        RolloutResult result = f.start(Deployment.canary().steps(10, 50).progressDeadline(Duration.ofMinutes(2)).build()).await();
        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("progress deadline PT2M exceeded").contains("candidate ready 0/1");
        assertThat(f.weights()).isEmpty(); // never any traffic to it
        assertThat(f.platform.violations()).isEmpty();
    }

    @Test
    void progressDeadlineCanPauseInstead() {
        Fixture f = new Fixture(Behaviour.healthy().neverReadyReplicas());
        RolloutResult result = f.start(Deployment.canary().steps(10).progressDeadline(Duration.ofMinutes(2))
                .onProgressDeadline(Plan.DeadlineAction.PAUSE).build()).await();
        assertThat(result.phase()).isEqualTo(Phase.PAUSED);
        assertThat(result.reason()).contains("progress deadline");
    }

    @Test
    void weightsOnAnAllOrNothingRouterAreRefusedBeforeAnythingChanges() {
        Fixture f = Fixture.allOrNothing();
        assertThatThrownBy(() -> f.start(CANARY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs router capabilities [WEIGHTED]");
        assertThat(f.platform.writes()).isZero();
        assertThat(f.engine.status("app")).isEmpty();
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheRollout() {
        Fixture f = Fixture.healthy();
        f.engine = io.cutover.RolloutEngine.builder().withScheduler(f.time).withStateStore(f.store)
                .onEvent(e -> { throw new IllegalStateException("listener bug"); }).onEvent(f.events::add).build();
        assertThat(f.start(CANARY).await().phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(f.events(RolloutEvent.Succeeded.class)).hasSize(1);
    }

    @Test
    void platformWritesEqualPlanChangesWithNoneRepeated() {
        Fixture f = Fixture.healthy();
        Rollout r = f.start(CANARY);
        r.await();
        // deploy 1, scale candidate 3 (25%, 50%, 75% of 4 -> 1, 2, 3: 1 is already there), weights 5, full scale 1,
        // promote 1, retire 1, reset to stable 0 (already stable after the swap)
        long changes = f.platform.log().size();
        assertThat(r.platformWrites()).isEqualTo(changes).isEqualTo(f.platform.writes());
        assertThat(f.platform.log()).doesNotHaveDuplicates();
    }
}
