package io.cutover.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Header routes, mirroring and several VirtualServices on the seed resources. */
@EnableKubernetesMockClient(crud = true, https = false)
class VirtualServiceRouterRoutesTest {

    KubernetesClient client;
    io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server;
    VirtualServiceRouter router;

    @BeforeEach
    void seed() {
        IstioFixtures.installCrds(client);
        IstioFixtures.create(client, "virtualservice-seed.yaml", "shop");
        IstioFixtures.create(client, "virtualservice-gateway.yaml", "shop");
        router = VirtualServiceRouter.builder(client)
                .virtualService("shop", "myapp")
                .virtualService(VirtualServiceRef.of("shop", "myapp-public", "primary"))
                .build();
    }

    @Test
    @SuppressWarnings("unchecked")
    void headerRoutesOfEveryKindAreReadBackAndPlacedBeforeTheWeightedRoute() {
        List<HeaderMatch> matches = List.of(
                HeaderMatch.exact("x-canary", "true"),
                HeaderMatch.prefix("x-user", "tester-"),
                HeaderMatch.regex("user-agent", ".*Android.*"),
                HeaderMatch.cookie("beta", "on"));

        router.apply(new TrafficSplit(0, matches, 0));

        assertThat(router.read()).isEqualTo(new TrafficSplit(0, matches, 0));
        List<Map<String, Object>> mesh = http("myapp");
        assertThat(mesh).hasSize(3);
        assertThat(mesh.get(1).get("name")).isEqualTo("cutover-candidate");
        assertThat((List<Object>) mesh.get(1).get("match")).hasSize(4).contains(
                Map.of("headers", Map.of("x-user", Map.of("prefix", "tester-"))),
                Map.of("headers", Map.of("cookie", Map.of("regex", HeaderMatch.cookie("beta", "on").value()))));
        assertThat(mesh.get(2).get("name")).as("the weighted route comes after Cutover's").isNull();
        List<Map<String, Object>> gateway = http("myapp-public");
        assertThat(gateway).extracting(r -> r.get("name")).containsExactly("cutover-candidate-primary", "primary");
        assertThat(gateway.get(0).get("timeout")).isEqualTo("5s");
    }

    @Test
    void stableOnlyRemovesExactlyCutoversRoutes() {
        router.apply(new TrafficSplit(25, List.of(HeaderMatch.exact("x-beta", "1")), 0));

        router.apply(TrafficSplit.stableOnly());

        assertThat(http("myapp")).hasSize(2);
        assertThat(http("myapp").get(0).get("match")).as("the seed's own header route stays")
                .isEqualTo(List.of(Map.of("headers", Map.of("x-canary", Map.of("exact", "true")))));
        assertThat(http("myapp-public")).extracting(r -> r.get("name")).containsExactly("primary");
        assertThat(router.read()).isEqualTo(TrafficSplit.stableOnly());
    }

    @Test
    void mirrorsAShareOfRequestsToTheCandidateWithoutServingUsersFromIt() {
        router.apply(new TrafficSplit(0, List.of(), 30));

        assertThat(router.read()).isEqualTo(new TrafficSplit(0, List.of(), 30));
        Map<String, Object> primary = http("myapp-public").get(0);
        assertThat(primary.get("mirror")).isEqualTo(Map.of("host", "myapp.shop.svc.cluster.local", "subset", "canary"));
        assertThat(primary.get("mirrorPercentage")).isEqualTo(Map.of("value", 30.0));
        assertThat(weights("myapp-public", 0)).containsExactly(100, 0);

        router.apply(TrafficSplit.stableOnly());

        assertThat(http("myapp-public").get(0)).doesNotContainKeys("mirror", "mirrorPercentage");
    }

    @Test
    void everyVirtualServiceGetsTheSameWeights() {
        router.apply(TrafficSplit.weighted(40));

        assertThat(weights("myapp", 1)).containsExactly(60, 40);
        assertThat(weights("myapp-public", 0)).containsExactly(60, 40);
        assertThat(router.read(VirtualServiceRef.of("shop", "myapp"))).isEqualTo(TrafficSplit.weighted(40));
    }

    @Test
    void aChangeCostsOneReadAndOneWritePerVirtualServiceAndARepeatOnlyTheReads() {
        int before = server.getRequestCount();
        router.apply(TrafficSplit.weighted(30));
        int change = server.getRequestCount() - before;

        router.apply(TrafficSplit.weighted(30));
        int repeat = server.getRequestCount() - before - change;

        assertThat(change).isEqualTo(4);
        assertThat(repeat).isEqualTo(2);
    }

