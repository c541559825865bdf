package io.cutover.kubernetes;

import static io.cutover.gate.Gates.successRate;
import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.plan.Replicas;
import io.cutover.spi.Revision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import io.cutover.kubernetes.traffic.TrafficCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The 4-step canary, by replica counts behind one Service and by HTTPRoute weights, with the engine.
 * At every event of every rollout, the share of requests the candidate's pods really get (computed
 * from the Services, HTTPRoute and pods) equals the split the router reports.
 */
@EnableKubernetesMockClient(crud = true)
class CanaryEndToEndTest {

    static final Deployment CANARY = Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5))
            .gate(successRate(0.95)).build();

    KubernetesClient mock;
    private Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(mock);
        Cluster.apply(mock, "seed/rolling-deployment.yaml");   // myapp, 5 replicas of v1.0.0
        Cluster.apply(mock, "gateway/canary.yaml");            // Services myapp, myapp-canary and HTTPRoute myapp
        h.settle();
    }

    @AfterEach
    void tearDown() {
        try {
            assertThat(h.check.seen()).as("checks of the effective traffic").isNotEmpty();
            assertThat(h.check.disagreements()).as("reported split vs the traffic the pods really get").isEmpty();
        } finally {
            h.close();
        }
    }

    private Target byReplicas() {
        Target t = h.controlled(KubernetesTarget.canary(h.client, NS, "myapp").container("myapp").build());
        h.check = new TrafficCheck(t.router(), r -> h.traffic.service("myapp"), () -> "myapp-canary", true);
        return t;
    }

    private Target byRoute() {
        Target t = h.controlled(KubernetesTarget.canary(h.client, NS, "myapp").gatewayApi("myapp", "myapp", "myapp-canary").build());
        h.check = new TrafficCheck(t.router(), r -> h.traffic.httpRoute("myapp", r), () -> "myapp-canary", false);
        return t;
    }

    @Test
    void by_replicas_every_step_has_the_replica_counts_of_its_weight_and_ends_on_the_new_revision() {
        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS))
                .start("myapp", CANARY, Revision.of("v2.0.0", "myapp:v2.0.0"), byReplicas()).await();

        assertThat(result.phase()).as("%s", result).isEqualTo(Phase.SUCCEEDED);
        List<Harness.Snapshot> changes = h.at(RolloutEvent.TrafficChanged.class);
        List<Integer> weights = changes.stream().map(s -> ((RolloutEvent.TrafficChanged) s.event()).split().candidateWeight()).toList();
        // 5 replicas, canary pods rounded up: 10% is 1 canary (20%), 25% is 2 (40%), 50% is 3 (60%), 75% is 4 (80%), then all
        assertThat(weights).startsWith(20, 40, 60, 80, 100);
        for (Harness.Snapshot s : changes.subList(0, 4)) {
            int weight = ((RolloutEvent.TrafficChanged) s.event()).split().candidateWeight();
            int canary = s.replicas().get("myapp-canary");
            int stable = s.replicas().get("myapp");
            assertThat(canary + stable).as("total replicas at %d%%", weight).isEqualTo(5);
            assertThat(Replicas.effectiveWeight(5, canary)).as("weight from replicas").isEqualTo(weight);
            assertThat(s.images()).containsEntry("myapp", "myapp:v1.0.0").containsEntry("myapp-canary", "myapp:v2.0.0");
        }
        assertThat(h.deployment("myapp-canary")).isNull();
        assertThat(h.deployment("myapp").getSpec().getReplicas()).isEqualTo(5);
        assertThat(h.deployment("myapp").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v2.0.0");
        assertThat(h.deployment("myapp").getSpec().getTemplate().getSpec().getContainers().get(0).getLivenessProbe().getHttpGet().getPath())
                .isEqualTo("/health");
    }

    @Test
    void by_replicas_a_failing_gate_scales_the_canary_to_zero_and_keeps_stable_full() {
        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS))
                .start("myapp", CANARY, Revision.of("v2-bad", "myapp:v2-bad"), byReplicas()).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.split().isStableOnly()).isTrue();
        assertThat(h.snapshots).allSatisfy(s -> {
            assertThat(s.images()).containsEntry("myapp", "myapp:v1.0.0");
            assertThat(s.replicas().get("myapp") + s.replicas().getOrDefault("myapp-canary", 0)).isGreaterThanOrEqualTo(5);
        });
        assertThat(h.deployment("myapp-canary").getSpec().getReplicas()).isZero();
        assertThat(h.deployment("myapp").getSpec().getReplicas()).isEqualTo(5);
        assertThat(ReplicaRatioRouter.of(DeploymentWorkloads.canary(h.client, NS, "myapp").build(), "myapp").read().candidateWeight()).isZero();
    }

    @Test
    void on_the_gateway_api_every_step_sets_the_route_weights() {
        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS))
                .start("myapp", CANARY, Revision.of("v2.0.0", "myapp:v2.0.0"), byRoute()).await();

        assertThat(result.phase()).as("%s", result).isEqualTo(Phase.SUCCEEDED);
        List<Harness.Snapshot> changes = h.at(RolloutEvent.TrafficChanged.class);
        assertThat(changes).extracting(s -> ((RolloutEvent.TrafficChanged) s.event()).split().candidateWeight())
                .containsExactly(10, 25, 50, 75, 100, 0);
        for (Harness.Snapshot s : changes) {
            int weight = ((RolloutEvent.TrafficChanged) s.event()).split().candidateWeight();
            assertThat(s.routeWeights()).as("route at %d%%", weight).containsEntry("myapp", 100 - weight).containsEntry("myapp-canary", weight);
        }
        // stable keeps its 5 replicas while the canary grows by its share
        assertThat(changes.subList(0, 4)).allSatisfy(s -> assertThat(s.replicas()).containsEntry("myapp", 5));
        assertThat(changes.subList(0, 4)).extracting(s -> s.replicas().get("myapp-canary")).containsExactly(1, 2, 3, 4);
        assertThat(h.snapshot(null).routeWeights()).containsEntry("myapp", 100).containsEntry("myapp-canary", 0);
        assertThat(h.deployment("myapp").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v2.0.0");
        var route = mock.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class).inNamespace(NS).withName("myapp").get();
        assertThat(route.getMetadata().getLabels()).containsEntry("team", "payments");
        assertThat(route.getSpec().getRules()).hasSize(2);
        assertThat(route.getSpec().getRules().get(1).getFilters()).hasSize(1);
    }

    @Test
    void on_the_gateway_api_a_failing_gate_sends_everything_back_to_stable() {
        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS))
                .start("myapp", CANARY, Revision.of("v2-bad", "myapp:v2-bad"), byRoute()).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        List<Harness.Snapshot> changes = h.at(RolloutEvent.TrafficChanged.class);
        assertThat(changes).extracting(s -> s.routeWeights().get("myapp-canary")).containsExactly(10, 0);
        assertThat(h.snapshot(null).routeWeights()).containsEntry("myapp", 100).containsEntry("myapp-canary", 0);
        assertThat(h.deployment("myapp-canary").getSpec().getReplicas()).isZero();
        assertThat(h.deployment("myapp").getSpec().getReplicas()).isEqualTo(5);
        assertThat(h.deployment("myapp").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v1.0.0");
    }

    @Test
    void an_ab_test_on_the_gateway_api_routes_the_header_to_the_variant_and_removes_the_rule_after() {
        Deployment ab = Deployment.abTest().match(io.cutover.spi.HeaderMatch.exact("x-variant", "b"))
                .duration(Duration.ofMinutes(30)).gate(successRate(0.95)).build();
        List<List<String>> rulesAtEvents = new java.util.ArrayList<>();
        var engine = io.cutover.RolloutEngine.builder().withScheduler(h.time).withClock(h.time.clock())
                .withStateStore(new ConfigMapStateStore(h.client, NS))
                .onEvent(e -> {
                    h.check.check(e.getClass().getSimpleName());
                    if (e instanceof RolloutEvent.TrafficChanged) {
                        var route = mock.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class).inNamespace(NS).withName("myapp").get();
                        rulesAtEvents.add(route.getSpec().getRules().stream().map(r -> r.getName() == null ? "-" : r.getName()).toList());
                    }
                }).build();

        Target target = byRoute();
        RolloutResult result = engine.start("myapp", ab, Revision.of("v2-variant", "myapp:v2-variant"), target).await();

        assertThat(result.phase()).as("%s", result).isEqualTo(Phase.SUCCEEDED);
        assertThat(rulesAtEvents.get(0)).containsExactly("-", GatewayApiRouter.ROUTES_RULE, "-");
        assertThat(rulesAtEvents.get(rulesAtEvents.size() - 1)).containsExactly("-", "-");
        var route = mock.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class).inNamespace(NS).withName("myapp").get();
        assertThat(route.getSpec().getRules()).noneMatch(r -> GatewayApiRouter.ROUTES_RULE.equals(r.getName()));
        assertThat(h.deployment("myapp").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v2-variant");
    }
}
