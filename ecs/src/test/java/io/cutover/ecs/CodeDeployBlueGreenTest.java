package io.cutover.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static io.cutover.ecs.Fixtures.CLUSTER;
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
import io.cutover.ecs.fake.CodeDeployFake;
import io.cutover.gate.GatePolicy;
import io.cutover.gate.Gates;
import io.cutover.spi.HookResult;
import io.cutover.spi.HookStage;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * CodeDeploy blue/green run by the {@link RolloutEngine}: CodeDeploy installs the replacement task
 * set and moves traffic on virtual time, the engine's plan continues it at its waits, judges it
 * with the gates and stops it with rollback.
 */
class CodeDeployBlueGreenTest {

    static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:myapp-cutover-hooks";
    static final Revision V2 = Revision.of("v2", TD2);
    static final String TARGET = "CodeDeploy_20141006.";

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;
    private VirtualScheduler time;
    private InMemoryStateStore store;
    private final List<String> hookCalls = new ArrayList<>();
    private final List<io.cutover.event.RolloutEvent> events = new ArrayList<>();

    /** The plan for this deployment group: gates before and after production traffic moves, promotion after the shift. */
    private static Deployment plan(CodeDeployBlueGreen cd) {
        return cd.blueGreen().prePromotionGate(Gates.errorRate(0.05)).postPromotionGate(Gates.errorRate(0.05)).build();
    }

    @BeforeEach
    void setUp() {
        reset();
    }

    private void reset() {
        server.fake.reset();
        server.fake.ecs().createCodeDeployService(CLUSTER, "myapp", 4, TD1);
        server.fake.codeDeploy().createDeploymentGroup("myapp", "myapp-prod", CLUSTER, "myapp");
        time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        server.fake.codeDeploy().useClock(time::now);
        store = InMemoryStateStore.encodingJson();
        hookCalls.clear();
    }

    private CodeDeployBlueGreen.Builder codeDeploy() {
        AwsClients aws = server.clients();
        return CodeDeployBlueGreen.builder(aws.codeDeploy(), "myapp", "myapp-prod")
                .service(aws.ecs(), CLUSTER, "myapp")
                .withClock(time.clock())
                .container("web", 8080)
                .config(CodeDeployConfig.CANARY_10_PERCENT_5_MINUTES)
                .hook(CodeDeployEvent.AFTER_INSTALL, FUNCTION, ctx -> {
                    hookCalls.add(ctx.stage() + " " + ctx.candidate().name());
                    return HookResult.pass();
                });
    }

    private RolloutEngine engine() {
        return RolloutEngine.builder().withScheduler(time).withClock(time.clock()).withStateStore(store)
                .pollInterval(Duration.ofSeconds(15)).onEvent(events::add).build();
    }

    private Target target(CodeDeployBlueGreen cd, MetricSource metrics, Crashing crashing) {
        relayHooks(cd);
        return Target.builder("myapp").workloads(crashing.workloads(cd)).router(crashing.router(cd)).metrics(metrics).build();
    }

    private Target target(CodeDeployBlueGreen cd, MetricSource metrics) {
        return target(cd, metrics, new Crashing(new AtomicInteger(), Integer.MAX_VALUE));
    }

    /** Plays the hook function: every 10 s, hands what CodeDeploy invoked to the handler. */
    private void relayHooks(CodeDeployBlueGreen cd) {
        time.schedule(() -> {
            for (CodeDeployFake.Invocation i : server.fake.codeDeploy().takeInvocations()) {
                cd.hookHandler().answer(i.deploymentId(), i.hookExecutionId(), event(i.event()));
            }
            relayHooks(cd);
        }, Duration.ofSeconds(10));
    }

