package io.cutover.ecs;

import static io.cutover.ecs.Fixtures.BLUE;
import static io.cutover.ecs.Fixtures.CLUSTER;
import static io.cutover.ecs.Fixtures.GREEN;
import static io.cutover.ecs.Fixtures.LB;
import static io.cutover.ecs.Fixtures.TD1;
import static io.cutover.ecs.Fixtures.TD2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.gate.GatePolicy;
import io.cutover.gate.Gates;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSource;
import io.cutover.spi.MetricValue;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.state.InMemoryStateStore;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A service that ECS deploys itself (BLUE_GREEN, LINEAR, CANARY) run by the {@link RolloutEngine}: ECS
 * moves through its lifecycle stages over virtual time, Cutover's gates judge the bake time and a
 * failing one stops the service deployment with rollback. What the tests assert about traffic is
 * computed from the ALB's production rule as ECS left it, each target group standing for the task
 * definition running in it.
 */
class EcsNativeDeploymentTest {

    static final String WEB = "web";
    static final String PROD_RULE = LB + "listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/1111111111111111";
    static final String TEST_RULE = LB + "listener-rule/app/web/50dc6c495c0c9188/0a0a0a0a0a0a0a0a/2222222222222222";
    static final Revision V2 = Revision.of("v2", TD2);

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;
    private VirtualScheduler time;
    private InMemoryStateStore store;
    private final List<RolloutEvent> events = new ArrayList<>();
    /** What the ALB sent to each task definition when the engine announced the rollback done. */
    private final List<Map<String, Double>> sharesAtRolledBack = new ArrayList<>();

    @BeforeEach
    void setUp() {
        reset();
    }

    private void reset() {
        server.fake.reset();
        server.fake.elb().createRule(PROD_RULE, 1);
        server.fake.elb().createRule(TEST_RULE, 2);
        server.fake.ecs().nativeDeployments().createService(CLUSTER, WEB, 4, TD1, server.fake.elb(), PROD_RULE, TEST_RULE, BLUE, GREEN);
        time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        server.fake.ecs().useClock(time::now);
        store = InMemoryStateStore.encodingJson();
        events.clear();
        sharesAtRolledBack.clear();
    }

    private RolloutEngine engine() {
        return RolloutEngine.builder().withScheduler(time).withClock(time.clock()).withStateStore(store)
                .pollInterval(Duration.ofSeconds(15)).onEvent(events::add).onEvent(e -> {
                    if (e instanceof RolloutEvent.RolledBack) {
                        sharesAtRolledBack.add(shares());
                    }
                }).build();
    }

    private EcsNativeDeployment web(EcsNativeStrategy strategy) {
        return EcsNativeDeployment.builder(server.clients().ecs(), CLUSTER, WEB).strategy(strategy).bakeTime(Duration.ofMinutes(5)).build();
    }

    private Target target(EcsNativeDeployment web, MetricSource metrics, Crashing crashing) {
        return Target.builder(WEB).workloads(crashing.workloads(web)).router(crashing.router(web)).metrics(metrics).build();
    }

    private Target target(EcsNativeDeployment web, MetricSource metrics) {
        return target(web, metrics, new Crashing(new AtomicInteger(), Integer.MAX_VALUE));
    }

    private static Deployment plan(EcsNativeDeployment web) {
        return web.blueGreen().postPromotionGate(Gates.errorRate(0.05)).build();
    }

    private Map<String, Double> shares() {
        return server.fake.ecs().nativeDeployments().productionShares(CLUSTER, WEB);
    }

    private JsonNode lastDeployment() {
        List<JsonNode> all = server.fake.ecs().nativeDeployments().deployments(CLUSTER, WEB);
        return all.get(all.size() - 1);
    }

    private JsonNode service() {
        return server.fake.ecs().service(CLUSTER, WEB);
    }

