package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.PlanContext;
import io.cutover.RolloutResult;
import io.cutover.event.RolloutEvent;
import io.cutover.spi.RouterCapability;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Rolling uses maxSurge and maxUnavailable at once, as the Kubernetes Deployment controller does. */
class RollingBudgetsTest {

    private static World rolling(World w, Deployment d, int replicas, RouterCapability router) {
        w.platform.allowUnavailable(d.plan(new PlanContext(replicas, EnumSet.of(router))).unavailableAllowed().resolve(replicas));
        return w;
    }

    @Test
    void surgeOfAllAndUnavailableOfAQuarterOnFourReplicasRunsFourNewBesideThreeOld() {
        Deployment d = Deployment.rolling().maxSurge("100%").maxUnavailable("25%").build();
        World w = rolling(World.weighted(4), d, 4, RouterCapability.WEIGHTED);
        RolloutResult result = w.start(d).await();

        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        var replicaChanges = w.snapshots.stream().filter(s -> s.event() instanceof RolloutEvent.ReplicasChanged).toList();
        assertThat(replicaChanges.get(0).candidateDesired()).isEqualTo(4);
        assertThat(replicaChanges.get(1).stableDesired()).as("old scaled down before the new is ready").isEqualTo(3);
        assertThat(replicaChanges.get(1).candidateReady()).isZero();
        assertThat(w.snapshots).allSatisfy(s -> {
            assertThat(s.stableDesired() + s.candidateDesired()).isLessThanOrEqualTo(8);
            assertThat(s.stableReady() + s.candidateReady()).isGreaterThanOrEqualTo(3);
        });
        assertThat(w.platform.stableRevision()).isEqualTo("v2");
        assertThat(w.platform.violations()).isEmpty();
    }

    @Test
    void defaultBudgetsOnTenReplicasNeverExceedThirteenPodsNorFallBelowEightAvailable() {
        Deployment d = Deployment.rolling().build();
        World w = rolling(World.replicaRatio(10), d, 10, RouterCapability.REPLICA_RATIO);
        RolloutResult result = w.start(d).await();

        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(w.snapshots).filteredOn(s -> s.event() instanceof RolloutEvent.ReplicasChanged)
                .extracting(s -> s.candidateDesired() + "+" + s.stableDesired())
                .containsExactly("3+10", "3+8", "5+8", "5+5", "8+5", "8+3", "10+3", "10+0");
        assertThat(w.snapshots).allSatisfy(s -> {
            assertThat(s.stableDesired() + s.candidateDesired()).isLessThanOrEqualTo(13);
            assertThat(s.stableReady() + s.candidateReady()).isGreaterThanOrEqualTo(8);
        });
        assertThat(w.platform.violations()).isEmpty();
    }
}
