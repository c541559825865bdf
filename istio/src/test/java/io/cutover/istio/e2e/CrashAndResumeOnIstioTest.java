package io.cutover.istio.e2e;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.istio.IstioFixtures;
import io.cutover.istio.VirtualServiceRouter;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedCrash;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import io.cutover.state.InMemoryStateStore;
import io.cutover.time.VirtualScheduler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine dies right after each write to the VirtualService (the write applied, the engine's state
 * not yet saved); a fresh engine resumes from the store and the VirtualService ends clean.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class CrashAndResumeOnIstioTest {

    static final Revision V1 = Revision.of("v1.0.0", "myapp:v1.0.0");
    static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    static final Map<String, Supplier<Deployment>> PLANS = Map.of(
            "canary", () -> Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(5)).gate(successRate(0.95)).build(),
            "ab-test", () -> Deployment.abTest().match(HeaderMatch.exact("x-group", "b")).duration(Duration.ofMinutes(5))
                    .gate(successRate(0.95)).build());

    KubernetesClient client;

    @ParameterizedTest(name = "{0} with candidate error rate {1}")
    @CsvSource({"canary, 0.0, SUCCEEDED", "canary, 0.3, ABORTED", "ab-test, 0.0, SUCCEEDED"})
    void crashAfterEveryVirtualServiceWriteThenResume(String plan, double errorRate, Phase expected) {
        IstioFixtures.installCrds(client);
        Outcome clean = run(plan, errorRate, -1);
        assertThat(clean.phase()).isEqualTo(expected);
        assertThat(clean.applies()).isGreaterThanOrEqualTo(2);
        for (int k = 1; k <= clean.applies(); k++) {
            Outcome resumed = run(plan, errorRate, k);
            assertThat(resumed.crashed()).as("%s crashed after write %d", plan, k).isTrue();
            assertThat(resumed.phase()).as("%s resumed after a crash at write %d", plan, k).isEqualTo(expected);
        }
    }

    private record Outcome(Phase phase, int applies, boolean crashed) { }

    /** One rollout on a fresh VirtualService, crashing after VirtualService write {@code crashAt} (none when negative). */
    private Outcome run(String planName, double errorRate, int crashAt) {
        client.genericKubernetesResources(io.cutover.istio.IstioResources.virtualServices("v1beta1")).inNamespace("shop").delete();
        IstioFixtures.create(client, "virtualservice-seed.yaml", "shop");
        VirtualServiceRouter router = VirtualServiceRouter.builder(client).virtualService("shop", "myapp").build();
        router.apply(TrafficSplit.stableOnly());
        VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        SimulatedPlatform platform = SimulatedPlatform.builder(time.clock()).seed(7)
                .stable(V1, 4, Behaviour.healthy()).behaviour(V2.name(), Behaviour.healthy().withErrorRate(errorRate)).build();
        platform.allowUnavailable(4);
        ServedByTheVirtualService mesh = new ServedByTheVirtualService(router, platform);
        mesh.crashAfterApply(crashAt);
        Target target = Target.builder("myapp").workloads(platform).router(mesh).metrics(platform).health(platform).build();
        InMemoryStateStore store = new InMemoryStateStore();
        Deployment plan = PLANS.get(planName).get();

        RolloutEngine first = RolloutEngine.builder().withScheduler(time).withClock(time.clock()).withStateStore(store).build();
        Rollout rollout = first.start("myapp", plan, V2, target);
        RolloutResult result;
        boolean crashed = false;
        try {
            result = rollout.await();
        } catch (SimulatedCrash crash) {
            crashed = true;
            first.shutdown();
            RolloutEngine second = RolloutEngine.builder().withScheduler(time).withClock(time.clock()).withStateStore(store).build();
            try {
                result = second.resume("myapp", plan, target).await();
            } finally {
                second.shutdown();
            }
        } finally {
            first.shutdown();
        }
        assertThat(router.read()).isEqualTo(TrafficSplit.stableOnly());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> http = (List<Map<String, Object>>) IstioFixtures.spec(
                IstioFixtures.virtualService(client, "shop", "myapp")).get("http");
        assertThat(http).extracting(r -> r.get("name")).as("no Cutover route left").containsExactly(null, null);
        return new Outcome(result.phase(), mesh.applies(), crashed);
    }
}
