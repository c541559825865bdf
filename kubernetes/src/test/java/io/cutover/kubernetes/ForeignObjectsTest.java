package io.cutover.kubernetes;

import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Findings: "Resources Cutover did not create are taken over" (another team's {@code myapp-canary}
 * was patched, annotated and scaled to 0) and "Names are checked only for blankness" ({@code x/../../..}
 * reached the API server as a raw path). On the fabric8 mock API server in CRUD mode, with every
 * request the adapter makes recorded.
 */
@EnableKubernetesMockClient(crud = true)
class ForeignObjectsTest {

    KubernetesClient mock;
    KubernetesMockServer server;

    private KubernetesClient client;
    private static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    @BeforeEach
    void setUp() {
        client = Cluster.adapterClient(mock);
        Cluster.apply(mock, "seed/rolling-deployment.yaml");      // myapp, the stable Deployment
        Cluster.apply(mock, "security/foreign-canary.yaml");      // myapp-canary, the search team's
        Cluster.drain(server);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private Deployment foreign() {
        return mock.apps().deployments().inNamespace(NS).withName("myapp-canary").get();
    }

    private List<Cluster.Call> writesTo(String name) {
        return Cluster.adapter(Cluster.drain(server)).stream()
                .filter(c -> !c.method().equals("GET") && c.path().endsWith("/" + name)).toList();
    }

    @Test
    void anotherTeamsMyappCanaryIsNeitherPatchedNorScaledNorDeleted() {
        DeploymentWorkloads w = DeploymentWorkloads.canary(client, NS, "myapp").build();
        String before = foreign().getMetadata().getResourceVersion();

        assertThatThrownBy(() -> w.deploy(V2, 1)).isInstanceOf(CutoverException.class)
                .hasMessageContaining("deployment shop/myapp-canary exists but Cutover did not create it")
                .satisfies(e -> assertThat(((CutoverException) e).kind()).isEqualTo(CutoverException.Kind.PERMANENT));
        assertThatThrownBy(() -> w.scale(Role.CANDIDATE, 0)).hasMessageContaining("did not create it");
        assertThatThrownBy(() -> w.retire(Role.CANDIDATE)).hasMessageContaining("did not create it");

        assertThat(writesTo("myapp-canary")).as("write requests to the foreign Deployment").isEmpty();
        Deployment after = foreign();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before);
        assertThat(after.getSpec().getReplicas()).isEqualTo(2);
        assertThat(after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("search:v7");
        assertThat(after.getMetadata().getAnnotations()).containsOnlyKeys("owner");
    }

    @Test
    void aCandidateHandedOverByTheUserIsManaged() {
        DeploymentWorkloads w = DeploymentWorkloads.canary(client, NS, "myapp").container("search").manageExistingCandidate().build();

        w.deploy(V2, 1);

        Deployment after = foreign();
        assertThat(after.getSpec().getReplicas()).isEqualTo(1);
        assertThat(after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v2.0.0");
        assertThat(after.getMetadata().getAnnotations()).containsEntry("owner", "search-team@example.com");
    }

    @Test
    void aCandidateCutoverCreatedIsStillItsOwnToScaleAndDelete() {
        mock.apps().deployments().inNamespace(NS).withName("myapp-canary").delete();
        DeploymentWorkloads w = DeploymentWorkloads.canary(client, NS, "myapp").build();

        w.deploy(V2, 1);
        w.scale(Role.CANDIDATE, 2);
        assertThat(foreign().getSpec().getReplicas()).isEqualTo(2);
        w.retire(Role.CANDIDATE);

        assertThat(foreign()).isNull();
    }

    @Test
    void namesThatAreNotDns1123AreRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> DeploymentWorkloads.canary(client, NS, "x/../../..").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("application must be a DNS-1123 name").hasMessageContaining("'x/../../..'");
        assertThatThrownBy(() -> DeploymentWorkloads.canary(client, "../kube-system", "myapp").build())
                .hasMessageStartingWith("namespace must be a DNS-1123 name");
        assertThatThrownBy(() -> DeploymentWorkloads.canary(client, NS, "myapp").stable("myapp/status").build())
                .hasMessageStartingWith("stable deployment must be a DNS-1123 name");
        assertThatThrownBy(() -> DeploymentWorkloads.canary(client, NS, "myapp").candidate("Myapp_Canary", Map.of("track", "canary")))
                .hasMessageStartingWith("candidate deployment must be a DNS-1123 name");
        assertThatThrownBy(() -> DeploymentWorkloads.canary(client, NS, "myapp").container("../app"))
                .hasMessageStartingWith("container must be a DNS-1123 label");
        assertThatThrownBy(() -> new ConfigMapStateStore(client, "shop/../kube-system"))
                .hasMessageStartingWith("namespace must be a DNS-1123 name");
        assertThatThrownBy(() -> DeploymentWorkloads.blueGreen(client, NS, "myapp").colours("version", "a", "b/../c", "d", "e"))
                .hasMessageStartingWith("first colour must be a label value");

        assertThat(Cluster.adapter(Cluster.drain(server))).as("requests the adapter made").isEmpty();
        assertThat(DeploymentWorkloads.blueGreen(client, NS, "myapp")
                .colours("app.kubernetes.io/version", "myapp-a", "a", "myapp-b", "b").build()).isNotNull();
    }
}
