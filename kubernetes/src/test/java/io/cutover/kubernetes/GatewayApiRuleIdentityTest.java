package io.cutover.kubernetes;

import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.spi.HeaderMatch;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cutover's A/B rule on an HTTPRoute is found again after an API server whose Gateway API CRDs
 * predate v1.4 pruned {@code rules[].name} (the test prunes every write, as such a server would), and
 * it does to its requests what the weighted rule does (filters, timeouts, retry, session persistence).
 */
@EnableKubernetesMockClient(crud = true)
class GatewayApiRuleIdentityTest {

    KubernetesClient mock;
    KubernetesClient client;
    GatewayApiRouter router;

    @BeforeEach
    void setUp() {
        Cluster.apply(mock, "gateway/canary.yaml");
        client = Cluster.adapterClient(mock);
        router = GatewayApiRouter.builder(client, NS, "myapp").backends("myapp", "myapp-canary").build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    /** What a pre-v1.4 CRD's structural schema does on every write: drops the unknown {@code rules[].name}. */
    private void applyOnAPruningServer(TrafficSplit split) {
        router.apply(split);
        mock.resources(HTTPRoute.class).inNamespace(NS).withName("myapp").edit(r -> {
            r.getSpec().getRules().forEach(rule -> rule.setName(null));
            return r;
        });
    }

    private HTTPRoute route() {
        return mock.resources(HTTPRoute.class).inNamespace(NS).withName("myapp").get();
    }

    @Test
    void the_ab_rule_tracked_by_rules_name_is_found_and_removed_after_the_name_was_pruned() {
        TrafficSplit ab = TrafficSplit.stableOnly().withCandidateMatches(List.of(HeaderMatch.exact("x-variant", "b"),
                HeaderMatch.prefix("x-user", "beta-")));
        applyOnAPruningServer(ab);

        assertThat(route().getSpec().getRules()).hasSize(3).allMatch(r -> r.getName() == null);
        assertThat(router.read()).as("read() still sees the header routes").isEqualTo(ab);
        applyOnAPruningServer(ab);
        assertThat(route().getSpec().getRules()).as("re-applying adds no second rule").hasSize(3);

        applyOnAPruningServer(TrafficSplit.stableOnly());

        assertThat(route().getSpec().getRules()).as("promote/abort removes the rule: no header traffic to a deleted candidate")
                .hasSize(2).noneMatch(r -> r.getBackendRefs().stream().allMatch(b -> "myapp-canary".equals(b.getName())));
        assertThat(route().getMetadata().getAnnotations()).doesNotContainKey(GatewayApiRouter.ROUTES_ANNOTATION);
        assertThat(router.read()).isEqualTo(TrafficSplit.stableOnly());
    }

    @Test
    void a_team_rule_that_sends_to_the_candidate_service_is_not_mistaken_for_cutovers() {
        mock.resources(HTTPRoute.class).inNamespace(NS).withName("myapp").edit(r -> {
            var own = new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder()
                    .addNewMatch().addNewHeader().withName("x-team").withValue("qa").endHeader().endMatch()
                    .addNewBackendRef().withName("myapp-canary").withPort(80).endBackendRef().build();
            r.getSpec().getRules().add(0, own);
            return r;
        });
        applyOnAPruningServer(TrafficSplit.stableOnly().withCandidateMatches(List.of(HeaderMatch.exact("x-variant", "b"))));
        applyOnAPruningServer(TrafficSplit.stableOnly());

        assertThat(route().getSpec().getRules()).hasSize(3);
        assertThat(route().getSpec().getRules().get(0).getMatches().get(0).getHeaders().get(0).getName()).isEqualTo("x-team");
    }

    @Test
    void the_ab_rule_keeps_the_weighted_rules_filters_timeouts_retry_and_session_persistence() {
        Map<String, Object> extras = Map.of(
                "timeouts", Map.of("request", "10s", "backendRequest", "2s"),
                "retry", Map.of("attempts", 3, "backoff", "100ms", "codes", List.of(503)),
                "sessionPersistence", Map.of("sessionName", "shop", "type", "Cookie"));
        var raw = client.getKubernetesSerialization();
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = raw.convertValue(route(), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> weighted = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) tree.get("spec")).get("rules")).get(1);
        weighted.putAll(extras);
        mock.resource(raw.convertValue(tree, HTTPRoute.class)).inNamespace(NS).update();

        router.apply(TrafficSplit.stableOnly().withCandidateMatches(List.of(HeaderMatch.exact("x-variant", "b"))));

        @SuppressWarnings("unchecked")
        Map<String, Object> stored = raw.convertValue(route(), Map.class);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rules = (List<Map<String, Object>>) ((Map<String, Object>) stored.get("spec")).get("rules");
        Map<String, Object> ours = rules.get(1);
        assertThat(ours.get("name")).isEqualTo(GatewayApiRouter.ROUTES_RULE);
        assertThat(ours).containsEntry("filters", rules.get(2).get("filters"));
        extras.keySet().forEach(k -> assertThat(ours.get(k)).as(k).isEqualTo(rules.get(2).get(k)).isNotNull());
    }
}
