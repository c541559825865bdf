package io.cutover.kubernetes;

import static io.cutover.gate.Gates.successRate;
import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.spi.Revision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rolling (maxSurge 1, maxUnavailable 0, as the seed's Deployment says) and recreate, run by the
 * engine batch by batch on the stable Deployment and a candidate made from it, behind one Service.
 */
@EnableKubernetesMockClient(crud = true)
class RollingAndRecreateEndToEndTest {

    KubernetesClient mock;
    private Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(mock);
        Cluster.apply(mock, "seed/rolling-deployment.yaml");   // myapp, 5 replicas of v1.0.0
        Cluster.apply(mock, "gateway/canary.yaml");            // Service myapp selects app=myapp
        h.settle();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private Target target() {
        return h.controlled(KubernetesTarget.canary(h.client, NS, "myapp").build());
    }

    private static int total(Harness.Snapshot s) {
        return s.replicas().getOrDefault("myapp", 0) + s.replicas().getOrDefault("myapp-canary", 0);
    }

    @Test
    void rolling_replaces_stable_one_replica_at_a_time_never_below_five_nor_above_six() {
        Deployment rolling = Deployment.rolling().maxSurge(1).maxUnavailable(0).batchGate(successRate(0.95)).build();

        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS))
                .start("myapp", rolling, Revision.of("v2.0.0", "myapp:v2.0.0"), target()).await();

        assertThat(result.phase()).as("%s", result).isEqualTo(Phase.SUCCEEDED);
        List<Harness.Snapshot> batches = h.at(RolloutEvent.ReplicasChanged.class);
        List<Harness.Snapshot> forward = batches.subList(0, batches.size() - 1);
        assertThat(forward).allSatisfy(s -> assertThat(total(s)).isBetween(5, 6));
        assertThat(forward).extracting(s -> s.replicas().getOrDefault("myapp-canary", 0)).containsSequence(1, 1, 2, 2, 3, 3, 4, 4, 5, 5);
        assertThat(h.deployment("myapp").getSpec().getReplicas()).isEqualTo(5);
        assertThat(h.deployment("myapp").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v2.0.0");
        assertThat(h.deployment("myapp-canary")).isNull();
    }

    @Test
    void rolling_with_a_failing_batch_gate_brings_stable_back_to_five() {
        Deployment rolling = Deployment.rolling().maxSurge(1).maxUnavailable(0).batchGate(successRate(0.95)).build();

        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS))
                .start("myapp", rolling, Revision.of("v2-bad", "myapp:v2-bad"), target()).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(h.snapshots).allSatisfy(s -> assertThat(s.replicas().getOrDefault("myapp", 0)).isGreaterThanOrEqualTo(4));
        assertThat(h.deployment("myapp").getSpec().getReplicas()).isEqualTo(5);
        assertThat(h.deployment("myapp-canary").getSpec().getReplicas()).isZero();
        assertThat(h.deployment("myapp").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v1.0.0");
    }

    @Test
    void recreate_stops_stable_before_the_candidate_starts() {
        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS))
                .start("myapp", Deployment.recreate().gate(successRate(0.95)).build(), Revision.of("v2.0.0", "myapp:v2.0.0"), target()).await();

        assertThat(result.phase()).as("%s", result).isEqualTo(Phase.SUCCEEDED);
        List<Harness.Snapshot> changes = h.at(RolloutEvent.ReplicasChanged.class);
        assertThat(changes.get(0).replicas()).containsEntry("myapp", 0).doesNotContainKey("myapp-canary");
        assertThat(changes.get(1).replicas()).containsEntry("myapp", 0).containsEntry("myapp-canary", 5);
        assertThat(h.deployment("myapp").getSpec().getReplicas()).isEqualTo(5);
        assertThat(h.deployment("myapp").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v2.0.0");
    }

    @Test
    void recreate_with_a_failing_gate_brings_the_old_revision_back() {
        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS))
                .start("myapp", Deployment.recreate().gate(successRate(0.95)).build(), Revision.of("v2-bad", "myapp:v2-bad"), target()).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(h.deployment("myapp").getSpec().getReplicas()).isEqualTo(5);
        assertThat(h.deployment("myapp").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v1.0.0");
        assertThat(h.deployment("myapp-canary").getSpec().getReplicas()).isZero();
        assertThat(ReplicaRatioRouter.of(DeploymentWorkloads.canary(h.client, NS, "myapp").build(), "myapp").read().candidateWeight()).isZero();
    }
}
