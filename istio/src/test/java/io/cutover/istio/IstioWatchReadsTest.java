package io.cutover.istio;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.kubernetes.KubernetesCache;
import io.cutover.spi.Role;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Istio routers read through the Kubernetes module's watch cache: no GET once the kind is
 * watched, their own writes seen at once, and a 409 on a stale cached VirtualService re-read from
 * the API server.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class IstioWatchReadsTest {

    KubernetesClient client;
    KubernetesMockServer server;
    private KubernetesCache cache;

    @BeforeEach
    void seed() {
        IstioFixtures.installCrds(client);
        IstioFixtures.create(client, "virtualservice-seed.yaml", "shop");
        IstioFixtures.create(client, "destinationrule-seed.yaml", "shop");
        cache = KubernetesCache.of(client);
    }

    @AfterEach
    void close() {
        cache.close();
    }

    private VirtualServiceRouter router() {
        return VirtualServiceRouter.builder(client).virtualService("shop", "myapp").cache(cache).build();
    }

    @Test
    void weights_are_written_and_read_back_with_no_get_once_the_virtual_service_is_watched() {
        VirtualServiceRouter router = router();
        assertThat(router.read()).isEqualTo(TrafficSplit.weighted(10)); // starts the watch
        drain();

        for (int weight : new int[] {25, 50, 75, 100, 0}) {
            router.apply(TrafficSplit.weighted(weight));
            assertThat(router.read()).as("read back at once after %d", weight).isEqualTo(TrafficSplit.weighted(weight));
        }

        List<String> sent = drain();
        assertThat(sent).as("one update per weight and nothing else").hasSize(5)
                .allMatch(r -> r.equals("PUT /apis/networking.istio.io/v1beta1/namespaces/shop/virtualservices/myapp"));
        assertThat(weights()).containsExactly(100, 0);
    }

    @Test
    void a_stale_cached_virtual_service_is_refused_then_re_read_from_the_server_and_updated() {
        VirtualServiceRouter router = router();
        router.read();
        server.expect().put().withPath("/apis/networking.istio.io/v1beta1/namespaces/shop/virtualservices/myapp")
                .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict").withMessage("the object has been modified").build())
                .once();
        drain();

        router.apply(TrafficSplit.weighted(50));

        List<String> sent = drain();
        assertThat(sent).containsExactly(
                "PUT /apis/networking.istio.io/v1beta1/namespaces/shop/virtualservices/myapp",
                "GET /apis/networking.istio.io/v1beta1/namespaces/shop/virtualservices/myapp",
                "PUT /apis/networking.istio.io/v1beta1/namespaces/shop/virtualservices/myapp");
        assertThat(weights()).containsExactly(50, 50);
        assertThat(router.read()).isEqualTo(TrafficSplit.weighted(50));
    }

    @Test
    void destination_rule_subsets_are_read_from_the_watch() {
        DestinationRuleSubsets subsets = DestinationRuleSubsets.builder(client).destinationRule("shop", "myapp").host("myapp")
                .cache(cache).build();
        assertThat(subsets.labelValue(Role.STABLE)).contains("stable"); // starts the watch
        drain();

        assertThat(subsets.defines("canary")).isTrue();
        assertThat(subsets.labelValue(Role.CANDIDATE)).contains("canary");

        assertThat(drain()).as("no request").isEmpty();
    }

    /** The requests recorded since the last drain, as "METHOD path", watches and lists of the informers left out. */
    private List<String> drain() {
        List<String> calls = new ArrayList<>();
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                String path = r.getPath();
                int q = path.indexOf('?');
                if (q < 0) {
                    calls.add(r.getMethod() + " " + path);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return calls;
    }

    private List<Integer> weights() {
        return IstioFixtures.seedWeights(client, "shop");
    }
}