    @Test
    void aHealthyBlueGreenSucceedsWithTheNewTaskDefinitionServingAllProductionTraffic() {
        EcsNativeDeployment web = web(EcsNativeStrategy.blueGreen());

        RolloutResult result = engine().start(WEB, plan(web), V2, target(web, errors(0.001))).await();

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(shares()).isEqualTo(Map.of(TD2, 100.0));
        assertThat(lastDeployment().path("status").asString()).isEqualTo("SUCCESSFUL");
        assertThat(result.split().isStableOnly()).as("the promoted revision is stable and holds all traffic").isTrue();
        JsonNode config = service().path("deploymentConfiguration");
        assertThat(config.path("strategy").asString()).isEqualTo("BLUE_GREEN");
        assertThat(config.path("bakeTimeInMinutes").asInt()).isEqualTo(5);
        assertThat(config.path("lifecycleHooks").path(0).path("lifecycleStages").path(0).asString())
                .as("the user's lifecycle hook is kept").isEqualTo("POST_TEST_TRAFFIC_SHIFT");
        assertThat(config.path("alarms").path("alarmNames").path(0).asString()).as("the user's alarms are kept").isEqualTo("web-5xx");
        assertThat(server.fake.ecs().tagsOf(service().path("serviceArn").asString())).as("rollout tags removed at promotion").isEmpty();
        assertThat(events).anyMatch(e -> e instanceof RolloutEvent.Promoted);
        assertThat(result.measurements()).as("the gate judged").isNotEmpty()
                .allMatch(m -> m.verdict() == io.cutover.gate.Verdict.PASSED);
    }

    @Test
    void aGateFailingDuringBakeStopsTheDeploymentWithRollbackAndAbortsOnlyOnceProductionIsBackOnTheOldRevision() {
        EcsNativeDeployment web = web(EcsNativeStrategy.blueGreen());

        RolloutResult result = engine().start(WEB, plan(web), V2, target(web, errors(0.2))).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("error-rate");
        JsonNode d = lastDeployment();
        assertThat(d.path("lifecycleStage").asString()).as("stopped while ECS baked").isEqualTo("BAKE_TIME");
        assertThat(d.path("rollback").path("reason").asString()).isEqualTo("StopServiceDeployment ROLLBACK");
        assertThat(sharesAtRolledBack).as("production traffic was back on the old revision when the rollback was reported")
                .containsExactly(Map.of(TD1, 100.0));
        assertThat(result.split().isStableOnly()).isTrue();
        time.advance(Duration.ofMinutes(2));
        assertThat(lastDeployment().path("status").asString()).isEqualTo("ROLLBACK_SUCCESSFUL");
        assertThat(service().path("taskDefinition").asString()).isEqualTo(TD1);
    }

    @Test
    void aMetricSourceThatOnlyErrsStopsTheDeploymentInsteadOfPassing() {
        EcsNativeDeployment web = web(EcsNativeStrategy.blueGreen());
        Deployment judged = web.blueGreen().postPromotionGate(Gates.errorRate(0.05))
                .analysis(GatePolicy.builder().count(3).consecutiveErrorLimit(1).build()).build();

        RolloutResult result = engine().start(WEB, judged, V2, target(web, new EcsRollingServiceTest.ThrowingMetrics())).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("errored 2 times in a row").contains("metrics backend unreachable");
        assertThat(shares()).isEqualTo(Map.of(TD1, 100.0));
        assertThat(lastDeployment().path("rollback").path("reason").asString()).isEqualTo("StopServiceDeployment ROLLBACK");
    }

    @Test
    void aDeploymentEcsRollsBackOnItsOwnAbortsTheRollout() {
        server.fake.ecs().breakTaskDefinition(TD2);
        EcsNativeDeployment web = web(EcsNativeStrategy.blueGreen());

        RolloutResult result = engine().start(WEB, plan(web), V2, target(web, errors(0))).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("circuit breaker");
        assertThat(shares()).isEqualTo(Map.of(TD1, 100.0));
        assertThat(result.measurements()).as("no gate judged a revision that never ran").isEmpty();
    }

    @Test
    void aLinearDeploymentShiftsInStepsThatTheRouterReportsAsEcsMakesThem() {
        EcsNativeDeployment web = web(EcsNativeStrategy.linear(25.0, Duration.ofMinutes(1)));
        var rollout = engine().start(WEB, plan(web), V2, target(web, errors(0.001)));
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            time.advance(Duration.ofSeconds(15));
            int w = web.read().candidateWeight();
            if (seen.isEmpty() || seen.get(seen.size() - 1) != w) {
                seen.add(w);
            }
        }

