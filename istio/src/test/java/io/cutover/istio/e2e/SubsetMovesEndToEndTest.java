package io.cutover.istio.e2e;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.istio.DestinationRuleSubsets;
import io.cutover.istio.IstioFixtures;
import io.cutover.istio.SubsetAwareWorkloads;
import io.cutover.istio.VirtualServiceRouter;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.TrafficSplit;
import io.cutover.time.VirtualScheduler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Subsets labelled by revision move with the rollout, never leaving traffic on the wrong pods. */
@EnableKubernetesMockClient(crud = true, https = false)
class SubsetMovesEndToEndTest {

    static final Revision V1 = Revision.of("v1.0.0", "myapp:v1.0.0");
    static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    KubernetesClient client;
    DestinationRuleSubsets subsets;
    VirtualServiceRouter router;
    /** At every traffic change: candidate weight, and the revisions the stable and canary subsets select. */
    List<String> seen = new ArrayList<>();

    @BeforeEach
    void seed() {
        IstioFixtures.installCrds(client);
        IstioFixtures.create(client, "virtualservice-seed.yaml", "shop");
        VirtualServiceRouter.builder(client).virtualService("shop", "myapp").build().apply(TrafficSplit.stableOnly());
        subsets = DestinationRuleSubsets.builder(client).destinationRule("shop", "myapp").host("myapp").build();
        router = VirtualServiceRouter.builder(client).virtualService("shop", "myapp").verifySubsets(subsets).build();
    }

    @Test
    void aPromotedCanaryLeavesTheStableSubsetOnTheNewRevision() {
        RolloutResult result = run(Behaviour.healthy());

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(seen).containsExactly(
                "10 stable=v1.0.0 canary=v2.0.0", "25 stable=v1.0.0 canary=v2.0.0", "50 stable=v1.0.0 canary=v2.0.0",
                "75 stable=v1.0.0 canary=v2.0.0", "100 stable=v1.0.0 canary=v2.0.0",
                "0 stable=v2.0.0 canary=v2.0.0");
        assertThat(subsets.labelValue(Role.STABLE)).contains("v2.0.0");
    }

    @Test
    void anAbortedCanaryLeavesTheStableSubsetWhereItWas() {
        RolloutResult result = run(Behaviour.healthy().withErrorRate(0.2));

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(seen).containsExactly("10 stable=v1.0.0 canary=v2.0.0", "0 stable=v1.0.0 canary=v2.0.0");
        assertThat(router.read()).isEqualTo(TrafficSplit.stableOnly());
    }

    private RolloutResult run(Behaviour candidate) {
        VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        SimulatedPlatform platform = SimulatedPlatform.builder(time.clock()).seed(7)
                .stable(V1, 5, Behaviour.healthy()).behaviour(V2.name(), candidate).build();
        ServedByTheVirtualService mesh = new ServedByTheVirtualService(router, platform);
        Target target = Target.builder("myapp").workloads(SubsetAwareWorkloads.wrap(platform, subsets, mesh)).router(mesh)
                .metrics(platform).health(platform).build();
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withClock(time.clock())
                .onEvent(event -> {
                    if (event instanceof RolloutEvent.TrafficChanged) {
                        seen.add(router.read().candidateWeight() + " stable=" + subsets.labelValue(Role.STABLE).orElse("-")
                                + " canary=" + subsets.labelValue(Role.CANDIDATE).orElse("-"));
                    }
                })
                .build();
        Deployment canary = Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5))
                .gate(successRate(0.95)).build();
        try {
            return engine.start("myapp", canary, V2, target).await();
        } finally {
            engine.shutdown();
        }
    }
}
