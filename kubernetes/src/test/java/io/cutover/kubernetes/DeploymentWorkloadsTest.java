package io.cutover.kubernetes;

import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.WorkloadStatus;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class DeploymentWorkloadsTest {

    KubernetesClient mock;
    KubernetesMockServer server;

    private KubernetesClient client;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private FakeDeploymentController controller;

    private static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");
    private static final Revision V3 = Revision.of("v3.0.0", "myapp:v3.0.0");

    @BeforeEach
    void setUp() {
        client = Cluster.adapterClient(mock);
        controller = new FakeDeploymentController(mock, NS, now::get, Duration.ofSeconds(10), image -> image.endsWith(":broken"));
    }

    @AfterEach
    void tearDown() {
        controller.close();
        client.close();
    }

    private DeploymentWorkloads blueGreen() {
        return DeploymentWorkloads.blueGreen(client, NS, "myapp").activeService("myapp").build();
    }

    private void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
        controller.reconcile();
    }

    @Test
    void the_seed_service_decides_the_stable_colour_until_cutover_marks_one() {
        Cluster.seedBlueGreen(mock);
        DeploymentWorkloads w = blueGreen();

        assertThat(w.deploymentName(Role.STABLE)).isEqualTo("myapp-blue");
        assertThat(w.deploymentName(Role.CANDIDATE)).isEqualTo("myapp-green");
        assertThat(w.status(Role.STABLE).revision()).isEqualTo("v1.0.0");

        w.deploy(V3, 3);
        // the Service may now change; the mark written by deploy keeps blue stable
        mock.services().inNamespace(NS).withName("myapp").edit(s -> { s.getSpec().getSelector().put("version", "green"); return s; });
        assertThat(w.deploymentName(Role.STABLE)).isEqualTo("myapp-blue");
        assertThat(annotations("myapp-blue")).containsEntry(CutoverLabels.STABLE_EPOCH, "1");
    }

    @Test
    void deploy_on_an_existing_colour_changes_only_the_image_labels_and_replicas() {
        Cluster.seedBlueGreen(mock);
        // a user's sidecar, resources, annotation and unknown field on green
        mock.apps().deployments().inNamespace(NS).withName("myapp-green").edit(d -> {
            d.getMetadata().getAnnotations().put("team", "payments");
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                    .addToLimits("memory", new Quantity("256Mi")).build());
            d.getSpec().getTemplate().getSpec().getContainers().add(new ContainerBuilder().withName("envoy").withImage("envoy:1.30").build());
            d.getSpec().getTemplate().getSpec().setAdditionalProperty("futureField", Map.of("on", true));
            return d;
        });

        blueGreen().deploy(V3, 2);

        Deployment green = get("myapp-green");
        assertThat(green.getSpec().getReplicas()).isEqualTo(2);
        assertThat(green.getSpec().getTemplate().getSpec().getContainers()).extracting("name", "image")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("myapp", "myapp:v3.0.0"), org.assertj.core.groups.Tuple.tuple("envoy", "envoy:1.30"));
        assertThat(green.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits()).containsKey("memory");
        assertThat(green.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(green.getSpec().getTemplate().getSpec().getAdditionalProperties()).containsKey("futureField");
        assertThat(green.getMetadata().getAnnotations()).containsEntry("team", "payments").containsEntry(CutoverLabels.REVISION, "v3.0.0")
                .containsEntry(CutoverLabels.ARTIFACT, "myapp:v3.0.0").doesNotContainKey(CutoverLabels.CREATED_FROM);
        assertThat(green.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("version", "green").containsEntry("app", "myapp").containsEntry(CutoverLabels.REVISION, "v3.0.0");
        assertThat(green.getSpec().getSelector().getMatchLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("app", "myapp", "version", "green"));
    }

    @Test
    void a_missing_candidate_is_created_from_stables_template_with_the_new_image() {
        Cluster.apply(mock, "seed/blue-deployment.yaml");
        Cluster.apply(mock, "seed/service.yaml");

        blueGreen().deploy(V2, 3);

        Deployment green = get("myapp-green");
        assertThat(green.getSpec().getSelector().getMatchLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("app", "myapp", "version", "green"));
        assertThat(green.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("version", "green").containsEntry("app", "myapp");
        assertThat(green.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v2.0.0");
        assertThat(green.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort()).isEqualTo(8080);
        assertThat(green.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(green.getMetadata().getLabels()).containsEntry("version", "green").containsEntry(CutoverLabels.MANAGED_BY, "cutover");
        assertThat(green.getMetadata().getAnnotations()).containsEntry(CutoverLabels.CREATED_FROM, "myapp-blue");
        assertThat(get("myapp-blue").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v1.0.0");
    }

    @Test
    void readiness_follows_generation_updated_ready_and_available_replicas_with_min_ready_seconds() {
        Cluster.seedBlueGreen(mock);
        mock.apps().deployments().inNamespace(NS).withName("myapp-blue").edit(d -> { d.getSpec().setMinReadySeconds(20); return d; });
        controller.reconcile();
        DeploymentWorkloads w = blueGreen();

        w.deploy(V3, 3);
        WorkloadStatus unobserved = w.status(Role.CANDIDATE);
        assertThat(unobserved.revision()).isEqualTo("v3.0.0");
        assertThat(unobserved.updated()).isZero();
        assertThat(unobserved.settled()).isFalse();

        advance(Duration.ofSeconds(1));
        // green already ran three v2 pods: the controller rolls them with maxSurge 25% (one at a time)
        WorkloadStatus rolling = w.status(Role.CANDIDATE);
        assertThat(rolling.updated()).isEqualTo(1);
        assertThat(rolling.available()).isZero();
        for (int i = 0; i < 10 && !w.status(Role.CANDIDATE).settled(); i++) {
            advance(Duration.ofSeconds(10));
        }
        assertThat(w.status(Role.CANDIDATE)).extracting(WorkloadStatus::updated, WorkloadStatus::ready, WorkloadStatus::available)
                .containsExactly(3, 3, 3);

        // blue has minReadySeconds 20: ready after 10 s, available only 20 s later
        w.scale(Role.STABLE, 4);
        controller.reconcile();
        advance(Duration.ofSeconds(11));
        WorkloadStatus blue = w.status(Role.STABLE);
        assertThat(blue.ready()).isEqualTo(4);
        assertThat(blue.available()).isEqualTo(3);
        assertThat(blue.settled()).isFalse();
        advance(Duration.ofSeconds(20));
        assertThat(w.status(Role.STABLE).settled()).isTrue();
    }

    @Test
    void a_revision_that_never_becomes_ready_fails_at_the_progress_deadline() {
        Cluster.seedBlueGreen(mock);
        DeploymentWorkloads w = blueGreen();
        w.deploy(Revision.of("v9", "myapp:broken"), 3);
        advance(Duration.ofSeconds(1));
        advance(Duration.ofSeconds(300));
        assertThat(w.status(Role.CANDIDATE).failure()).isNull();
        advance(Duration.ofSeconds(301));
        WorkloadStatus s = w.status(Role.CANDIDATE);
        assertThat(s.ready()).isZero();
        assertThat(s.failure()).contains("shop/myapp-green").contains("progress deadline (600s)");
    }

    @Test
    void promote_in_blue_green_swaps_the_roles_in_one_write_and_is_idempotent() {
        Cluster.seedBlueGreen(mock);
        DeploymentWorkloads w = blueGreen();
        w.deploy(V3, 3);

        w.promote(V3);
        assertThat(w.deploymentName(Role.STABLE)).isEqualTo("myapp-green");
        assertThat(w.deploymentName(Role.CANDIDATE)).isEqualTo("myapp-blue");
        assertThat(annotations("myapp-green")).containsEntry(CutoverLabels.STABLE_EPOCH, "2");
        Cluster.drain(server);

        w.promote(V3);
        assertThat(Cluster.adapter(Cluster.drain(server))).allMatch(c -> c.method().equals("GET"));
        assertThat(w.deploymentName(Role.STABLE)).isEqualTo("myapp-green");

        w.retire(Role.CANDIDATE);
        assertThat(get("myapp-blue").getSpec().getReplicas()).isZero();
        assertThat(get("myapp-blue").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v1.0.0");

        // the next rollout goes to blue, the idle colour
        w.deploy(Revision.of("v4.0.0", "myapp:v4.0.0"), 3);
        assertThat(get("myapp-blue").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v4.0.0");
        assertThat(get("myapp-green").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v3.0.0");
    }

    @Test
    void canary_candidate_is_created_promoted_into_stable_and_deleted_on_retire() {
        Cluster.apply(mock, "seed/rolling-deployment.yaml");
        mock.apps().deployments().inNamespace(NS).withName("myapp").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().add(new ContainerBuilder().withName("log-shipper").withImage("fluent:2").build());
            return d;
        });
        DeploymentWorkloads w = DeploymentWorkloads.canary(client, NS, "myapp").container("myapp").build();

        w.deploy(V2, 1);
        Deployment canary = get("myapp-canary");
        assertThat(canary.getSpec().getSelector().getMatchLabels()).containsEntry(CutoverLabels.TRACK, "canary").containsEntry("app", "myapp");
        assertThat(canary.getSpec().getTemplate().getSpec().getContainers()).extracting("image").containsExactly("myapp:v2.0.0", "fluent:2");
        assertThat(w.status(Role.STABLE).revision()).isEqualTo("v1.0.0");

        w.scale(Role.CANDIDATE, 3);
        w.promote(V2);
        Deployment stable = get("myapp");
        assertThat(stable.getSpec().getTemplate().getSpec().getContainers()).extracting("image").containsExactly("myapp:v2.0.0", "fluent:2");
        assertThat(stable.getSpec().getTemplate().getSpec().getContainers().get(0).getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(stable.getSpec().getReplicas()).isEqualTo(5);
        assertThat(stable.getSpec().getSelector().getMatchLabels()).containsExactly(Map.entry("app", "myapp"));
        assertThat(w.status(Role.STABLE).revision()).isEqualTo("v2.0.0");

        w.retire(Role.CANDIDATE);
        assertThat(mock.apps().deployments().inNamespace(NS).withName("myapp-canary").get()).isNull();
        assertThat(w.status(Role.CANDIDATE).exists()).isFalse();
        w.retire(Role.CANDIDATE);
    }

    @Test
    void errors_name_the_verb_and_the_resource() {
        DeploymentWorkloads w = DeploymentWorkloads.canary(client, NS, "ghost").build();
        assertThatThrownBy(() -> w.deploy(V2, 1)).isInstanceOf(CutoverException.class)
                .hasMessageContaining("shop/ghost").hasMessageContaining("does not exist")
                .extracting(e -> ((CutoverException) e).kind()).isEqualTo(CutoverException.Kind.PERMANENT);
        assertThatThrownBy(() -> w.scale(Role.CANDIDATE, 2)).hasMessageContaining("scale deployment shop/ghost-canary");
        w.scale(Role.CANDIDATE, 0);
        assertThatThrownBy(() -> DeploymentWorkloads.canary(client, NS, " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("application");
        assertThatThrownBy(() -> w.scale(Role.STABLE, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void a_named_container_that_is_missing_is_a_clear_permanent_error() {
        Cluster.seedBlueGreen(mock);
        DeploymentWorkloads w = DeploymentWorkloads.blueGreen(client, NS, "myapp").container("web").build();
        assertThatThrownBy(() -> w.deploy(V3, 1)).isInstanceOf(CutoverException.class)
                .hasMessageContaining("no container named 'web'").hasMessageContaining("[myapp]");
    }

    private Deployment get(String name) {
        return mock.apps().deployments().inNamespace(NS).withName(name).get();
    }

    private Map<String, String> annotations(String name) {
        return get(name).getMetadata().getAnnotations();
    }
}
