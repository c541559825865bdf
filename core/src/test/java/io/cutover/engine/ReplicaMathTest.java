package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutResult;
import io.cutover.event.RolloutEvent;
import io.cutover.plan.Replicas;
import io.cutover.spi.RouterCapability;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replica math never gives stable away: before promotion the candidate never carries all traffic,
 * stable keeps at least one ready replica and the capacity for its share, and the candidate has the
 * capacity for its own (its pods round up).
 */
class ReplicaMathTest {

    private static final double EPSILON = 1e-9;

    @Test
    void everyReplicaCountFromOneToFiftyAtEveryWeightKeepsStableCapacityOnBothRouters() {
        List<String> broken = new ArrayList<>();
        int runs = 0;
        for (RouterCapability router : List.of(RouterCapability.WEIGHTED, RouterCapability.REPLICA_RATIO)) {
            for (int replicas = 1; replicas <= 50; replicas++) {
                for (int weight = 1; weight <= 100; weight++) {
                    broken.addAll(canaryAt(router, replicas, weight));
                    runs++;
                }
            }
        }
        assertThat(runs).isEqualTo(2 * 50 * 100);
        assertThat(broken).isEmpty();
    }

    /** Runs a one-step canary at {@code weight} to its end and returns what broke the property. */
    private static List<String> canaryAt(RouterCapability router, int replicas, int weight) {
        List<String> broken = new ArrayList<>();
        String run = router + " " + replicas + " replicas at " + weight + "%: ";
        boolean[] promoted = {false};
        World w = new World(replicas, io.cutover.sim.Behaviour.healthy(), router).checking(s -> {
            if (s.event() instanceof RolloutEvent.Promoted) {
                promoted[0] = true;
            }
            if (promoted[0]) {
                return;
            }
            double candidate = s.candidateShare();
            boolean fullSwitch = candidate >= 1 - EPSILON;
            if (fullSwitch && s.candidateReady() < replicas) {
                broken.add(run + "all traffic on " + s.candidateReady() + " ready candidate replicas at " + s.event());
            }
            if (!fullSwitch && s.stableReady() < 1) {
                broken.add(run + "stable has no ready replica while it carries " + s.stableShare() + " at " + s.event());
            }
            if (s.stableReady() + EPSILON < s.stableShare() * replicas) {
                broken.add(run + "stable carries " + s.stableShare() + " on " + s.stableReady() + " ready at " + s.event());
            }
            if (s.candidateReady() + EPSILON < candidate * replicas) {
                broken.add(run + "candidate carries " + candidate + " on " + s.candidateReady() + " ready at " + s.event());
            }
            if (!fullSwitch && weight < 100 && router == RouterCapability.WEIGHTED && candidate > 0
                    && Math.abs(candidate * 100 - weight) > EPSILON) {
                broken.add(run + "weighted router holds " + candidate + " at " + s.event());
            }
        });
        RolloutResult result = w.start(Deployment.canary().steps(weight).build()).await();
        if (result.phase() != Phase.SUCCEEDED) {
            broken.add(run + "ended " + result.phase() + ": " + result.reason());
        }
        if (!promoted[0] || !"v2".equals(w.platform.stableRevision())) {
            broken.add(run + "was not promoted");
        }
        w.platform.violations().forEach(v -> broken.add(run + "simulator saw " + v));
        if (weight < 100 && w.snapshots.stream().noneMatch(s -> s.candidateShare() > 0 && s.candidateShare() < 1)) {
            broken.add(run + "the candidate never carried a share below 100%");
        }
        return broken;
    }

    @Test
    void aOneReplicaCanaryOnAReplicaRatioRouterSurgesInsteadOfGivingAwayStable() {
        World w = World.replicaRatio(1);
        RolloutResult result = w.start(Deployment.canary().steps(25).build()).await();
        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        var atStep = w.events(RolloutEvent.TrafficChanged.class).get(0);
        World.Snapshot s = w.snapshots.stream().filter(x -> x.event() == atStep).findFirst().orElseThrow();
        assertThat(s.stableReady()).isEqualTo(1);
        assertThat(s.candidateReady()).isEqualTo(1);
        assertThat(atStep.split().candidateWeight()).as("1 of 2 replicas").isEqualTo(50);
        assertThat(w.platform.violations()).isEmpty();
    }

    @Test
    void canaryPodsForAWeightRoundUp() {
        World w = World.weighted(10);
        w.start(Deployment.canary().steps(33).build()).await();
        var first = w.snapshots.stream().filter(s -> s.event() instanceof RolloutEvent.TrafficChanged).findFirst().orElseThrow();
        assertThat(first.candidateReady()).as("33% of 10 replicas").isEqualTo(4);
        assertThat(first.stableReady()).isEqualTo(10);
        assertThat(Replicas.shareOfStable(33).resolve(10)).isEqualTo(4);
        assertThat(Replicas.shareOfStable(1).resolve(50)).isEqualTo(1);
        assertThat(Replicas.shareOfStable(0).resolve(50)).isZero();
    }

    @Test
    void aReplicaRatioCanaryAtNinetyNinePercentStillLeavesAStableReplicaServing() {
        World w = World.replicaRatio(10);
        w.start(Deployment.canary().steps(99).build()).await();
        var first = w.snapshots.stream().filter(s -> s.event() instanceof RolloutEvent.TrafficChanged).findFirst().orElseThrow();
        assertThat(first.candidateReady()).isEqualTo(10);
        assertThat(first.stableReady()).isEqualTo(1);
        assertThat(((RolloutEvent.TrafficChanged) first.event()).split().candidateWeight()).as("10 of 11").isEqualTo(91);
    }
}
