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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seed's Deployment rolled by its own RollingUpdate (maxSurge 1, maxUnavailable 0) and by Recreate, with undo on abort. */
@EnableKubernetesMockClient(crud = true)
class NativeRolloutEndToEndTest {

    KubernetesClient mock;
    private Harness h;
    private final List<String> pausedAt = new ArrayList<>();

    @BeforeEach
    void setUp() {
        h = new Harness(mock);
        Cluster.apply(mock, "seed/rolling-deployment.yaml");   // myapp, 5 replicas of v1.0.0, maxSurge 1, maxUnavailable 0
        h.settle();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private Target target(boolean pauseAtBatches) {
        NativeDeploymentWorkloads w = NativeDeploymentWorkloads.builder(h.client, NS, "myapp").container("myapp").pauseAtBatches(pauseAtBatches).build();
        Target t = h.controlled(Target.builder("myapp").workloads(w).router(w.router()).build());
        return t;
    }

    @Test
    void rolling_pauses_the_deployment_at_each_batch_for_its_gate_and_completes() {
        Deployment rolling = Deployment.rolling().maxSurge(1).maxUnavailable(0).batchGate(successRate(0.95)).build();
        var engine = io.cutover.RolloutEngine.builder().withScheduler(h.time).withClock(h.time.clock())
                .withStateStore(new ConfigMapStateStore(h.client, NS))
                .onEvent(e -> {
                    if (e instanceof RolloutEvent.MeasurementTaken) {
                        var d = h.deployment("myapp");
                        pausedAt.add(d.getSpec().getPaused() + "@" + d.getStatus().getUpdatedReplicas());
                    }
                }).build();

        RolloutResult result = engine.start("myapp", rolling, Revision.of("v2.0.0", "myapp:v2.0.0"), target(true)).await();

        assertThat(result.phase()).as("%s", result).isEqualTo(Phase.SUCCEEDED);
        // the gate measures each batch (three times by default) while the Deployment stands paused at it
        assertThat(pausedAt.stream().distinct()).containsExactly("true@1", "true@2", "true@3", "true@4");
        var d = h.deployment("myapp");
        assertThat(d.getSpec().getPaused()).isFalse();
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v2.0.0");
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(5);
        assertThat(d.getMetadata().getAnnotations()).doesNotContainKey(NativeDeploymentWorkloads.PREVIOUS_REVISION);
        assertThat(mock.apps().deployments().inNamespace(NS).list().getItems()).hasSize(1);
    }

    @Test
    void native_batches_overshoot_silently_no_more_batches_follow_the_surge_and_report_the_pods_really_updated() {
        mock.apps().deployments().inNamespace(NS).withName("myapp").edit(d -> {
            d.getSpec().setReplicas(10);
            d.getSpec().getStrategy().getRollingUpdate().setMaxSurge(new io.fabric8.kubernetes.api.model.IntOrString("30%"));
            return d;
        });
        h.settle();
        Target target = target(true);
        List<String> reported = new ArrayList<>();
        Deployment rolling = Deployment.rolling().maxSurge(1).maxUnavailable(0).batchGate(successRate(0.95)).build();
        var engine = io.cutover.RolloutEngine.builder().withScheduler(h.time).withClock(h.time.clock())
                .withStateStore(new ConfigMapStateStore(h.client, NS))
                .onEvent(e -> {
                    if (e instanceof RolloutEvent.MeasurementTaken) {
                        var d = h.deployment("myapp");
                        pausedAt.add(d.getSpec().getPaused() + "@" + d.getStatus().getUpdatedReplicas());
                        reported.add(target.workloads().status(io.cutover.spi.Role.CANDIDATE).updated() + "/" + d.getStatus().getUpdatedReplicas());
                    }
                }).build();

        RolloutResult result = engine.start("myapp", rolling, Revision.of("v2.0.0", "myapp:v2.0.0"), target).await();

        assertThat(result.phase()).as("%s", result).isEqualTo(Phase.SUCCEEDED);
        assertThat(pausedAt.stream().distinct()).as("batches of 3, what a 30%% surge of 10 starts at once")
                .startsWith("true@3", "true@6", "true@9").doesNotContain("true@1", "true@2", "true@4", "true@5");
        assertThat(reported).isNotEmpty().allSatisfy(r -> assertThat(r.split("/")[0]).as("reported vs really updated").isEqualTo(r.split("/")[1]));
    }

    @Test
    void rolling_with_a_failing_batch_gate_undoes_to_the_previous_replicaset() {
        Deployment rolling = Deployment.rolling().maxSurge(1).maxUnavailable(0).batchGate(successRate(0.95)).build();

        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS))
                .start("myapp", rolling, Revision.of("v2-bad", "myapp:v2-bad"), target(true)).await();

        assertThat(result.phase()).as("%s", result).isEqualTo(Phase.ABORTED);
        var d = h.deployment("myapp");
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v1.0.0");
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("pod-template-hash");
        assertThat(d.getSpec().getPaused()).isFalse();
        assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(5);
        assertThat(d.getStatus().getReplicas()).isEqualTo(5);
        assertThat(d.getMetadata().getAnnotations()).containsEntry(CutoverLabels.REVISION, "v1.0.0")
                .containsEntry(FakeDeploymentController.REVISION, "3");
    }

    @Test
    void recreate_by_the_deployments_own_strategy_and_back() {
        mock.apps().deployments().inNamespace(NS).withName("myapp").edit(d -> {
            d.getSpec().getStrategy().setType("Recreate");
            d.getSpec().getStrategy().setRollingUpdate(null);
            return d;
        });
        h.settle();

        RolloutResult ok = h.engine(new ConfigMapStateStore(h.client, NS))
                .start("myapp", Deployment.recreate().gate(successRate(0.95)).build(), Revision.of("v2.0.0", "myapp:v2.0.0"), target(false)).await();
        assertThat(ok.phase()).as("%s", ok).isEqualTo(Phase.SUCCEEDED);
        assertThat(h.deployment("myapp").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v2.0.0");

        RolloutResult bad = h.engine(new ConfigMapStateStore(h.client, NS))
                .start("myapp-2", Deployment.recreate().gate(successRate(0.95)).build(), Revision.of("v3-bad", "myapp:v3-bad"), target(false)).await();
        assertThat(bad.phase()).as("%s", bad).isEqualTo(Phase.ABORTED);
        var d = h.deployment("myapp");
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v2.0.0");
        assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(5);
    }
}
