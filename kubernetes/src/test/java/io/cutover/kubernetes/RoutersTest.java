package io.cutover.kubernetes;

import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class RoutersTest {

    KubernetesClient mock;

    @Test
    void the_service_selector_router_switches_only_the_colour_and_points_the_preview_at_the_candidate() {
        KubernetesClient client = Cluster.adapterClient(mock);
        Cluster.seedBlueGreen(mock);
        mock.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("myapp-preview").endMetadata()
                .withNewSpec().addToSelector("app", "myapp").addToSelector("version", "blue").endSpec().build()).create();
        var router = ServiceSelectorRouter.builder(DeploymentWorkloads.blueGreen(client, NS, "myapp").activeService("myapp").build(), "myapp")
                .previewService("myapp-preview").build();

        assertThat(router.capabilities()).isEmpty();
        router.apply(TrafficSplit.stableOnly());
        assertThat(selector("myapp")).containsExactlyInAnyOrderEntriesOf(Map.of("app", "myapp", "version", "blue"));
        assertThat(selector("myapp-preview")).containsEntry("version", "green");
        router.apply(TrafficSplit.weighted(100));
        assertThat(selector("myapp")).containsExactlyInAnyOrderEntriesOf(Map.of("app", "myapp", "version", "green"));
        assertThat(router.read().candidateWeight()).isEqualTo(100);
        assertThatThrownBy(() -> router.apply(TrafficSplit.weighted(30))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("candidateWeight must be 0 or 100, not 30");
        assertThatThrownBy(() -> ServiceSelectorRouter.builder(DeploymentWorkloads.canary(client, NS, "myapp").build(), "myapp").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blue-green");
    }

    @Test
    void the_gateway_router_keeps_the_routes_other_rules_and_filters_and_round_trips_header_matches() {
        KubernetesClient client = Cluster.adapterClient(mock);
        Cluster.apply(mock, "gateway/canary.yaml");
        var router = GatewayApiRouter.builder(client, NS, "myapp").backends("myapp", "myapp-canary").build();
        assertThat(router.capabilities()).containsExactlyInAnyOrder(RouterCapability.WEIGHTED, RouterCapability.HEADER_ROUTES);

        List<HeaderMatch> matches = List.of(HeaderMatch.exact("x-canary", "true"), HeaderMatch.prefix("x-user", "beta.tester+1"),
                HeaderMatch.cookie("canary", "yes"));
        TrafficSplit split = new TrafficSplit(25, matches, 0);
        router.apply(split);
        assertThat(router.read()).isEqualTo(split);

        HTTPRoute route = mock.resources(HTTPRoute.class).inNamespace(NS).withName("myapp").get();
        assertThat(route.getSpec().getRules()).hasSize(3);
        assertThat(route.getSpec().getRules().get(0).getBackendRefs()).extracting("name").containsExactly("admin");
        var routes = route.getSpec().getRules().get(1);
        assertThat(routes.getName()).isEqualTo(GatewayApiRouter.ROUTES_RULE);
        assertThat(routes.getMatches()).hasSize(3).allSatisfy(m -> assertThat(m.getPath().getValue()).isEqualTo("/"));
        assertThat(routes.getBackendRefs()).extracting("name").containsExactly("myapp-canary");
        var weighted = route.getSpec().getRules().get(2);
        assertThat(weighted.getFilters()).hasSize(1);
        assertThat(weighted.getBackendRefs()).extracting("name", "weight", "port")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("myapp", 75, 80), org.assertj.core.groups.Tuple.tuple("myapp-canary", 25, 80));
        assertThat(route.getSpec().getHostnames()).containsExactly("shop.example.com");
        assertThat(route.getMetadata().getLabels()).containsEntry("team", "payments");

        router.apply(TrafficSplit.stableOnly());
        assertThat(router.read()).isEqualTo(TrafficSplit.stableOnly());
        assertThat(mock.resources(HTTPRoute.class).inNamespace(NS).withName("myapp").get().getSpec().getRules()).hasSize(2);
        assertThatThrownBy(() -> router.apply(TrafficSplit.stableOnly().withMirrorPercent(10))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_route_without_the_stable_backend_is_a_clear_permanent_error() {
        KubernetesClient client = Cluster.adapterClient(mock);
        Cluster.apply(mock, "gateway/canary.yaml");
        var router = GatewayApiRouter.builder(client, NS, "myapp").backends("web", "web-canary").build();
        assertThatThrownBy(router::read).isInstanceOf(CutoverException.class)
                .hasMessageContaining("httproute shop/myapp has no rule with a backendRef to service web");
        var missing = GatewayApiRouter.builder(client, NS, "nope").build();
        assertThatThrownBy(() -> missing.apply(TrafficSplit.weighted(10))).hasMessageContaining("get httproute shop/nope found nothing (404)");
    }

    @Test
    void the_replica_ratio_router_refuses_a_service_that_misses_the_candidates_pods() {
        KubernetesClient client = Cluster.adapterClient(mock);
        Cluster.apply(mock, "seed/rolling-deployment.yaml");
        Cluster.apply(mock, "gateway/canary.yaml");
        var workloads = DeploymentWorkloads.canary(client, NS, "myapp").build();
        workloads.deploy(io.cutover.spi.Revision.of("v2", "myapp:v2"), 1);
        mock.services().inNamespace(NS).withName("myapp").edit(s -> { s.getSpec().getSelector().put("track", "stable"); return s; });
        var router = ReplicaRatioRouter.of(workloads, "myapp");
        assertThatThrownBy(() -> router.apply(TrafficSplit.weighted(20))).isInstanceOf(CutoverException.class)
                .hasMessageContaining("the candidate would get no traffic");
        router.apply(TrafficSplit.stableOnly());
        assertThatThrownBy(() -> router.apply(new TrafficSplit(0, List.of(HeaderMatch.exact("x", "y")), 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configmap_names_fit_kubernetes_and_keep_different_rollouts_apart() {
        var store = new ConfigMapStateStore(Cluster.adapterClient(mock), NS);
        assertThat(store.configMapName("myapp")).isEqualTo("cutover-rollout-myapp");
        String odd = store.configMapName("MyApp_Release.2026");
        assertThat(odd).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
        assertThat(store.configMapName("MyApp_Release.2026")).isNotEqualTo(store.configMapName("myapp-release.2026"));
        assertThat(store.configMapName("x".repeat(200))).hasSizeLessThanOrEqualTo(63);
    }

    private Map<String, String> selector(String service) {
        return mock.services().inNamespace(NS).withName(service).get().getSpec().getSelector();
    }
}
