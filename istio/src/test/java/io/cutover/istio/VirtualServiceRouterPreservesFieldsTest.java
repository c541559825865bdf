package io.cutover.istio;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.spi.HeaderMatch;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Everything in a VirtualService that Cutover does not own survives every write. */
@EnableKubernetesMockClient(crud = true, https = false)
class VirtualServiceRouterPreservesFieldsTest {

    KubernetesClient client;
    Map<String, Object> original;
    VirtualServiceRouter router;

    @BeforeEach
    void seed() {
        IstioFixtures.installCrds(client);
        original = withoutServerFields(IstioFixtures.json(client, IstioFixtures.create(client, "virtualservice-rich.yaml", "shop")));
        router = VirtualServiceRouter.builder(client)
                .virtualService(VirtualServiceRef.of("shop", "shop", "primary"))
                .stable(IstioDestination.of("shop", "stable"))
                .candidate(IstioDestination.of("shop", "canary"))
                .build();
    }

    @Test
    void aFullRolloutLeavesTheResourceAsItWas() {
        router.apply(new TrafficSplit(0, List.of(), 50));
        router.apply(new TrafficSplit(0, List.of(HeaderMatch.exact("x-canary", "true")), 0));
        for (int weight : new int[] {10, 25, 50, 75}) {
            router.apply(new TrafficSplit(weight, List.of(HeaderMatch.cookie("canary", "yes")), 10));
            assertThat(weightsOfPrimary()).containsExactly(100 - weight, weight);
        }
        router.apply(TrafficSplit.weighted(100));
        router.apply(TrafficSplit.stableOnly());

        assertThat(current()).isEqualTo(original);
    }

    @Test
    void anAbortLeavesTheResourceAsItWas() {
        router.apply(new TrafficSplit(25, List.of(HeaderMatch.prefix("x-user", "tester-")), 20));

        router.apply(TrafficSplit.stableOnly());

        assertThat(current()).isEqualTo(original);
        assertThat(router.read()).isEqualTo(TrafficSplit.stableOnly());
    }

    @Test
    void midRolloutOnlyWeightsMirrorAndCutoversRouteDiffer() {
        router.apply(new TrafficSplit(25, List.of(HeaderMatch.exact("x-canary", "true")), 20));

        Map<String, Object> now = current();
        List<Map<String, Object>> http = http(now);
        assertThat(http).extracting(r -> r.get("name")).containsExactly("admin", "cutover-candidate-primary", "primary");
        Map<String, Object> primary = http.get(2);
        assertThat(primary.get("mirror")).isEqualTo(Map.of("host", "shop", "subset", "canary", "port", Map.of("number", 8080)));
        assertThat(primary.get("mirrorPercentage")).isEqualTo(Map.of("value", 20.0));

        // Undo exactly what Cutover owns by hand: the rest must be the original.
        primary.remove("mirror");
        primary.remove("mirrorPercentage");
        routeOf(primary).get(0).put("weight", 100);
        routeOf(primary).get(1).put("weight", 0);
        http.remove(1);
        assertThat(now).isEqualTo(original);
    }

    @Test
    void theHeaderRouteKeepsTheWeightedRoutesMatchAndPolicies() {
        router.apply(new TrafficSplit(0, List.of(HeaderMatch.exact("x-canary", "true")), 0));

        Map<String, Object> headerRoute = http(current()).get(1);
        Map<String, Object> primary = http(original).get(1);
        assertThat(headerRoute.get("match")).isEqualTo(List.of(Map.of(
                "uri", Map.of("prefix", "/"),
                "headers", Map.of("x-canary", Map.of("exact", "true")))));
        assertThat(routeOf(headerRoute)).as("the candidate's entry, its headers kept, without a weight").containsExactly(Map.of(
                "destination", Map.of("host", "shop", "subset", "canary", "port", Map.of("number", 8080)),
                "headers", Map.of("response", Map.of("add", Map.of("x-served-by", "canary")))));
        for (String kept : List.of("timeout", "retries", "fault", "corsPolicy", "headers", "futureIstioField")) {
            assertThat(headerRoute.get(kept)).as(kept).isEqualTo(primary.get(kept));
        }
    }

    private Map<String, Object> current() {
        return withoutServerFields(IstioFixtures.json(client, IstioFixtures.virtualService(client, "shop", "shop")));
    }

    private List<Integer> weightsOfPrimary() {
        return routeOf(http(current()).stream().filter(r -> "primary".equals(r.get("name"))).findFirst().orElseThrow())
                .stream().map(d -> ((Number) d.get("weight")).intValue()).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> http(Map<String, Object> vs) {
        return (List<Map<String, Object>>) ((Map<String, Object>) vs.get("spec")).get("http");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> routeOf(Map<String, Object> httpRoute) {
        return (List<Map<String, Object>>) httpRoute.get("route");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutServerFields(Map<String, Object> vs) {
        Map<String, Object> metadata = (Map<String, Object>) vs.get("metadata");
        for (String field : List.of("resourceVersion", "generation", "uid", "creationTimestamp", "managedFields")) {
            metadata.remove(field);
        }
        return vs;
    }
}
