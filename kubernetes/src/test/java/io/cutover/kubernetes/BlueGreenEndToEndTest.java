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
import io.cutover.kubernetes.traffic.TrafficCheck;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's blue-green switch, driven by the engine through the adapter on the seed's own
 * manifests, with a preview Service. At every event the colour Service {@code myapp} really sends
 * requests where the router says, and until promotion the preview Service sends them all to the
 * candidate colour.
 */
@EnableKubernetesMockClient(crud = true)
class BlueGreenEndToEndTest {

    KubernetesClient mock;
    private Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(mock);
        Cluster.seedBlueGreen(mock);
        mock.services().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata().withName("myapp-preview").endMetadata()
                .withNewSpec().addToSelector("app", "myapp").addToSelector("version", "green").addNewPort().withPort(80).endPort().endSpec()
                .build()).create();
        h.settle();
    }

    @AfterEach
    void tearDown() {
        try {
            assertThat(h.check.seen()).isNotEmpty();
            assertThat(h.check.disagreements()).as("reported split vs the traffic the colours really get").isEmpty();
            assertThat(h.moreChecks.get(0).disagreements()).as("the preview Service serves only the candidate").isEmpty();
        } finally {
            h.close();
        }
    }

    private Target target() {
        Target t = h.controlled(KubernetesTarget.blueGreen(h.client, NS, "myapp").previewService("myapp-preview").build());
        DeploymentWorkloads w = DeploymentWorkloads.blueGreen(h.client, NS, "myapp").activeService("myapp").build();
        h.check = new TrafficCheck(t.router(), r -> h.traffic.service("myapp"),
                () -> w.identity(io.cutover.spi.Role.CANDIDATE).orElseThrow().workload(), false);
        java.util.concurrent.atomic.AtomicBoolean promoted = new java.util.concurrent.atomic.AtomicBoolean();
        io.cutover.spi.TrafficRouter previewReports = new io.cutover.spi.TrafficRouter() {
            @Override public java.util.Set<io.cutover.spi.RouterCapability> capabilities() { return java.util.Set.of(); }
            @Override public void apply(io.cutover.spi.TrafficSplit split) { }
            @Override public io.cutover.spi.TrafficSplit read() { return io.cutover.spi.TrafficSplit.weighted(100); }
        };
        h.moreChecks.add(new TrafficCheck(previewReports, r -> h.traffic.service("myapp-preview"),
                () -> w.identity(io.cutover.spi.Role.CANDIDATE).orElseThrow().workload(), false)
                .onlyWhile(() -> h.snapshots.stream().noneMatch(s -> s.event() instanceof RolloutEvent.Promoted
                        || s.event() instanceof RolloutEvent.TrafficChanged)
                        && h.deployment(w.identity(io.cutover.spi.Role.CANDIDATE).orElseThrow().workload()).getSpec().getReplicas() > 0));
        return t;
    }

    @Test
    void switches_the_service_from_blue_to_green_and_retires_blue() {
        Deployment bg = Deployment.blueGreen().prePromotionGate(successRate(0.95)).autoPromoteAfter(Duration.ofMinutes(1)).build();

        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS))
                .start("myapp", bg, Revision.of("v2.0.0", "myapp:v2.0.0"), target()).await();

        assertThat(result.phase()).as("%s", result).isEqualTo(Phase.SUCCEEDED);
        assertThat(result.split().isStableOnly()).isTrue();
        // every step until the switch: blue serves with its full 3 replicas, green comes up beside it
        var beforeSwitch = h.snapshots.stream().takeWhile(s -> !(s.event() instanceof RolloutEvent.TrafficChanged)).toList();
        assertThat(beforeSwitch).isNotEmpty().allSatisfy(s -> {
            assertThat(s.selectedVersion()).isEqualTo("blue");
            assertThat(s.replicas()).containsEntry("myapp-blue", 3);
        });
        var switched = h.at(RolloutEvent.TrafficChanged.class);
        assertThat(switched).hasSize(1);
        assertThat(switched.get(0).selectedVersion()).isEqualTo("green");
        assertThat(switched.get(0).replicas()).containsEntry("myapp-blue", 3).containsEntry("myapp-green", 3);
        // after the switch green stays selected, and blue goes to zero only then
        var afterSwitch = h.snapshots.subList(h.snapshots.indexOf(switched.get(0)), h.snapshots.size());
        assertThat(afterSwitch).allSatisfy(s -> assertThat(s.selectedVersion()).isEqualTo("green"));
        assertThat(h.deployment("myapp-blue").getSpec().getReplicas()).isZero();
        assertThat(h.deployment("myapp-green").getSpec().getReplicas()).isEqualTo(3);
        assertThat(h.deployment("myapp-green").getMetadata().getAnnotations()).containsEntry(CutoverLabels.STABLE_EPOCH, "2");
        assertThat(mock.services().inNamespace(NS).withName("myapp").get().getSpec().getSelector())
                .containsEntry("app", "myapp").containsEntry("version", "green");
    }

    @Test
    void a_failing_gate_keeps_the_service_on_blue_and_scales_green_down() {
        Deployment bg = Deployment.blueGreen().prePromotionGate(successRate(0.95)).autoPromoteAfter(Duration.ofMinutes(1)).build();

        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS))
                .start("myapp", bg, Revision.of("v2-bad", "myapp:v2-bad"), target()).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("success-rate");
        assertThat(h.snapshots).allSatisfy(s -> {
            assertThat(s.selectedVersion()).isEqualTo("blue");
            assertThat(s.replicas()).containsEntry("myapp-blue", 3);
        });
        assertThat(h.snapshots).anySatisfy(s -> assertThat(s.images()).containsEntry("myapp-green", "myapp:v2-bad"));
        assertThat(h.deployment("myapp-green").getSpec().getReplicas()).isZero();
        assertThat(h.deployment("myapp-blue").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v1.0.0");
    }

    @Test
    void a_revision_that_never_becomes_ready_is_rolled_back_at_its_progress_deadline() {
        mock.apps().deployments().inNamespace(NS).withName("myapp-green").edit(d -> { d.getSpec().setProgressDeadlineSeconds(120); return d; });
        Deployment bg = Deployment.blueGreen().autoPromoteAfter(Duration.ofMinutes(1)).build();

        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS))
                .start("myapp", bg, Revision.of("v2-bad-never-ready", "myapp:v2-bad-never-ready"), target()).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("progress deadline (120s)").contains("shop/myapp-green");
        assertThat(h.snapshots).allSatisfy(s -> assertThat(s.selectedVersion()).isEqualTo("blue"));
        assertThat(h.deployment("myapp-green").getSpec().getReplicas()).isZero();
    }
}
