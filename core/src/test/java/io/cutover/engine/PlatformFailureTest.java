package io.cutover.engine;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.CutoverException;
import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the engine does when the platform refuses: retry within a budget, pause, or end FAILED saying where traffic is. */
class PlatformFailureTest {

    static final Deployment CANARY = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(5))
            .gate(successRate(0.95)).build();

    /** A router over the simulated one that fails as told. */
    static final class FlakyRouter implements TrafficRouter {
        final TrafficRouter real;
        final AtomicInteger transientFailuresLeft = new AtomicInteger();
        volatile boolean refuseStableOnly;

        FlakyRouter(TrafficRouter real) {
            this.real = real;
        }

        @Override
        public Set<RouterCapability> capabilities() {
            return real.capabilities();
        }

        @Override
        public void apply(TrafficSplit split) {
            if (transientFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw CutoverException.transientFailure("apply", "429 too many requests", null);
            }
            if (refuseStableOnly && split.isStableOnly()) {
                throw CutoverException.permanent("apply", "403 forbidden: cannot patch route", null);
            }
            real.apply(split);
        }

        @Override
        public TrafficSplit read() {
            return real.read();
        }
    }

    static Target flaky(Fixture f, FlakyRouter router) {
        return f.target.toBuilder().router(router).build();
    }

    @Test
    void transientFailuresWithinTheBudgetAreRetriedOnTheScheduler() {
        Fixture f = Fixture.healthy();
        FlakyRouter router = new FlakyRouter(f.platform);
        router.transientFailuresLeft.set(5); // budget is 6 in a row
        RolloutResult result = f.engine.start("app", CANARY, Fixture.V2, flaky(f, router)).await();
        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(router.transientFailuresLeft.get()).isZero();
    }

    @Test
    void aSpentBudgetPausesWithTheReasonAndResumeGoesOn() {
        Fixture f = Fixture.healthy();
        FlakyRouter router = new FlakyRouter(f.platform);
        router.transientFailuresLeft.set(7);
        Rollout r = f.engine.start("app", CANARY, Fixture.V2, flaky(f, router));
        RolloutResult paused = r.await();
        assertThat(paused.phase()).isEqualTo(Phase.PAUSED);
        assertThat(paused.reason()).startsWith("retry budget of 6 spent: 429 too many requests");
        assertThat(f.platform.read()).isEqualTo(TrafficSplit.stableOnly()); // never advanced blind
        r.resume();
        assertThat(r.await().phase()).isEqualTo(Phase.SUCCEEDED);
    }

    @Test
    void aRollbackThePlatformRefusesEndsFailedWithTheExactTrafficState() {
        Fixture f = Fixture.failing(0.3);
        FlakyRouter router = new FlakyRouter(f.platform);
        router.refuseStableOnly = true;
        RolloutResult result = f.engine.start("app", CANARY, Fixture.V2, flaky(f, router)).await();
        assertThat(result.phase()).isEqualTo(Phase.FAILED);
        assertThat(result.reason()).contains("403 forbidden");
        assertThat(result.split()).isEqualTo(TrafficSplit.weighted(10)).isEqualTo(f.platform.read());
        assertThat(f.events(RolloutEvent.Failed.class)).singleElement()
                .satisfies(e -> assertThat(e.split().candidateWeight()).isEqualTo(10));
        // stable was never scaled down, and the candidate still serving its 10% was not scaled away
        assertThat(f.platform.desiredReplicas(io.cutover.spi.Role.STABLE)).isEqualTo(4);
        assertThat(f.platform.desiredReplicas(io.cutover.spi.Role.CANDIDATE)).isPositive();
    }

    @Test
    void abortOnAFailedRolloutTriesTheRollbackAgain() {
        Fixture f = Fixture.failing(0.3);
        FlakyRouter router = new FlakyRouter(f.platform);
        router.refuseStableOnly = true;
        Rollout r = f.engine.start("app", CANARY, Fixture.V2, flaky(f, router));
        assertThat(r.await().phase()).isEqualTo(Phase.FAILED);
        router.refuseStableOnly = false; // the permission came back
        r.abort("retry the rollback");
        RolloutResult result = r.await();
        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(f.platform.read()).isEqualTo(TrafficSplit.stableOnly());
    }

    @Test
    void transientFailuresWhileRollingBackHaveTheirOwnLargerBudget() {
        Fixture f = Fixture.failing(0.3);
        FlakyRouter router = new FlakyRouter(f.platform);
        Rollout r = f.engine.start("app", CANARY, Fixture.V2, flaky(f, router));
        f.time.runUntil(() -> r.phase() == Phase.ABORTING, Duration.ofHours(1));
        router.transientFailuresLeft.set(15); // more than the 6 of a step, fewer than the 20 of a rollback
        assertThat(r.await().phase()).isEqualTo(Phase.ABORTED);
        assertThat(router.transientFailuresLeft.get()).isZero();
    }
}