    private static CodeDeployEvent event(String name) {
        for (CodeDeployEvent e : CodeDeployEvent.values()) {
            if (e.appSpecName().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private String serviceTaskDefinition() {
        return server.fake.ecs().service(CLUSTER, "myapp").path("taskDefinition").asString();
    }

    private int calls(String operation) {
        return wireMock.findAll(postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo(TARGET + operation))).size();
    }

    @Test
    void aBlueGreenPlanContinuesCodeDeployAtItsWaitsAndEndsOnTheNewTaskDefinition() {
        CodeDeployBlueGreen cd = codeDeploy()
                .hook(CodeDeployEvent.AFTER_ALLOW_TEST_TRAFFIC, FUNCTION, ctx -> {
                    hookCalls.add(ctx.stage() + " " + ctx.candidate().name());
                    return HookResult.pass("smoke test ok");
                }).build();

        RolloutResult result = engine().start("myapp", plan(cd), V2, target(cd, errors(0.001))).await();

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(serviceTaskDefinition()).isEqualTo(TD2);
        assertThat(server.fake.codeDeploy().status("d-1")).isEqualTo("Succeeded");
        assertThat(hookCalls).containsExactly("AFTER_INSTALL v2", "AFTER_TEST_TRAFFIC v2");
        wireMock.verify(postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo(TARGET + "ContinueDeployment"))
                .withRequestBody(equalToJson("{\"deploymentId\":\"d-1\",\"deploymentWaitType\":\"READY_WAIT\"}")));
        wireMock.verify(postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo(TARGET + "ContinueDeployment"))
                .withRequestBody(equalToJson("{\"deploymentId\":\"d-1\",\"deploymentWaitType\":\"TERMINATION_WAIT\"}")));
        assertThat(calls("StopDeployment")).isZero();
        // CodeDeploy's canary needs 5 minutes at 10%; the group keeps blue for an hour unless told: Cutover told it.
        assertThat(result.duration()).isGreaterThan(Duration.ofMinutes(5)).isLessThan(Duration.ofMinutes(30));
        // the shift and the end of the deployment took minutes of polls: waited for, not counted as failed attempts
        assertThat(events).noneMatch(e -> e instanceof io.cutover.event.RolloutEvent.CallFailed);
        assertThat(events).filteredOn(e -> e instanceof io.cutover.event.RolloutEvent.TrafficChanged)
                .extracting(e -> ((io.cutover.event.RolloutEvent.TrafficChanged) e).split().candidateWeight())
                .as("the weights CodeDeploy showed").containsSubsequence(10, 100);
    }

    @Test
    void aRevisionWhoseArtifactIsNotATaskDefinitionArnIsRefusedBeforeAnythingIsStarted() {
        CodeDeployBlueGreen cd = codeDeploy().build();

        assertThatThrownBy(() -> cd.deploy(Revision.of("v2", "myapp:2"), 4)).isInstanceOf(io.cutover.CutoverException.class)
                .hasMessageContaining("revision artifact must be a task definition ARN").hasMessageContaining("'myapp:2'");
        assertThat(server.fake.codeDeploy().count()).isZero();
        assertThat(cd.status(Role.STABLE).revision()).as("stable as ECS reports it").isEqualTo(TD1);
    }

    @Test
    void theCandidateWaitsForCodeDeploysReadyStateBeforeProductionTrafficMoves() {
        CodeDeployBlueGreen cd = codeDeploy().build();
        var rollout = engine().start("myapp", Deployment.blueGreen().manualPromotion().build(), V2, target(cd, errors(0)));

        time.advance(Duration.ofMinutes(20));

        assertThat(rollout.status().split().candidateWeight()).isZero();
        assertThat(server.fake.codeDeploy().status("d-1")).as(server.fake.codeDeploy().passedEvents() + " " + rollout.status()).isEqualTo("Ready");
        assertThat(server.fake.codeDeploy().greenWeight("d-1")).isZero();
        assertThat(cd.read().candidateWeight()).isZero();
        assertThat(cd.status(Role.CANDIDATE).settled()).isTrue();
    }

    @Test
    void aFailingGateStopsCodeDeployWithRollback() {
        CodeDeployBlueGreen cd = codeDeploy().build();

        RolloutResult result = engine().start("myapp", plan(cd), V2, target(cd, errors(0.2))).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("error-rate");
        assertThat(server.fake.codeDeploy().status("d-1")).isEqualTo("Stopped");
        assertThat(server.fake.codeDeploy().greenWeight("d-1")).isZero();
        assertThat(serviceTaskDefinition()).isEqualTo(TD1);
        wireMock.verify(postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo(TARGET + "StopDeployment"))
                .withRequestBody(equalToJson("{\"deploymentId\":\"d-1\",\"autoRollbackEnabled\":true}")));
        // CodeDeploy's stop is Pending for a while: the engine waited for it, spending no retry budget
        java.time.Instant abortAt = events.stream().filter(e -> e instanceof io.cutover.event.RolloutEvent.AbortStarted)
                .findFirst().orElseThrow().at();
        assertThat(Duration.between(abortAt, result.finishedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(CodeDeployFake.EVENT_SECONDS));
        assertThat(events).noneMatch(e -> e instanceof io.cutover.event.RolloutEvent.CallFailed);
    }

    @Test
    void aMetricSourceThatOnlyErrsStopsCodeDeployInsteadOfLettingItShift() {
        CodeDeployBlueGreen cd = codeDeploy().build();
        Deployment judged = Deployment.blueGreen().prePromotionGate(Gates.errorRate(0.05))
                .analysis(GatePolicy.builder().count(3).consecutiveErrorLimit(2).build()).build();

        RolloutResult result = engine().start("myapp", judged, V2, target(cd, new EcsRollingServiceTest.ThrowingMetrics())).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("errored");
        assertThat(server.fake.codeDeploy().status("d-1")).isEqualTo("Stopped");
        assertThat(server.fake.codeDeploy().greenWeight("d-1")).as("production traffic never moved").isZero();
        assertThat(calls("ContinueDeployment")).isZero();
    }

