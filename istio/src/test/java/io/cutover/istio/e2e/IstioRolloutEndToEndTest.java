package io.cutover.istio.e2e;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.istio.IstioDestination;
import io.cutover.istio.IstioFixtures;
import io.cutover.istio.VirtualServiceRef;
import io.cutover.istio.VirtualServiceRouter;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import io.cutover.time.VirtualScheduler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole rollouts through the engine: the VirtualService on a mock API server in CRUD mode is real,
 * the workloads and metrics are the simulated platform, serving what the VirtualService says.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class IstioRolloutEndToEndTest {

    static final Revision V1 = Revision.of("v1.0.0", "myapp:v1.0.0");
    static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    KubernetesClient client;
    VirtualScheduler time;
    /** After every traffic change: the canary weight, header match count and mirror percent the VirtualService holds. */
    List<String> seen;

    @BeforeEach
    void seed() {
        IstioFixtures.installCrds(client);
        IstioFixtures.create(client, "virtualservice-seed.yaml", "shop");
        IstioFixtures.create(client, "destinationrule-seed.yaml", "shop");
        time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        seen = new ArrayList<>();
    }

    static Deployment canary() {
        return Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5)).gate(successRate(0.95)).build();
    }

    @Test
    void aHealthyCanaryIsPromotedAndTheVirtualServiceHoldsEveryStep() {
        RolloutResult result = run(canary(), Behaviour.healthy(), seedRouter());

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(seen).containsExactly("10/0/0", "25/0/0", "50/0/0", "75/0/0", "100/0/0", "0/0/0");
        assertThat(seedWeights()).containsExactly(100, 0);
        assertThat(http("myapp")).hasSize(2);
    }

    @Test
    void aFailingCanaryIsRolledBackOnItsOwnToAllStable() {
        VirtualServiceRouter router = seedRouter();

        RolloutResult result = run(canary(), Behaviour.healthy().withErrorRate(0.2), router);

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("success-rate");
        assertThat(seen).containsExactly("10/0/0", "0/0/0");
        assertThat(seedWeights()).containsExactly(100, 0);
        assertThat(router.read()).isEqualTo(TrafficSplit.stableOnly());
    }

    @Test
    void anAbTestSendsMatchingRequestsThroughCutoversRouteAndRemovesIt() {
        Deployment ab = Deployment.abTest().match(HeaderMatch.exact("x-group", "b")).duration(Duration.ofMinutes(10))
                .gate(successRate(0.95)).build();
        List<Object> routeNamesDuringTest = new ArrayList<>();

        RolloutResult result = run(ab, Behaviour.healthy(), seedRouter(), split -> {
            if (!split.candidateMatches().isEmpty() && routeNamesDuringTest.isEmpty()) {
                routeNamesDuringTest.addAll(http("myapp").stream().map(r -> r.get("name")).toList());
            }
        });

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(seen).as("routes, then all to the winner, then back to stable (now the winner)")
                .containsExactly("0/1/0", "100/1/0", "100/0/0", "0/0/0");
        assertThat(routeNamesDuringTest).as("the user's route, Cutover's, then the weighted one")
                .containsExactly(null, "cutover-candidate", null);
        assertThat(http("myapp")).extracting(r -> r.get("name")).containsExactly(null, null);
        assertThat(seedWeights()).containsExactly(100, 0);
    }

    @Test
    void aBlueGreenSwitchMovesAllTrafficAtOnce() {
        Deployment blueGreen = Deployment.blueGreen().autoPromoteAfter(Duration.ofMinutes(1)).build();

        RolloutResult result = run(blueGreen, Behaviour.healthy(), seedRouter());

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(seen).containsExactly("100/0/0", "0/0/0");
        assertThat(seedWeights()).containsExactly(100, 0);
    }

    @Test
    void aShadowReleaseMirrorsWithoutServingUsersFromTheCandidateThenPromotes() {
        Deployment shadow = Deployment.shadow().mirror(50).duration(Duration.ofMinutes(10)).gate(successRate(0.95)).build();

        RolloutResult result = run(shadow, Behaviour.healthy(), seedRouter());

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(seen).startsWith("0/0/50", "0/0/0");
        assertThat(http("myapp").get(1)).doesNotContainKeys("mirror", "mirrorPercentage");
        assertThat(seedWeights()).containsExactly(100, 0);
    }

    @Test
    void aFailingShadowStopsWithoutUsersEverReachingTheCandidate() {
        Deployment shadow = Deployment.shadow().mirror(50).duration(Duration.ofMinutes(10)).gate(successRate(0.95)).build();

        RolloutResult result = run(shadow, Behaviour.healthy().withErrorRate(0.3), seedRouter());

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(seen).allMatch(s -> s.startsWith("0/0/"), "no weight and no header route ever went to the candidate");
        assertThat(seen).last().isEqualTo("0/0/0");
    }

    @Test
    void aVirtualServiceFullOfForeignFieldsComesBackUnchangedFromARolloutAndFromAnAbort() {
        IstioFixtures.create(client, "virtualservice-rich.yaml", "shop");
        Map<String, Object> original = specOf("shop");
        VirtualServiceRouter router = VirtualServiceRouter.builder(client)
                .virtualService(VirtualServiceRef.of("shop", "shop", "primary"))
                .stable(IstioDestination.of("shop", "stable")).candidate(IstioDestination.of("shop", "canary")).build();
        Deployment withTesters = Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5))
                .testerRoute(HeaderMatch.cookie("tester", "yes")).gate(successRate(0.95)).build();

        assertThat(run(withTesters, Behaviour.healthy(), router).phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(specOf("shop")).isEqualTo(original);

        time = new VirtualScheduler(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(run(withTesters, Behaviour.healthy().withErrorRate(0.3), router).phase()).isEqualTo(Phase.ABORTED);
        assertThat(specOf("shop")).isEqualTo(original);
    }

    private VirtualServiceRouter seedRouter() {
        return VirtualServiceRouter.builder(client).virtualService("shop", "myapp").build();
    }

    private RolloutResult run(Deployment deployment, Behaviour candidate, VirtualServiceRouter router) {
        return run(deployment, candidate, router, split -> { });
    }

    private RolloutResult run(Deployment deployment, Behaviour candidate, VirtualServiceRouter router,
                              java.util.function.Consumer<TrafficSplit> duringChange) {
        SimulatedPlatform platform = SimulatedPlatform.builder(time.clock()).seed(7)
                .stable(V1, 5, Behaviour.healthy()).behaviour(V2.name(), candidate).build();
        Target target = Target.builder("myapp").workloads(platform).router(new ServedByTheVirtualService(router, platform))
                .metrics(platform).health(platform).build();
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withClock(time.clock())
                .onEvent(event -> {
                    if (event instanceof RolloutEvent.TrafficChanged changed) {
                        TrafficSplit held = router.read();
                        seen.add(held.candidateWeight() + "/" + held.candidateMatches().size() + "/" + held.mirrorPercent());
                        assertThat(held).as("the VirtualService holds what the engine asked for").isEqualTo(changed.split());
                        duringChange.accept(held);
                    }
                })
                .build();
        try {
            return engine.start("myapp", deployment, V2, target).await();
        } finally {
            engine.shutdown();
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> http(String name) {
        return (List<Map<String, Object>>) specOf(name).get("http");
    }

    private Map<String, Object> specOf(String name) {
        return IstioFixtures.spec(IstioFixtures.virtualService(client, "shop", name));
    }

    @SuppressWarnings("unchecked")
    private List<Integer> seedWeights() {
        return ((List<Map<String, Object>>) http("myapp").get(1).get("route")).stream()
                .map(d -> ((Number) d.get("weight")).intValue()).toList();
    }
}
