package io.cutover.kubernetes;

import static io.cutover.gate.Gates.successRate;
import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.spi.Revision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A hotfix arriving mid-canary on an HTTPRoute: {@code engine.update} against the CRUD mock server. */
@EnableKubernetesMockClient(crud = true)
class SupersedeEndToEndTest {

    static final Deployment CANARY = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(5))
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
        h.close();
    }

    private Target byRoute() {
        return h.controlled(KubernetesTarget.canary(h.client, NS, "myapp").gatewayApi("myapp", "myapp", "myapp-canary").build());
    }

    private int candidateWeight() {
        return h.snapshot(null).routeWeights().getOrDefault("myapp-canary", 0);
    }

    @Test
    void a_new_revision_mid_canary_takes_the_route_back_to_stable_retires_the_old_canary_then_starts_from_the_first_step() {
        RolloutEngine engine = h.engine(new ConfigMapStateStore(h.client, NS));
        Target target = byRoute();
        engine.start("myapp", CANARY, Revision.of("v2.0.0", "myapp:v2.0.0"), target);
        h.time.runUntil(() -> !h.at(RolloutEvent.TrafficChanged.class).isEmpty(), Duration.ofHours(1));
        assertThat(candidateWeight()).isEqualTo(10);
        int before = h.snapshots.size();

        CompletableFuture<Rollout> update = engine.update("myapp", CANARY, Revision.of("v3.0.0", "myapp:v3.0.0"), target);
        h.time.runUntil(update::isDone, Duration.ofHours(1));
        RolloutResult result = update.join().await();

        assertThat(result.phase()).as("%s", result).isEqualTo(Phase.SUCCEEDED);
        List<Harness.Snapshot> after = h.snapshots.subList(before, h.snapshots.size());
        int v3First = -1;
        for (int i = 0; i < after.size(); i++) {
            Harness.Snapshot s = after.get(i);
            int weight = s.routeWeights().getOrDefault("myapp-canary", 0);
            if (weight > 0 && !(s.event() instanceof RolloutEvent.Promoted)) {
                // what the Gateway sends to myapp-canary reaches that Deployment's pods: it must run them
                assertThat(s.replicas().get("myapp-canary")).as("canary pods behind weight %d at %s", weight, s.event()).isPositive();
                if (v3First < 0 && s.images().get("myapp-canary").equals("myapp:v3.0.0")) {
                    v3First = i;
                }
                if (v3First < 0) {
                    assertThat(weight).as("v2 keeps no more than it had").isLessThanOrEqualTo(10);
                }
            }
        }
        assertThat(v3First).as("v3 received traffic").isNotNegative();
        Harness.Snapshot firstV3 = after.get(v3First);
        assertThat(firstV3.routeWeights()).as("v3 from the first step").containsEntry("myapp-canary", 10).containsEntry("myapp", 90);
        assertThat(after.subList(0, v3First)).as("v2 back to zero weight and zero pods before v3 takes traffic")
                .anySatisfy(s -> {
                    assertThat(s.routeWeights()).containsEntry("myapp-canary", 0);
                    assertThat(s.replicas()).containsEntry("myapp-canary", 0);
                });
        assertThat(after.subList(0, v3First)).allSatisfy(s -> assertThat(s.replicas()).containsEntry("myapp", 5));
        assertThat(h.snapshot(null).routeWeights()).containsEntry("myapp", 100).containsEntry("myapp-canary", 0);
        assertThat(h.deployment("myapp").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v3.0.0");
    }

    @Test
    void re_applying_the_stable_revision_mid_canary_is_an_immediate_rollback() {
        RolloutEngine engine = h.engine(new ConfigMapStateStore(h.client, NS));
        Target target = byRoute();
        engine.start("myapp", CANARY, Revision.of("v2.0.0", "myapp:v2.0.0"), target);
        h.time.runUntil(() -> !h.at(RolloutEvent.TrafficChanged.class).isEmpty(), Duration.ofHours(1));
        String stable = engine.status("myapp").orElseThrow().stableRevision();

        RolloutResult result = engine.update("myapp", CANARY, Revision.of(stable, "myapp:v1.0.0"), target).join().await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("stable revision " + stable + " re-applied");
        assertThat(h.snapshot(null).routeWeights()).containsEntry("myapp", 100).containsEntry("myapp-canary", 0);
        assertThat(h.deployment("myapp-canary").getSpec().getReplicas()).isZero();
        assertThat(h.deployment("myapp").getSpec().getReplicas()).isEqualTo(5);
        assertThat(h.deployment("myapp").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v1.0.0");
    }
}