    @Test
    void aFailingHookFailsTheDeploymentAndTheRolloutAborts() {
        CodeDeployBlueGreen cd = codeDeploy()
                .hook(CodeDeployEvent.AFTER_ALLOW_TEST_TRAFFIC, FUNCTION, ctx -> HookResult.fail("smoke test: /health answered 500"))
                .build();

        RolloutResult result = engine().start("myapp", plan(cd), V2, target(cd, errors(0))).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("AfterAllowTestTraffic hook failed");
        assertThat(server.fake.codeDeploy().status("d-1")).isEqualTo("Failed");
        assertThat(serviceTaskDefinition()).isEqualTo(TD1);
    }

    @Test
    void aDeploymentCutoverDidNotStartIsNeitherReplacedNorStopped() {
        CodeDeployBlueGreen cd = codeDeploy().build();
        String appSpec = cd.appSpec(V2);
        AwsClients aws = server.clients();
        String id = aws.codeDeploy().createDeployment(r -> r.applicationName("myapp").deploymentGroupName("myapp-prod")
                .deploymentConfigName("CodeDeployDefault.ECSAllAtOnce").description("started by hand")
                .revision(rev -> rev.revisionType("AppSpecContent").appSpecContent(c -> c.content(appSpec)))).deploymentId();

        RolloutResult result = engine().start("myapp", plan(cd), V2, target(cd, errors(0))).await();

        assertThat(result.phase()).isIn(Phase.FAILED, Phase.ABORTED);
        assertThat(result.reason()).contains("started by hand");
        assertThat(server.fake.codeDeploy().status(id)).isNotIn("Stopped", "Failed");
        assertThat(server.fake.codeDeploy().count()).isEqualTo(1);
        assertThat(calls("StopDeployment")).isZero();
    }

    @Test
    void aHookForADeploymentCutoverDidNotStartIsAnsweredFailed() {
        CodeDeployBlueGreen cd = codeDeploy().build();
        server.fake.codeDeploy().useClock(null);
        String appSpec = cd.appSpec(V2);
        AwsClients aws = server.clients();
        String id = aws.codeDeploy().createDeployment(r -> r.applicationName("myapp").deploymentGroupName("myapp-prod")
                .deploymentConfigName("CodeDeployDefault.ECSAllAtOnce").description("started by hand")
                .revision(rev -> rev.revisionType("AppSpecContent").appSpecContent(c -> c.content(appSpec)))).deploymentId();
        for (int i = 0; i < 4; i++) {
            aws.codeDeploy().getDeployment(r -> r.deploymentId(id));
        }
        CodeDeployFake.Invocation invocation = server.fake.codeDeploy().takeInvocations().get(0);

        HookResult result = cd.hookHandler().answer(id, invocation.hookExecutionId(), event(invocation.event()));

        assertThat(result.passed()).isFalse();
        assertThat(result.message()).contains("not started by Cutover");
        assertThat(hookCalls).isEmpty();
        assertThat(server.fake.codeDeploy().status(id)).isEqualTo("Failed");
    }

