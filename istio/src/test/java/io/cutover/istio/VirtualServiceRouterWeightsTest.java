package io.cutover.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class VirtualServiceRouterWeightsTest {

    KubernetesClient client;
    KubernetesMockServer server;

    @BeforeEach
    void seed() {
        IstioFixtures.installCrds(client);
        IstioFixtures.create(client, "virtualservice-seed.yaml", "shop");
        IstioFixtures.create(client, "destinationrule-seed.yaml", "shop");
    }

    private VirtualServiceRouter router() {
        return VirtualServiceRouter.builder(client).virtualService("shop", "myapp").build();
    }

    @Test
    void readsTheSeedSplitFromTheRouteSendingToStable() {
        TrafficSplit split = router().read();

        assertThat(split.candidateWeight()).isEqualTo(10);
        assertThat(split.candidateMatches()).as("the seed's own x-canary route is the user's, not Cutover's").isEmpty();
        assertThat(split.mirrorPercent()).isZero();
    }

    @Test
    void setsWeightsThatSumToOneHundredAtEveryStep() {
        VirtualServiceRouter router = router();
        for (int weight : new int[] {10, 25, 50, 75, 100, 0}) {
            router.apply(TrafficSplit.weighted(weight));

            assertThat(router.read()).isEqualTo(TrafficSplit.weighted(weight));
            assertThat(weights()).containsExactly(100 - weight, weight);
        }
    }

    @Test
    void leavesTheUsersHeaderRouteAndHostsAlone() {
        Map<String, Object> before = IstioFixtures.spec(IstioFixtures.virtualService(client, "shop", "myapp"));

        router().apply(TrafficSplit.weighted(50));

        Map<String, Object> after = IstioFixtures.spec(IstioFixtures.virtualService(client, "shop", "myapp"));
        assertThat(after.get("hosts")).isEqualTo(before.get("hosts"));
        assertThat(((List<?>) after.get("http")).get(0)).isEqualTo(((List<?>) before.get("http")).get(0));
        assertThat((List<?>) after.get("http")).hasSize(2);
    }

    @Test
    void repeatingASplitWritesNothing() {
        VirtualServiceRouter router = router();
        router.apply(TrafficSplit.weighted(25));
        String version = IstioFixtures.virtualService(client, "shop", "myapp").getMetadata().getResourceVersion();

        router.apply(TrafficSplit.weighted(25));

        assertThat(IstioFixtures.virtualService(client, "shop", "myapp").getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void worksOnTheV1Api() {
        var vs = IstioFixtures.load(client, "virtualservice-seed.yaml");
        vs.setApiVersion("networking.istio.io/v1");
        vs.getMetadata().setNamespace("mesh");
        client.genericKubernetesResources(IstioResources.virtualServices("v1")).inNamespace("mesh").resource(vs).create();
        VirtualServiceRouter router = VirtualServiceRouter.builder(client).apiVersion("v1").virtualService("mesh", "myapp").build();

        router.apply(TrafficSplit.weighted(35));

        assertThat(router.read()).isEqualTo(TrafficSplit.weighted(35));
        assertThat(client.genericKubernetesResources(IstioResources.virtualServices("v1")).inNamespace("mesh").withName("myapp").get()
                .getApiVersion()).isEqualTo("networking.istio.io/v1");
    }

    @Test
    void declaresWeightsHeaderRoutesAndMirror() {
        assertThat(router().capabilities())
                .containsExactlyInAnyOrder(RouterCapability.WEIGHTED, RouterCapability.HEADER_ROUTES, RouterCapability.MIRROR);
    }

    @Test
    void aMissingVirtualServiceIsAPermanentFailureNamingIt() {
        VirtualServiceRouter router = VirtualServiceRouter.builder(client).virtualService("shop", "nope").build();

        assertThatThrownBy(() -> router.apply(TrafficSplit.weighted(10)))
                .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.kind()).isEqualTo(CutoverException.Kind.PERMANENT))
                .hasMessageContaining("virtualservice shop/nope");
    }

    @Test
    void aRouteNameThatIsNotThereIsAPermanentFailure() {
        VirtualServiceRouter router = VirtualServiceRouter.builder(client)
                .virtualService(VirtualServiceRef.of("shop", "myapp", "primary")).build();

        assertThatThrownBy(() -> router.read())
                .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.kind()).isEqualTo(CutoverException.Kind.PERMANENT))
                .hasMessageContaining("no HTTP route named 'primary'");
    }

    private List<Integer> weights() {
        return IstioFixtures.seedWeights(client, "shop");
    }
}
