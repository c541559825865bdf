package io.cutover.kubernetes;

import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.WorkloadIdentity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One identity for a role's pods: the stable Deployment's pods get {@code cutover.io/track: stable}
 * (template only, never the selector), the candidate's {@code cutover.io/track: canary}, and the
 * role Services of a Gateway API canary select exactly one role each, so the stable Service never
 * serves candidate pods.
 */
@EnableKubernetesMockClient(crud = true)
class RoleIdentityTest {

    KubernetesClient mock;
    private Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(mock);
        Cluster.apply(mock, "gateway/canary.yaml");   // Services myapp (app: myapp), myapp-canary
        mock.apps().deployments().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata().withName("myapp").endMetadata()
                .withNewSpec().withReplicas(4).withNewSelector().addToMatchLabels("app", "myapp").endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate().withNewMaxSurge(1).withNewMaxUnavailable(0)
                .endRollingUpdate().endStrategy()
                .withNewTemplate().withNewMetadata().addToLabels("app", "myapp").addToLabels("version", "v1").endMetadata()
                .withNewSpec().addNewContainer().withName("myapp").withImage("myapp:v1.0.0").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
        h.settle();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void the_gateway_api_canarys_stable_service_also_serves_canary_pods_no_more() {
        DeploymentWorkloads w = DeploymentWorkloads.canary(h.client, NS, "myapp").roleServices("myapp", "myapp-canary").build();
        Revision v2 = Revision.of("v2.0.0", "myapp:v2.0.0");

        assertThatThrownBy(() -> w.deploy(v2, 1)).as("stable's pods do not carry their label yet")
                .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.kind()).isEqualTo(CutoverException.Kind.TRANSIENT))
                .hasMessageContaining("cutover.io/track=stable");
        var stable = h.deployment("myapp");
        assertThat(stable.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("cutover.io/track", "stable").containsEntry("version", "v1");
        assertThat(stable.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("app", "myapp"));
        assertThat(h.deployment("myapp-canary")).as("no candidate pod while the stable Service would serve it").isNull();

        for (int i = 0; i < 30 && !h.controller.reconcile(); i++) {
            h.time.advance(Duration.ofSeconds(10));
        }
        w.deploy(v2, 1);
        for (int i = 0; i < 30 && !h.controller.reconcile(); i++) {
            h.time.advance(Duration.ofSeconds(10));
        }

        assertThat(mock.services().inNamespace(NS).withName("myapp").get().getSpec().getSelector())
                .containsEntry("app", "myapp").containsEntry("cutover.io/track", "stable");
        assertThat(h.traffic.service("myapp").byDeployment()).as("the stable Service serves only stable pods").containsOnlyKeys("myapp");
        assertThat(h.traffic.service("myapp-canary").byDeployment()).containsOnlyKeys("myapp-canary");
        assertThat(h.deployment("myapp-canary").getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("cutover.io/track", "canary").containsEntry("cutover.io/revision", "v2.0.0")
                .containsEntry("cutover.io/application", "myapp");
        assertThat(w.identity(Role.CANDIDATE)).contains(new WorkloadIdentity(NS, "myapp-canary", Map.of("cutover.io/track", "canary")));
        assertThat(w.identity(Role.STABLE)).contains(new WorkloadIdentity(NS, "myapp", Map.of("cutover.io/track", "stable")));
    }

    @Test
    void the_pod_identity_is_overridable_and_validated() {
        DeploymentWorkloads w = DeploymentWorkloads.canary(h.client, NS, "myapp").identity(new PodIdentity("example.com/role", "main", "next")).build();

        assertThat(w.identity(Role.STABLE).orElseThrow().labels()).isEqualTo(Map.of("example.com/role", "main"));
        assertThat(w.identity(Role.CANDIDATE).orElseThrow().labels()).isEqualTo(Map.of("example.com/role", "next"));
        assertThatThrownBy(() -> new PodIdentity("cutover.io/track", "same", "same")).hasMessageContaining("stableValue and candidateValue must differ");
        assertThatThrownBy(() -> new PodIdentity("bad key!", "a", "b")).hasMessageContaining("labelKey").hasMessageContaining("bad key!");
    }
}
