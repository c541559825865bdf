package io.cutover.engine;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.plan.Plan;
import io.cutover.sim.Behaviour;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import io.cutover.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A platform that moves traffic on its own schedule (as CodeDeploy or an ECS service does): the write is
 * accepted at once and a later read shows it. With {@link RouterCapability#CONVERGING} the engine waits
 * for it within the progress deadline; every judgement and every scale-down happens only once the
 * simulated platform really serves the split.
 */
class ConvergingPlatformTest {

    private static final Duration SHIFT = Duration.ofMinutes(2);
    private static final Deployment CANARY = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(5))
            .gate(successRate(0.95)).build();

    /**
     * Over the simulated router: a split written is served {@code delay} later (a stable-only split after
     * {@code rollbackDelay}); a later write replaces one not yet served, a repeated one changes nothing.
     */
    static final class SlowRouter implements TrafficRouter {
        private final TrafficRouter real;
        private final Scheduler time;
        private final Duration delay;
        private final Duration rollbackDelay;
        private final boolean declares;
        private TrafficSplit pending;
        private Scheduler.Cancellable timer;

        SlowRouter(TrafficRouter real, Scheduler time, Duration delay, Duration rollbackDelay, boolean declares) {
            this.real = real;
            this.time = time;
            this.delay = delay;
            this.rollbackDelay = rollbackDelay;
            this.declares = declares;
        }

        @Override
        public Set<RouterCapability> capabilities() {
            Set<RouterCapability> caps = EnumSet.copyOf(real.capabilities());
            if (declares) {
                caps.add(RouterCapability.CONVERGING);
            }
            return caps;
        }

        @Override
        public synchronized void apply(TrafficSplit split) {
            if (split.equals(pending) || (pending == null && split.equals(real.read()))) {
                return;
            }
            if (timer != null) {
                timer.cancel();
            }
            Duration after = split.isStableOnly() ? rollbackDelay : delay;
            pending = split;
            if (after == null) {
                return; // never served
            }
            timer = time.schedule(() -> {
                synchronized (this) {
                    if (split.equals(pending)) {
                        real.apply(split);
                        pending = null;
                    }
                }
            }, after);
        }

        @Override
        public synchronized TrafficSplit read() {
            return real.read();
        }
    }

    private static Target slow(Fixture f, Duration delay, Duration rollbackDelay, boolean declares) {
        return f.target.toBuilder().router(new SlowRouter(f.platform, f.time, delay, rollbackDelay, declares)).build();
    }

    /** What the simulated platform really served when each event of a type was published. */
    private static List<TrafficSplit> servedAt(Fixture f, Class<? extends RolloutEvent> type, List<RolloutEvent> into) {
        List<TrafficSplit> served = new ArrayList<>();
        f.engine = io.cutover.RolloutEngine.builder().withScheduler(f.time).withStateStore(f.store).onEvent(e -> {
            f.events.add(e);
            if (type.isInstance(e)) {
                into.add(e);
                served.add(f.platform.read());
            }
        }).build();
        return served;
    }

    @Test
    void writesThePlatformShowsLaterSucceedWithoutSpendingTheRetryBudgetAndAreJudgedOnlyOnceServed() {
        Fixture f = Fixture.healthy();
        List<RolloutEvent> measured = new ArrayList<>();
        List<TrafficSplit> served = servedAt(f, RolloutEvent.MeasurementTaken.class, measured);

        RolloutResult result = f.engine.start("app", CANARY, Fixture.V2, slow(f, SHIFT, SHIFT, true)).await();

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(f.platform.stableRevision()).isEqualTo("v2");
        // two minutes of polling every five seconds is far more reads than the budget of 6 failures in a row
        assertThat(f.events(RolloutEvent.CallFailed.class)).as("no attempt counted as failed").isEmpty();
        assertThat(f.weights()).as("each weight reported once the platform showed it").containsSubsequence(10, 50, 100);
        Instant asked10 = f.events(RolloutEvent.StepStarted.class).stream().filter(e -> e.step().equals("set candidate weight 10%")).findFirst().orElseThrow().at();
        Instant shown10 = f.events(RolloutEvent.TrafficChanged.class).stream().filter(e -> e.split().candidateWeight() == 10)
                .findFirst().orElseThrow().at();
        assertThat(Duration.between(asked10, shown10)).isGreaterThanOrEqualTo(SHIFT).isLessThanOrEqualTo(SHIFT.plusSeconds(10));
        assertThat(measured).isNotEmpty();
        assertThat(served).as("every measurement judged a split the platform really served")
                .allSatisfy(s -> assertThat(s.candidateWeight()).isIn(10, 50));
        assertThat(f.platform.violations()).isEmpty();
    }

    @Test
    void aPlatformThatNeverShowsTheWeightAbortsAtTheProgressDeadlineAndEndsOnStable() {
        Fixture f = Fixture.healthy();
        Deployment canary = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(5)).gate(successRate(0.95))
                .progressDeadline(Duration.ofMinutes(3)).build();

        RolloutResult result = f.engine.start("app", canary, Fixture.V2, slow(f, null, SHIFT, true)).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("progress deadline PT3M exceeded").contains("traffic read back as");
        Instant asked = f.events(RolloutEvent.StepStarted.class).stream().filter(e -> e.step().equals("set candidate weight 10%")).findFirst().orElseThrow().at();
        Instant abort = f.events(RolloutEvent.AbortStarted.class).get(0).at();
        assertThat(Duration.between(asked, abort)).isGreaterThan(Duration.ofMinutes(3)).isLessThan(Duration.ofMinutes(3).plusSeconds(10));
        assertThat(f.events(RolloutEvent.CallFailed.class)).isEmpty();
        assertThat(f.platform.read().isStableOnly()).isTrue();
        assertThat(f.platform.desiredReplicas(Role.CANDIDATE)).isZero();
        assertThat(f.platform.stableRevision()).isEqualTo("v1");
    }

    @Test
    void withPauseOnDeadlineAPlatformThatNeverShowsTheWeightPausesWithTheReason() {
        Fixture f = Fixture.healthy();
        Deployment canary = Deployment.canary().steps(10, 50).gate(successRate(0.95))
                .progressDeadline(Duration.ofMinutes(3)).onProgressDeadline(Plan.DeadlineAction.PAUSE).build();

        RolloutResult result = f.engine.start("app", canary, Fixture.V2, slow(f, null, SHIFT, true)).await();

        assertThat(result.phase()).isEqualTo(Phase.PAUSED);
        assertThat(result.reason()).contains("progress deadline PT3M exceeded").contains("after setting stable=90% candidate=10%");
        assertThat(f.events(RolloutEvent.CallFailed.class)).isEmpty();
    }

    @Test
    void anAbortWaitsForThePlatformToShowStableOnlyBeforeScalingTheCandidateDownAndEndingAborted() {
        Fixture f = new Fixture(Behaviour.healthy().withErrorRate(0.3));
        List<RolloutEvent> seen = new ArrayList<>();
        List<TrafficSplit> served = servedAt(f, RolloutEvent.class, seen);

        RolloutResult result = f.engine.start("app", CANARY, Fixture.V2, slow(f, Duration.ofSeconds(30), SHIFT, true)).await();

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.ABORTED);
        assertThat(result.split().isStableOnly()).isTrue();
        Instant abort = f.events(RolloutEvent.AbortStarted.class).get(0).at();
        for (int i = 0; i < seen.size(); i++) {
            RolloutEvent e = seen.get(i);
            boolean candidateDown = e instanceof RolloutEvent.ReplicasChanged r && r.role().equals("CANDIDATE") && r.replicas() == 0;
            boolean ended = e instanceof RolloutEvent.PhaseChanged p && p.phase() == Phase.ABORTED;
            if (candidateDown || ended) {
                assertThat(served.get(i).isStableOnly()).as("platform traffic at %s", e).isTrue();
                assertThat(Duration.between(abort, e.at())).as("waited for the platform's rollback").isGreaterThanOrEqualTo(SHIFT);
            }
        }
        assertThat(seen).anyMatch(e -> e instanceof RolloutEvent.ReplicasChanged r && r.role().equals("CANDIDATE") && r.replicas() == 0);
        assertThat(f.events(RolloutEvent.CallFailed.class)).isEmpty();
        assertThat(f.platform.desiredReplicas(Role.CANDIDATE)).isZero();
        assertThat(f.platform.violations()).isEmpty();
    }

    /** Workloads whose promotion takes effect only once {@code allowed} is set, {@code delay} after it is asked. */
    static final class SlowPromotion implements Workloads {
        private final Workloads real;
        private final Scheduler time;
        private final Duration delay;
        volatile boolean allowed;
        private boolean pending;

        SlowPromotion(Workloads real, Scheduler time, Duration delay) {
            this.real = real;
            this.time = time;
            this.delay = delay;
        }

        @Override public void deploy(Revision revision, int replicas) { real.deploy(revision, replicas); }
        @Override public void scale(Role role, int replicas) { real.scale(role, replicas); }
        @Override public WorkloadStatus status(Role role) { return real.status(role); }
        @Override public void retire(Role role) { real.retire(role); }

        @Override
        public synchronized void promote(Revision revision) {
            if (allowed && !pending) {
                pending = true;
                time.schedule(() -> real.promote(revision), delay);
            }
        }
    }

    @Test
    void aPromotionPausedAtItsDeadlineWaitsAFreshDeadlineOnResumeAndEndsWhenThePlatformShowsIt() {
        Fixture f = Fixture.healthy();
        SlowPromotion workloads = new SlowPromotion(f.platform, f.time, Duration.ofMinutes(1));
        Target target = f.target.toBuilder().workloads(workloads).router(new SlowRouter(f.platform, f.time, Duration.ofSeconds(20),
                Duration.ofSeconds(20), true)).build();
        Deployment canary = Deployment.canary().steps(50).pauseBetween(Duration.ofMinutes(1)).gate(successRate(0.95))
                .progressDeadline(Duration.ofMinutes(3)).onProgressDeadline(Plan.DeadlineAction.PAUSE).build();

        io.cutover.Rollout rollout = f.engine.start("app", canary, Fixture.V2, target);
        RolloutResult paused = rollout.await();
        assertThat(paused.phase()).isEqualTo(Phase.PAUSED);
        assertThat(paused.reason()).contains("progress deadline PT3M exceeded").contains("promotion of v2 not visible");
        assertThat(f.platform.stableRevision()).isEqualTo("v1");

        workloads.allowed = true;
        rollout.resume();
        RolloutResult result = rollout.await();

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(f.platform.stableRevision()).isEqualTo("v2");
        assertThat(f.events(RolloutEvent.CallFailed.class)).isEmpty();
    }

    @Test
    void withoutTheCapabilityTheSameSlowPlatformSpendsTheRetryBudget() {
        Fixture f = Fixture.healthy();

        RolloutResult result = f.engine.start("app", CANARY, Fixture.V2, slow(f, SHIFT, SHIFT, false)).await();

        assertThat(result.phase()).isEqualTo(Phase.PAUSED);
        assertThat(result.reason()).contains("retry budget of 6 spent").contains("traffic read back as");
        assertThat(f.events(RolloutEvent.CallFailed.class)).hasSizeGreaterThan(6);
    }
}