    @Test
    void theAppSpecNamesTheTaskDefinitionContainerAndHookFunctions() {
        CodeDeployBlueGreen cd = codeDeploy().build();

        cd.deploy(V2, 4);
        cd.deploy(V2, 4);

        assertThat(server.fake.codeDeploy().count()).as("a repeat finds the running deployment").isEqualTo(1);
        JsonNode spec = JsonMapper.builder().build().readTree(server.fake.codeDeploy().appSpec("d-1"));
        JsonNode props = spec.path("Resources").path(0).path("TargetService").path("Properties");
        assertThat(props.path("TaskDefinition").asString()).isEqualTo(TD2);
        assertThat(props.path("LoadBalancerInfo").path("ContainerName").asString()).isEqualTo("web");
        assertThat(props.path("LoadBalancerInfo").path("ContainerPort").asInt()).isEqualTo(8080);
        assertThat(spec.path("Hooks").path(0).path("AfterInstall").asString()).isEqualTo(FUNCTION);
        wireMock.verify(postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo(TARGET + "CreateDeployment"))
                .withRequestBody(equalToJson("{\"deploymentConfigName\":\"CodeDeployDefault.ECSCanary10Percent5Minutes\"}", true, true)));
    }

    @Test
    void aCustomConfigurationIsCreatedOnceAndUsed() {
        CodeDeployBlueGreen cd = codeDeploy().config(CodeDeployConfig.canary(25, Duration.ofMinutes(3))).build();

        RolloutResult result = engine().start("myapp", plan(cd), V2, target(cd, errors(0))).await();

        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        JsonNode config = server.fake.codeDeploy().deploymentConfig("Cutover.ECSCanary25Percent3Minutes");
        assertThat(config.path("computePlatform").asString()).isEqualTo("ECS");
        assertThat(config.path("trafficRoutingConfig").path("type").asString()).isEqualTo("TimeBasedCanary");
        assertThat(config.path("trafficRoutingConfig").path("timeBasedCanary").path("canaryPercentage").asInt()).isEqualTo(25);
        assertThat(calls("CreateDeploymentConfig")).isEqualTo(1);
    }

    @Test
    void aPlanCodeDeployCannotHonourIsRefusedWhenBound() {
        CodeDeployBlueGreen cd = codeDeploy().build();
        Deployment canary = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(1)).build();

        assertThatThrownBy(() -> engine().start("myapp", canary, V2, target(cd, errors(0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WEIGHTED");
        assertThat(server.fake.codeDeploy().count()).isZero();
    }

    @Test
    void crashAfterEveryWriteThenResumeEndsOnTheNewTaskDefinition() {
        assertThat(crashEverywhere(0.001, Phase.SUCCEEDED, TD2)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void crashAfterEveryWriteThenResumeEndsRolledBack() {
        assertThat(crashEverywhere(0.2, Phase.ABORTED, TD1)).isGreaterThanOrEqualTo(2);
    }

    private int crashEverywhere(double errorRate, Phase expected, String taskDefinition) {
        Deployment blueGreen = plan(codeDeploy().build());
        return Crashing.afterEveryWrite(expected, this::engine, this::reset, () -> new Crashing.Attempt(
                        (engine, crashing) -> engine.start("myapp", blueGreen, V2, target(codeDeploy().build(), errors(errorRate), crashing)),
                        engine -> engine.resume("myapp", blueGreen, target(codeDeploy().build(), errors(errorRate)))),
                k -> {
                    assertThat(serviceTaskDefinition()).as("after a crash at write %d", k).isEqualTo(taskDefinition);
                    assertThat(server.fake.codeDeploy().count()).as("one deployment, whatever the crash").isEqualTo(1);
                    assertThat(server.fake.codeDeploy().status("d-1")).isEqualTo(expected == Phase.SUCCEEDED ? "Succeeded" : "Stopped");
                });
    }

    @Test
    void cutoverPlansMapOntoCodeDeployConfigurations() {
        assertThat(CodeDeployConfig.from(Deployment.blueGreen().build())).isEqualTo(CodeDeployConfig.ALL_AT_ONCE);
        assertThat(CodeDeployConfig.from(Deployment.canary().steps(10).pauseBetween(Duration.ofMinutes(5)).build()))
                .isEqualTo(CodeDeployConfig.CANARY_10_PERCENT_5_MINUTES);
        assertThat(CodeDeployConfig.from(Deployment.canary().steps(10, 20, 30, 40, 50, 60, 70, 80, 90)
                .pauseBetween(Duration.ofMinutes(3)).build())).isEqualTo(CodeDeployConfig.LINEAR_10_PERCENT_EVERY_3_MINUTES);
        CodeDeployConfig linear = CodeDeployConfig.from(Deployment.canary().steps(25, 50, 75).pauseBetween(Duration.ofMinutes(2)).build());
        assertThat(linear.name()).isEqualTo("Cutover.ECSLinear25PercentEvery2Minutes");
        assertThatThrownBy(() -> CodeDeployConfig.from(Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(1)).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[10, 50]");
        assertThatThrownBy(() -> CodeDeployConfig.canary(10, Duration.ofSeconds(90)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("canary interval").hasMessageContaining("PT1M30S");
        assertThat(CodeDeployEvent.AFTER_ALLOW_TEST_TRAFFIC.stage()).isEqualTo(HookStage.AFTER_TEST_TRAFFIC);
    }

    /** The candidate shows {@code candidate} errors, stable almost none. */
    static MetricSource errors(double candidate) {
        return new MetricSource() {
            @Override public MetricValue errorRate(MetricQuery q) { return MetricValue.of(q.role() == Role.CANDIDATE ? candidate : 0.001); }
            @Override public MetricValue successRate(MetricQuery q) { return MetricValue.of(1 - ((MetricValue.Sample) errorRate(q)).value()); }
            @Override public MetricValue latency(MetricQuery q, double quantile) { return MetricValue.of(0.05); }
            @Override public MetricValue requestRate(MetricQuery q) { return MetricValue.of(100); }
            @Override public MetricValue query(String expression, Instant at) { return MetricValue.noData("no raw queries here"); }
        };
    }
}