        assertThat(seen).containsSubsequence(0, 25, 50, 75, 100);
        assertThat(rollout.await().phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(shares()).isEqualTo(Map.of(TD2, 100.0));
        assertThat(service().path("deploymentConfiguration").path("linearConfiguration").path("stepPercent").asDouble()).isEqualTo(25.0);
    }

    @Test
    void aCanaryDeploymentThatFailsItsGateGoesBackToTheOldRevision() {
        EcsNativeDeployment web = web(EcsNativeStrategy.canary(10.0, Duration.ofMinutes(2)));
        var rollout = engine().start(WEB, plan(web), V2, target(web, errors(0.2)));
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 40 && seen.size() < 3; i++) {
            time.advance(Duration.ofSeconds(15));
            int w = web.read().candidateWeight();
            if (seen.isEmpty() || seen.get(seen.size() - 1) != w) {
                seen.add(w);
            }
        }

        assertThat(seen).containsExactly(0, 10, 100);
        assertThat(rollout.await().phase()).isEqualTo(Phase.ABORTED);
        assertThat(shares()).isEqualTo(Map.of(TD1, 100.0));
    }

    @Test
    void aServiceDeploymentSomeoneElseStartedIsNeitherReplacedNorStopped() {
        server.clients().ecs().updateService(r -> r.cluster(CLUSTER).service(WEB).taskDefinition(Fixtures.TD3)
                .deploymentConfiguration(c -> c.strategy(software.amazon.awssdk.services.ecs.model.DeploymentStrategy.BLUE_GREEN)
                        .bakeTimeInMinutes(5)));
        EcsNativeDeployment web = web(EcsNativeStrategy.blueGreen());

        RolloutResult result = engine().start(WEB, plan(web), V2, target(web, errors(0))).await();

        assertThat(result.phase()).isIn(Phase.ABORTED, Phase.FAILED);
        assertThat(result.reason()).contains("Cutover does not replace it").contains(Fixtures.TD3);
        List<JsonNode> all = server.fake.ecs().nativeDeployments().deployments(CLUSTER, WEB);
        assertThat(all).as("no deployment of v2 was started").hasSize(1);
        assertThat(all.get(0).has("rollback")).as("the other deployment was not stopped").isFalse();
        assertThat(server.fake.ecs().tagsOf(service().path("serviceArn").asString())).isEmpty();
    }

    @Test
    void theTaskDefinitionToReturnToIsOnTheServiceNotInTheCaller() {
        EcsNativeDeployment web = web(EcsNativeStrategy.blueGreen());
        engine().start(WEB, plan(web), V2, target(web, errors(0)));
        time.advance(Duration.ofSeconds(20));

        assertThat(server.fake.ecs().tagsOf(service().path("serviceArn").asString()))
                .containsEntry(EcsRollingService.PREVIOUS_TAG, TD1).containsEntry(EcsRollingService.REVISION_TAG, "v2");
        assertThat(web.status(Role.STABLE).revision()).isEqualTo(TD1);
        assertThat(web.status(Role.CANDIDATE).revision()).isEqualTo("v2");
    }

    @Test
    void crashAfterEveryWriteThenResumeEndsPromoted() {
        assertThat(crashEverywhere(0.001, Phase.SUCCEEDED, TD2)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void crashAfterEveryWriteThenResumeEndsRolledBack() {
        assertThat(crashEverywhere(0.2, Phase.ABORTED, TD1)).isGreaterThanOrEqualTo(2);
    }

    /** A short bake and one round of analysis keep the many runs of the crash tests quick. */
    private int crashEverywhere(double errorRate, Phase expected, String serving) {
        Deployment plan = quick().blueGreen().postPromotionGate(Gates.errorRate(0.05))
                .analysis(GatePolicy.builder().count(1).interval(Duration.ofSeconds(30)).build()).build();
        return Crashing.afterEveryWrite(expected, this::engine, this::reset, () -> {
            EcsNativeDeployment web = quick();
            return new Crashing.Attempt(
                    (engine, crashing) -> engine.start(WEB, plan, V2, target(web, errors(errorRate), crashing)),
                    engine -> engine.resume(WEB, plan, target(web, errors(errorRate))));
        }, k -> assertThat(shares()).as("after a crash at write %d", k).isEqualTo(Map.of(serving, 100.0)));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "seed {0}, candidate errors {1}")
    @org.junit.jupiter.params.provider.CsvSource({"2, 0.001", "3, 0.001", "4, 0.001", "5, 0.001", "2, 0.2", "3, 0.2", "4, 0.2", "5, 0.2"})
    void underLostResponsesStaleReadsAndSkippedWritesTheResultIsWhatTheAlbServes(long seed, double errorRate) {
        EcsNativeDeployment web = quick();
        io.cutover.fault.FaultInjector faults = io.cutover.fault.FaultInjector.builder(seed).rate(0.25)
                .kinds(io.cutover.fault.FaultKind.TRANSIENT, io.cutover.fault.FaultKind.LOST_RESPONSE,
                        io.cutover.fault.FaultKind.STALE_READ, io.cutover.fault.FaultKind.NULL)
                .only(op -> op.startsWith("workloads.") || op.startsWith("router.")).build();
        Deployment plan = web.blueGreen().postPromotionGate(Gates.errorRate(0.05))
                .analysis(GatePolicy.builder().count(1).interval(Duration.ofSeconds(30)).build()).build();

        RolloutResult result;
        try {
            result = engine().start(WEB, plan, V2, io.cutover.fault.Faults.target(target(web, errors(errorRate)), faults)).await();
        } catch (io.cutover.CutoverException e) {
            // The engine reads stable before it starts: a fault there refuses the start, and nothing may have changed.
            assertThat(server.fake.ecs().nativeDeployments().deployments(CLUSTER, WEB)).as(e.getMessage()).isEmpty();
            assertThat(shares()).isEqualTo(Map.of(TD1, 100.0));
            return;
        }

        assertThat(faults.injected()).as("faults were injected").isNotEmpty();
        Map<String, Double> served = shares();
        switch (result.phase()) {
            case SUCCEEDED -> assertThat(served).isEqualTo(Map.of(TD2, 100.0));
            case ABORTED -> assertThat(served).isEqualTo(Map.of(TD1, 100.0));
            default -> assertThat((double) result.split().candidateWeight()).as("%s: %s", result.phase(), result.reason())
                    .isEqualTo(served.getOrDefault(TD2, 0.0));
        }
        assertThat(result.phase()).as(result.reason()).isIn(errorRate < 0.05
                ? java.util.List.of(Phase.SUCCEEDED, Phase.PAUSED) : java.util.List.of(Phase.ABORTED, Phase.FAILED, Phase.PAUSED));
    }

    private EcsNativeDeployment quick() {
        return EcsNativeDeployment.builder(server.clients().ecs(), CLUSTER, WEB).bakeTime(Duration.ofMinutes(1)).build();
    }

    @Test
    void aGateThatOutlastsEcssBakeTimeEndsFailedWithTheTruthInsteadOfAborted() {
        EcsNativeDeployment web = quick();
        // The gate first measures three minutes after the shift: ECS has finished and removed the old revision by then.
        Deployment late = web.blueGreen().postPromotionGate(Gates.errorRate(0.05))
                .analysis(GatePolicy.builder().initialDelay(Duration.ofMinutes(3)).build()).build();

        RolloutResult result = engine().start(WEB, late, V2, target(web, errors(0.2))).await();

        assertThat(result.phase()).isEqualTo(Phase.FAILED);
        assertThat(result.reason()).contains("cannot roll back").contains(TD1);
        assertThat(result.split().candidateWeight()).as("the result says where traffic is").isEqualTo(100);
        assertThat(shares()).isEqualTo(Map.of(TD2, 100.0));
    }

    /** A metric source where the candidate shows {@code candidate} errors and stable almost none. */
    static MetricSource errors(double candidate) {
        return new MetricSource() {
            @Override public MetricValue errorRate(MetricQuery q) {
                return MetricValue.of(q.role() == Role.CANDIDATE ? candidate : 0.001);
            }
            @Override public MetricValue successRate(MetricQuery q) { return MetricValue.of(1 - ((MetricValue.Sample) errorRate(q)).value()); }
            @Override public MetricValue latency(MetricQuery q, double quantile) { return MetricValue.of(0.05); }
            @Override public MetricValue requestRate(MetricQuery q) { return MetricValue.of(100); }
            @Override public MetricValue query(String expression, Instant at) { return MetricValue.noData("no raw queries here"); }
        };
    }
}
