package io.cutover.engine;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutResult;
import io.cutover.event.RolloutEvent;
import io.cutover.gate.Verdict;
import io.cutover.sim.Behaviour;
import io.cutover.spi.HookResult;
import io.cutover.spi.HookStage;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficSplit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Abort moves traffic first: with stable at the capacity for all traffic, the failing verdict is
 * followed by one router write, and the before-rollback hooks run only once users are back on stable.
 */
class AbortMovesTrafficFirstTest {

    /** What the platform held when a hook ran. */
    record Seen(HookStage stage, TrafficSplit traffic, int candidateDesired, int stableReady, int writes) { }

    @Test
    void aFailingVerdictIsFollowedByOneRouterWriteToStableBeforeAnyRollbackHookRuns() {
        World w = new World(4, Behaviour.healthy().withErrorRate(0.5), RouterCapability.WEIGHTED);
        List<Seen> seen = new ArrayList<>();
        Deployment canary = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(5)).gate(successRate(0.95))
                .hook(HookStage.BEFORE_ROLLBACK, ctx -> record(w, seen, ctx.stage()))
                .hook(HookStage.AFTER_ROLLBACK, ctx -> record(w, seen, ctx.stage()))
                .build();

        RolloutResult result = w.start(canary).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        Instant failed = w.events(RolloutEvent.MeasurementTaken.class).stream()
                .filter(m -> m.measurement().verdict() == Verdict.FAILED).findFirst().orElseThrow().at();
        List<String> writesAfterVerdict = w.platform.log().stream()
                .filter(line -> !Instant.parse(line.substring(0, line.indexOf(' '))).isBefore(failed)).toList();
        assertThat(writesAfterVerdict.get(0)).as("the first write after the verdict").contains("apply").contains("weight 0%");
        assertThat(seen).extracting(Seen::stage).containsExactly(HookStage.BEFORE_ROLLBACK, HookStage.AFTER_ROLLBACK);
        Seen before = seen.get(0);
        assertThat(before.traffic().isStableOnly()).as("users are on stable when before-rollback hooks run").isTrue();
        assertThat(before.candidateDesired()).as("the candidate is still up for the hooks to inspect").isPositive();
        assertThat(before.writes()).as("one router write between the verdict and the hooks")
                .isEqualTo(w.platform.writes() - writesAfterVerdict.size() + 1);
        assertThat(seen.get(1).candidateDesired()).isZero();
        assertThat(w.platform.violations()).isEmpty();
    }

    @Test
    void aFailingBeforeRollbackHookIsLoggedAndTheRollbackEndsOnStable() {
        World w = new World(4, Behaviour.healthy().withErrorRate(0.5), RouterCapability.WEIGHTED);
        Deployment canary = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(5)).gate(successRate(0.95))
                .hook(HookStage.BEFORE_ROLLBACK, ctx -> HookResult.fail("pager could not be reached"))
                .build();

        RolloutResult result = w.start(canary).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(w.platform.read().isStableOnly()).isTrue();
        assertThat(w.platform.desiredReplicas(Role.CANDIDATE)).isZero();
        assertThat(w.platform.readyReplicas(Role.STABLE)).isEqualTo(4);
        assertThat(result.history()).anyMatch(h -> h.what().contains("before_rollback hook failed: pager could not be reached"));
    }

    @Test
    void whenStableIsShortTheAbortScalesItUpAndWaitsForItBeforeMovingTrafficThenRunsTheHooks() {
        // a rolling update leaves stable below its count; the rollback brings it back before the traffic moves
        World w = new World(4, Behaviour.healthy().withStartup(Duration.ofSeconds(20)), RouterCapability.WEIGHTED);
        List<Seen> seen = new ArrayList<>();
        Deployment rolling = Deployment.rolling().maxSurge(1).maxUnavailable(1)
                .hook(HookStage.BEFORE_ROLLBACK, ctx -> record(w, seen, ctx.stage()))
                .build();
        w.platform.allowUnavailable(1); // the plan's own maxUnavailable
        var rollout = w.start(rolling);
        w.time.runUntil(() -> w.platform.desiredReplicas(Role.STABLE) < 4 && w.platform.read().candidateWeight() > 0, Duration.ofHours(1));
        assertThat(w.platform.desiredReplicas(Role.STABLE)).isLessThan(4);
        assertThat(w.platform.read().candidateWeight()).isPositive();
        int mark = w.snapshots.size();

        rollout.abort("stop");
        RolloutResult result = rollout.await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        var after = w.snapshots.subList(mark, w.snapshots.size());
        int stableUp = indexOf(after, e -> e instanceof RolloutEvent.ReplicasChanged r && r.role().equals("STABLE") && r.replicas() == 4);
        int toStable = indexOf(after, e -> e instanceof RolloutEvent.TrafficChanged t && t.split().isStableOnly());
        assertThat(stableUp).isLessThan(toStable);
        assertThat(after.get(toStable).stableReady()).as("stable ready at full capacity when traffic moves").isEqualTo(4);
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.traffic().isStableOnly()).isTrue();
            assertThat(s.stableReady()).isEqualTo(4);
        });
        assertThat(w.platform.violations()).isEmpty();
    }

    private static HookResult record(World w, List<Seen> seen, HookStage stage) {
        seen.add(new Seen(stage, w.platform.read(), w.platform.desiredReplicas(Role.CANDIDATE),
                w.platform.readyReplicas(Role.STABLE), w.platform.writes()));
        return HookResult.pass();
    }

    static int indexOf(List<World.Snapshot> snapshots, java.util.function.Predicate<RolloutEvent> which) {
        for (int i = 0; i < snapshots.size(); i++) {
            if (which.test(snapshots.get(i).event())) {
                return i;
            }
        }
        throw new AssertionError("no such event");
    }
}