    @Test
    void whenVirtualServicesDisagreeTheReadShowsTheMostTheCandidateGets() {
        router.apply(TrafficSplit.stableOnly());
        VirtualServiceRouter.builder(client).virtualService(VirtualServiceRef.of("shop", "myapp-public", "primary")).build()
                .apply(TrafficSplit.weighted(15));

        assertThat(router.read()).isEqualTo(TrafficSplit.weighted(15));
    }

    @Test
    void aMirrorTheUserOwnsIsNeitherReplacedNorRemoved() {
        Map<String, Object> theirs = Map.of("host", "shadow-recorder");
        editPrimary(primary -> primary.put("mirror", theirs));

        assertThatThrownBy(() -> router.apply(new TrafficSplit(0, List.of(), 10)))
                .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.kind()).isEqualTo(CutoverException.Kind.PERMANENT))
                .hasMessageContaining("already mirrors");
        router.apply(TrafficSplit.stableOnly());

        assertThat(http("myapp-public").get(0).get("mirror")).isEqualTo(theirs);
        assertThat(router.read(VirtualServiceRef.of("shop", "myapp-public", "primary")).mirrorPercent()).isZero();
    }

    @Test
    void aRouteToADestinationCutoverDoesNotManageIsRefused() {
        editPrimary(primary -> {
            @SuppressWarnings("unchecked")
            List<Object> route = new java.util.ArrayList<>((List<Object>) primary.get("route"));
            route.add(Map.of("destination", Map.of("host", "legacy"), "weight", 0));
            primary.put("route", route);
        });

        assertThatThrownBy(() -> router.apply(TrafficSplit.weighted(10)))
                .isInstanceOf(CutoverException.class)
                .hasMessageContaining("neither");
    }

    @Test
    void aRouteWithoutACandidateDestinationGetsOneCopiedFromStable() {
        editPrimary(primary -> primary.put("route", List.of(Map.of("destination",
                Map.of("host", "myapp.shop.svc.cluster.local", "subset", "stable", "port", Map.of("number", 80))))));
        assertThat(router.read(VirtualServiceRef.of("shop", "myapp-public", "primary"))).isEqualTo(TrafficSplit.stableOnly());

        router.apply(TrafficSplit.weighted(10));

        assertThat(routeOf(http("myapp-public").get(0))).containsExactly(
                Map.of("destination", Map.of("host", "myapp.shop.svc.cluster.local", "subset", "stable", "port", Map.of("number", 80)), "weight", 90),
                Map.of("destination", Map.of("host", "myapp.shop.svc.cluster.local", "subset", "canary", "port", Map.of("number", 80)), "weight", 10));
    }

    @Test
    void withoutARouteNameARouteMustBeUnambiguous() {
        editPrimary(primary -> { });
        var resource = IstioFixtures.virtualService(client, "shop", "myapp");
        @SuppressWarnings("unchecked")
        List<Object> http = new java.util.ArrayList<>((List<Object>) IstioFixtures.spec(resource).get("http"));
        http.add(http.get(1));
        IstioFixtures.spec(resource).put("http", http);
        client.genericKubernetesResources(IstioResources.virtualServices("v1beta1")).inNamespace("shop").resource(resource).update();

        assertThatThrownBy(() -> router.apply(TrafficSplit.weighted(10)))
                .isInstanceOf(CutoverException.class)
                .hasMessageContaining("name the route");
    }

    private void editPrimary(java.util.function.Consumer<Map<String, Object>> edit) {
        var resource = IstioFixtures.virtualService(client, "shop", "myapp-public");
        edit.accept(http(IstioFixtures.spec(resource)).get(0));
        client.genericKubernetesResources(IstioResources.virtualServices("v1beta1")).inNamespace("shop").resource(resource).update();
    }

    private List<Map<String, Object>> http(String name) {
        return http(IstioFixtures.spec(IstioFixtures.virtualService(client, "shop", name)));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> http(Map<String, Object> spec) {
        return (List<Map<String, Object>>) spec.get("http");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> routeOf(Map<String, Object> httpRoute) {
        return (List<Map<String, Object>>) httpRoute.get("route");
    }

    private List<Integer> weights(String name, int index) {
        return routeOf(http(name).get(index)).stream().map(d -> ((Number) d.get("weight")).intValue()).toList();
    }
}
