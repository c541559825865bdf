package io.cutover.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.spi.Role;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.HeaderMatch;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Finding: "Resources Cutover did not create are taken over", for VirtualService routes and
 * DestinationRule subsets. A route of Cutover's name that Cutover did not write, and a DestinationRule
 * of the configured name for another host, are refused before any write and left as they were
 * (checked at the mock API server: no write request, same resourceVersion and content).
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ForeignIstioObjectsTest {

    KubernetesClient client;
    KubernetesMockServer server;

    @BeforeEach
    void seed() {
        IstioFixtures.installCrds(client);
    }

    private List<String> writes() throws InterruptedException {
        List<String> writes = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            if (!r.getMethod().equals("GET")) {
                writes.add(r.getMethod() + " " + r.getPath());
            }
        }
        return writes;
    }

    private static void assertPermanent(Throwable e) {
        assertThat(((CutoverException) e).kind()).isEqualTo(CutoverException.Kind.PERMANENT);
    }

    @Test
    void anotherTeamsRouteNamedAsCutoversHeaderRouteIsNeitherRemovedNorReplaced() throws InterruptedException {
        IstioFixtures.create(client, "security/virtualservice-foreign-route.yaml", "shop");
        GenericKubernetesResource before = IstioFixtures.virtualService(client, "shop", "myapp");
        writes();
        VirtualServiceRouter router = VirtualServiceRouter.builder(client).virtualService("shop", "myapp").build();

        assertThatThrownBy(() -> router.apply(TrafficSplit.weighted(25))).isInstanceOf(CutoverException.class)
                .hasMessageContaining("virtualservice shop/myapp has an HTTP route named 'cutover-candidate' that Cutover did not write")
                .satisfies(ForeignIstioObjectsTest::assertPermanent);
        assertThatThrownBy(() -> router.apply(new TrafficSplit(0, List.of(HeaderMatch.exact("x-beta", "1")), 0)))
                .hasMessageContaining("that Cutover did not write");

        assertThat(writes()).as("write requests").isEmpty();
        GenericKubernetesResource after = IstioFixtures.virtualService(client, "shop", "myapp");
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(IstioFixtures.spec(after)).isEqualTo(IstioFixtures.spec(before));
    }

    @Test
    void aHeaderRouteCutoverWroteIsStillItsOwnToReplaceAndRemove() {
        IstioFixtures.create(client, "virtualservice-seed.yaml", "shop");
        VirtualServiceRouter router = VirtualServiceRouter.builder(client).virtualService("shop", "myapp").build();

        router.apply(new TrafficSplit(0, List.of(HeaderMatch.exact("x-beta", "1")), 0));
        router.apply(new TrafficSplit(0, List.of(HeaderMatch.exact("x-beta", "2")), 0));
        assertThat(router.read().candidateMatches()).containsExactly(HeaderMatch.exact("x-beta", "2"));
        router.apply(TrafficSplit.stableOnly());

        assertThat(router.read()).isEqualTo(TrafficSplit.stableOnly());
    }

    @Test
    void aDestinationRuleOfTheNameForAnotherHostIsNotRepointed() throws InterruptedException {
        IstioFixtures.create(client, "security/destinationrule-foreign.yaml", "shop");
        GenericKubernetesResource before = IstioFixtures.destinationRule(client, "shop", "myapp");
        writes();
        DestinationRuleSubsets subsets = DestinationRuleSubsets.builder(client).destinationRule("shop", "myapp").host("myapp").build();

        assertThatThrownBy(() -> subsets.point(Role.CANDIDATE, "v2.0.0")).isInstanceOf(CutoverException.class)
                .hasMessageContaining("destinationrule shop/myapp is for host 'search.shop.svc.cluster.local', not 'myapp'")
                .satisfies(ForeignIstioObjectsTest::assertPermanent);
        assertThatThrownBy(() -> subsets.select(Role.STABLE, Map.of("cutover.io/track", "stable")))
                .hasMessageContaining("not this application's DestinationRule");

        assertThat(writes()).as("write requests").isEmpty();
        GenericKubernetesResource after = IstioFixtures.destinationRule(client, "shop", "myapp");
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(IstioFixtures.spec(after)).isEqualTo(IstioFixtures.spec(before));
    }

    @Test
    void theApplicationsDestinationRuleIsRecognisedByItsShortOrFullHost() {
        DestinationRuleSubsets subsets = DestinationRuleSubsets.builder(client).destinationRule("shop", "myapp").host("myapp").build();
        for (String host : List.of("myapp", "myapp.shop", "myapp.shop.svc", "myapp.shop.svc.cluster.local")) {
            GenericKubernetesResource dr = IstioFixtures.load(client, "destinationrule-seed.yaml");
            IstioFixtures.spec(dr).put("host", host);
            client.genericKubernetesResources(IstioResources.destinationRules("v1beta1")).inNamespace("shop").resource(dr).create();

            subsets.point(Role.CANDIDATE, "v2.0.0");

            assertThat(subsets.labelValue(Role.CANDIDATE)).as(host).contains("v2.0.0");
            client.genericKubernetesResources(IstioResources.destinationRules("v1beta1")).inNamespace("shop").withName("myapp").delete();
        }
    }
}
