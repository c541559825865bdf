package io.cutover.kubernetes;

import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.Target;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Finding: "Resources Cutover did not create are taken over", for Services and HTTPRoute rules. A
 * name that collides with another team's object is refused before any write, and that object is left
 * as it was (checked at the mock API server: no write request reached it, same resourceVersion).
 */
@EnableKubernetesMockClient(crud = true)
class ForeignServicesAndRoutesTest {

    KubernetesClient mock;
    KubernetesMockServer server;

    private KubernetesClient client;
    private static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    @BeforeEach
    void setUp() {
        client = Cluster.adapterClient(mock);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private Service service(String name) {
        return mock.services().inNamespace(NS).withName(name).get();
    }

    private List<Cluster.Call> writes() {
        return Cluster.adapter(Cluster.drain(server)).stream().filter(c -> !c.method().equals("GET")).toList();
    }

    private static void assertPermanent(Throwable e) {
        assertThat(((CutoverException) e).kind()).isEqualTo(CutoverException.Kind.PERMANENT);
    }

    @Test
    void anotherTeamsServiceNamedAsTheCandidatesIsNeitherPatchedNorIsAnyCandidateCreated() {
        Cluster.apply(mock, "seed/rolling-deployment.yaml");
        Cluster.apply(mock, "gateway/canary.yaml");
        mock.services().inNamespace(NS).withName("myapp-canary").delete();
        Cluster.apply(mock, "security/foreign-service.yaml");
        Service before = service("myapp-canary");
        Cluster.drain(server);
        Target target = KubernetesTarget.canary(client, NS, "myapp").gatewayApi("myapp", "myapp", "myapp-canary").build();

        assertThatThrownBy(() -> target.workloads().deploy(V2, 1)).isInstanceOf(CutoverException.class)
                .hasMessageContaining("service shop/myapp-canary selects {app=search, tier=canary}")
                .hasMessageContaining("not this application's Service").satisfies(ForeignServicesAndRoutesTest::assertPermanent);

        assertThat(writes()).as("write requests of the adapter").isEmpty();
        Service after = service("myapp-canary");
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(after.getSpec().getSelector()).isEqualTo(Map.of("app", "search", "tier", "canary"));
        assertThat(mock.apps().deployments().inNamespace(NS).withName("myapp-canary").get()).isNull();
    }

    @Test
    void theApplicationsOwnCandidateServiceIsStillNarrowedToTheCandidatesPods() {
        Cluster.apply(mock, "seed/rolling-deployment.yaml");
        Cluster.apply(mock, "gateway/canary.yaml");
        mock.services().inNamespace(NS).withName("myapp-canary").edit(s -> {
            s.getSpec().setSelector(Map.of("app", "myapp"));
            return s;
        });
        Target target = KubernetesTarget.canary(client, NS, "myapp").gatewayApi("myapp", "myapp", "myapp-canary").build();

        // the stable Service waits for stable's pods to carry their label (a transient failure); the candidate's is narrowed first
        assertThatThrownBy(() -> target.workloads().deploy(V2, 1)).hasMessageContaining("once every stable pod carries them");

        assertThat(service("myapp-canary").getSpec().getSelector()).isEqualTo(Map.of("app", "myapp", "cutover.io/track", "canary"));
    }

    @Test
    void anotherTeamsPreviewServiceIsNotSwitchedToTheCandidate() {
        Cluster.seedBlueGreen(mock);
        Cluster.apply(mock, "security/foreign-preview.yaml");
        Service before = service("myapp-preview");
        Cluster.drain(server);
        Target target = KubernetesTarget.blueGreen(client, NS, "myapp").previewService("myapp-preview").build();

        assertThatThrownBy(() -> target.router().apply(TrafficSplit.stableOnly())).isInstanceOf(CutoverException.class)
                .hasMessageContaining("service shop/myapp-preview selects {app=search}")
                .satisfies(ForeignServicesAndRoutesTest::assertPermanent);

        assertThat(writes().stream().filter(c -> c.path().endsWith("/services/myapp-preview"))).isEmpty();
        Service after = service("myapp-preview");
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(after.getSpec().getSelector()).isEqualTo(Map.of("app", "search", "version", "blue"));
    }

    @Test
    void anotherTeamsRuleNamedAsCutoversHeaderRouteIsNeitherRemovedNorReplaced() {
        Cluster.apply(mock, "seed/rolling-deployment.yaml");
        Cluster.apply(mock, "security/route-with-foreign-rule.yaml");
        HTTPRoute before = mock.resources(HTTPRoute.class).inNamespace(NS).withName("myapp").get();
        Cluster.drain(server);
        GatewayApiRouter router = GatewayApiRouter.builder(client, NS, "myapp").backends("myapp", "myapp-canary").build();

        assertThatThrownBy(() -> router.apply(TrafficSplit.weighted(25))).isInstanceOf(CutoverException.class)
                .hasMessageContaining("httproute shop/myapp has a rule named cutover-candidate-routes that Cutover did not write")
                .satisfies(ForeignServicesAndRoutesTest::assertPermanent);

        assertThat(writes()).as("write requests of the adapter").isEmpty();
        HTTPRoute after = mock.resources(HTTPRoute.class).inNamespace(NS).withName("myapp").get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(after.getSpec().getRules()).isEqualTo(before.getSpec().getRules());
    }
}
