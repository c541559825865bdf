package io.cutover.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.spi.Role;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class DestinationRuleSubsetsTest {

    KubernetesClient client;
    DestinationRuleSubsets subsets;

    @BeforeEach
    void seed() {
        IstioFixtures.installCrds(client);
        subsets = DestinationRuleSubsets.builder(client).destinationRule("shop", "myapp").host("myapp").build();
    }

    @Test
    void pointsASubsetAtARevisionKeepingEverythingElse() {
        var dr = IstioFixtures.load(client, "destinationrule-seed.yaml");
        Map<String, Object> spec = IstioFixtures.spec(dr);
        spec.put("trafficPolicy", Map.of("connectionPool", Map.of("http", Map.of("http2MaxRequests", 1000))));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) spec.get("subsets");
        list.get(1).put("labels", new java.util.LinkedHashMap<>(Map.of("version", "canary", "app", "myapp")));
        list.get(1).put("trafficPolicy", Map.of("loadBalancer", Map.of("simple", "ROUND_ROBIN")));
        client.genericKubernetesResources(IstioResources.destinationRules("v1beta1")).inNamespace("shop").resource(dr).create();

        subsets.point(Role.CANDIDATE, "v2.0.0");

        assertThat(subsets.labelValue(Role.CANDIDATE)).contains("v2.0.0");
        assertThat(subsets.labelValue(Role.STABLE)).contains("stable");
        Map<String, Object> after = IstioFixtures.spec(IstioFixtures.destinationRule(client, "shop", "myapp"));
        assertThat(after.get("trafficPolicy")).isEqualTo(spec.get("trafficPolicy"));
        assertThat(after.get("subsets")).isEqualTo(List.of(
                Map.of("name", "stable", "labels", Map.of("version", "stable")),
                Map.of("name", "canary", "labels", Map.of("version", "v2.0.0", "app", "myapp"),
                        "trafficPolicy", Map.of("loadBalancer", Map.of("simple", "ROUND_ROBIN")))));
    }

    @Test
    void pointingAgainWritesNothing() {
        IstioFixtures.create(client, "destinationrule-seed.yaml", "shop");
        subsets.point(Role.STABLE, "v1.0.0");
        String version = IstioFixtures.destinationRule(client, "shop", "myapp").getMetadata().getResourceVersion();

        subsets.point(Role.STABLE, "v1.0.0");

        assertThat(IstioFixtures.destinationRule(client, "shop", "myapp").getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void createsTheDestinationRuleAndMissingSubsets() {
        subsets.point(Role.STABLE, "v1.0.0");
        subsets.point(Role.CANDIDATE, "v2.0.0");

        Map<String, Object> spec = IstioFixtures.spec(IstioFixtures.destinationRule(client, "shop", "myapp"));
        assertThat(spec.get("host")).isEqualTo("myapp");
        assertThat(spec.get("subsets")).isEqualTo(List.of(
                Map.of("name", "stable", "labels", Map.of("version", "v1.0.0")),
                Map.of("name", "canary", "labels", Map.of("version", "v2.0.0"))));
    }

    @Test
    void withoutAHostAMissingDestinationRuleIsAPermanentFailure() {
        DestinationRuleSubsets noHost = DestinationRuleSubsets.builder(client).destinationRule("shop", "myapp").build();

        assertThatThrownBy(() -> noHost.point(Role.STABLE, "v1.0.0"))
                .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.kind()).isEqualTo(CutoverException.Kind.PERMANENT))
                .hasMessageContaining("destinationrule shop/myapp");
    }

    @Test
    void theRouterRefusesToSendTrafficToASubsetThatDoesNotExist() {
        IstioFixtures.create(client, "virtualservice-seed.yaml", "shop");
        subsets.point(Role.STABLE, "v1.0.0");
        VirtualServiceRouter router = VirtualServiceRouter.builder(client).virtualService("shop", "myapp").verifySubsets(subsets).build();

        router.apply(TrafficSplit.stableOnly());
        assertThatThrownBy(() -> router.apply(TrafficSplit.weighted(10)))
                .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.kind()).isEqualTo(CutoverException.Kind.PERMANENT))
                .hasMessageContaining("defines no subset 'canary'");
        assertThat(router.read().candidateWeight()).isZero();

        subsets.point(Role.CANDIDATE, "v2.0.0");
        router.apply(TrafficSplit.weighted(10));
        assertThat(router.read().candidateWeight()).isEqualTo(10);
    }

    @Test
    void rejectsBadSettingsNamingThem() {
        var builder = DestinationRuleSubsets.builder(client);
        assertThatThrownBy(() -> builder.labelKey("bad key")).hasMessageContaining("labelKey");
        assertThatThrownBy(() -> builder.stableSubset("Stable_")).hasMessageContaining("stableSubset");
        assertThatThrownBy(() -> builder.destinationRule("shop", "myapp").stableSubset("a").candidateSubset("a").build())
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> subsets.point(Role.STABLE, "not a label")).hasMessageContaining("label value");
    }
}
