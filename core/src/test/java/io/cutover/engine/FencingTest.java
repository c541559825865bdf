package io.cutover.engine;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.event.RolloutEvent;
import io.cutover.fault.FaultInjector;
import io.cutover.fault.FaultKind;
import io.cutover.fault.Faults;
import io.cutover.spi.Role;
import io.cutover.spi.TrafficSplit;
import io.cutover.state.RolloutState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Once another engine has claimed a rollout, the old one writes neither state nor platform. */
class FencingTest {

    static final Deployment CANARY = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(2))
            .gate(successRate(0.95)).build();

    @Test
    void aStaleEngineInARetryBackoffWritesNoTrafficAfterAnotherEngineFinishedTheAbort() {
        Fixture f = Fixture.healthy();
        FaultInjector faults = FaultInjector.builder(1).rate(1).kinds(FaultKind.TRANSIENT)
                .only(op -> op.equals("router.apply")).build();
        faults.disable();
        FaultInjector applies = FaultInjector.builder(2).rate(0).only("router.apply"::equals).build();
        RolloutEngine a = RolloutEngine.builder().withScheduler(f.time).withStateStore(f.store).owner("engine-a")
                .backoff(Duration.ofMinutes(5), Duration.ofMinutes(5)).onEvent(f.events::add).build();
        Rollout first = a.start("app", CANARY, Fixture.V2, Faults.target(f.target, applies));
        f.time.runUntil(() -> first.status().split().candidateWeight() == 10, Duration.ofHours(1));
        applies.next(FaultKind.TRANSIENT); // the 50% write fails: engine A waits 5 minutes to try again
        f.time.runUntil(() -> first.status().attempts() > 0, Duration.ofHours(1));
        assertThat(f.platform.read().candidateWeight()).isEqualTo(10);

        RolloutEngine b = RolloutEngine.builder().withScheduler(f.time).withStateStore(f.store).owner("engine-b").build();
        Rollout second = b.resume("app", CANARY, f.target);
        second.abort("taken over");
        RolloutResult result = second.await();
        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        int writesAfterAbort = f.platform.writes();

        f.time.advance(Duration.ofHours(1)); // engine A's retry comes due
        assertThat(f.platform.read()).isEqualTo(TrafficSplit.stableOnly());
        assertThat(f.platform.desiredReplicas(Role.CANDIDATE)).isZero();
        assertThat(f.platform.writes()).as("platform writes by the fenced engine").isEqualTo(writesAfterAbort);
        assertThat(first.result()).isCompletedExceptionally();
        assertThat(f.events(RolloutEvent.OwnershipLost.class)).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("changed underneath"));
        RolloutState stored = f.store.load("app").orElseThrow().state();
        assertThat(stored.owner()).isEqualTo("engine-b");
        assertThat(stored.epoch()).isEqualTo(2);
        assertThat(stored.phase()).isEqualTo(Phase.ABORTED);
    }

    @Test
    void everyClaimAdvancesTheEpochByCompareAndSet() {
        Fixture f = Fixture.healthy();
        Deployment longPause = Deployment.canary().steps(50).pauseBetween(Duration.ofHours(1)).build();
        f.start(longPause);
        f.time.advance(Duration.ofMinutes(1));
        assertThat(f.store.load("app").orElseThrow().state().epoch()).isEqualTo(1);
        f.newEngine().resume("app", longPause, f.target);
        assertThat(f.store.load("app").orElseThrow().state().epoch()).isEqualTo(2);
        Rollout third = f.newEngine().resume("app", longPause, f.target);
        assertThat(f.store.load("app").orElseThrow().state().epoch()).isEqualTo(3);
        assertThat(third.await().phase()).isEqualTo(Phase.SUCCEEDED);
    }
}
