package io.cutover.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static io.cutover.ecs.Fixtures.TD2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.Deployment;
import io.cutover.ecs.fake.CodeDeployFake;
import io.cutover.gate.Gates;
import io.cutover.gate.Verdict;
import io.cutover.spi.HookResult;
import io.cutover.spi.HookStage;
import io.cutover.spi.Revision;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.codedeploy.model.DeploymentStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CodeDeployBlueGreenTest {

    static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:myapp-cutover-hooks";
    static final Revision V2 = Revision.of("v2", TD2);

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;
    private AwsClients aws;
    private VirtualScheduler time;
    private final List<String> hookCalls = new ArrayList<>();

    @BeforeEach
    void setUp() {
        aws = server.clients();
        time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        server.fake.cloudWatch().alarm("myapp-5xx", "OK", "fine");
    }

    private CodeDeployBlueGreen.Builder codeDeploy() {
        return CodeDeployBlueGreen.builder(aws.codeDeploy(), "myapp", "myapp-prod")
                .withClock(time.clock())
                .container("web", 8080)
                .config(CodeDeployConfig.CANARY_10_PERCENT_5_MINUTES)
                .hook(CodeDeployEvent.AFTER_INSTALL, FUNCTION, ctx -> {
                    hookCalls.add(ctx.stage() + " " + ctx.candidate().name());
                    assertThat(ctx.at()).isAfter(Instant.parse("2026-01-01T00:00:00Z")).isBefore(Instant.parse("2026-01-01T01:00:00Z"));
                    assertThat(ctx.candidate().artifact()).isEqualTo(TD2);
                    return HookResult.pass();
                })
                .gate(CloudWatchAlarmGate.alarms(aws.cloudWatch(), "myapp-5xx"));
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

    private CodeDeployProgress run(CodeDeployBlueGreen cd, CodeDeployRollout rollout) {
        relayHooks(cd);
        CompletableFuture<CodeDeployProgress> done = rollout.watch(time, time.clock(), Duration.ofSeconds(15));
        time.runUntil(done::isDone, Duration.ofHours(1));
        assertThat(done).isDone();
        return done.join();
    }

    @Test
    void aDeploymentWithPassingHooksAndQuietAlarmsSucceeds() {
        CodeDeployBlueGreen cd = codeDeploy()
                .hook(CodeDeployEvent.AFTER_ALLOW_TEST_TRAFFIC, FUNCTION, ctx -> {
                    hookCalls.add(ctx.stage() + " " + ctx.candidate().name());
                    return HookResult.pass("smoke test ok");
                })
                .build();

        CodeDeployRollout rollout = cd.start(V2);
        CodeDeployProgress progress = run(cd, rollout);

        assertThat(progress.status()).isEqualTo(DeploymentStatus.SUCCEEDED);
        assertThat(progress.succeeded()).isTrue();
        assertThat(hookCalls).containsExactly("AFTER_INSTALL v2", "AFTER_TEST_TRAFFIC v2");
        assertThat(server.fake.codeDeploy().passedEvents()).containsExactly(
                "d-1:BeforeInstall", "d-1:Install", "d-1:AfterInstall", "d-1:AllowTestTraffic", "d-1:AfterAllowTestTraffic",
                "d-1:BeforeAllowTraffic", "d-1:AllowTraffic", "d-1:AfterAllowTraffic");
        wireMock.verify(0, postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo("CodeDeploy_20141006.StopDeployment")));
    }

    @Test
    void aWatchGivesUpAfterItsBudgetOfThrottledChecks() {
        CodeDeployBlueGreen cd = codeDeploy().build();
        CodeDeployRollout rollout = cd.start(V2);
        throttleGetDeployment(io.cutover.ecs.internal.Watch.RETRY_BUDGET + 1);

        CompletableFuture<CodeDeployProgress> done = rollout.watch(time, time.clock(), Duration.ofSeconds(15));
        time.runUntil(done::isDone, Duration.ofHours(1));

        assertThat(done).isCompletedExceptionally();
        assertThatThrownBy(done::join).hasCauseInstanceOf(io.cutover.CutoverException.class).hasMessageContaining("throttled");
    }

    @Test
    void throttledChecksAreRetriedAtTheNextTick() {
        CodeDeployBlueGreen cd = codeDeploy().build();
        CodeDeployRollout rollout = cd.start(V2);
        throttleGetDeployment(3);

        CodeDeployProgress progress = run(cd, rollout);

        assertThat(progress.status()).isEqualTo(DeploymentStatus.SUCCEEDED);
        assertThat(hookCalls).containsExactly("AFTER_INSTALL v2");
    }

    private void throttleGetDeployment(int times) {
        for (int i = 0; i < times; i++) {
            wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(anyUrl()).atPriority(1)
                    .withHeader("X-Amz-Target", equalTo("CodeDeploy_20141006.GetDeployment"))
                    .inScenario("throttle").whenScenarioStateIs(i == 0 ? com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED : "t" + i)
                    .willSetStateTo("t" + (i + 1))
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(400)
                            .withHeader("Content-Type", "application/x-amz-json-1.1")
                            .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")));
        }
    }

    @Test
    void theAppSpecNamesTheTaskDefinitionContainerAndHookFunctions() {
        CodeDeployBlueGreen cd = codeDeploy().build();

        CodeDeployRollout rollout = cd.start(V2);

        JsonNode spec = JsonMapper.builder().build().readTree(server.fake.codeDeploy().appSpec(rollout.deploymentId()));
        JsonNode props = spec.path("Resources").path(0).path("TargetService").path("Properties");
        assertThat(spec.path("Resources").path(0).path("TargetService").path("Type").asString()).isEqualTo("AWS::ECS::Service");
        assertThat(props.path("TaskDefinition").asString()).isEqualTo(TD2);
        assertThat(props.path("LoadBalancerInfo").path("ContainerName").asString()).isEqualTo("web");
        assertThat(props.path("LoadBalancerInfo").path("ContainerPort").asInt()).isEqualTo(8080);
        assertThat(spec.path("Hooks").path(0).path("AfterInstall").asString()).isEqualTo(FUNCTION);
        wireMock.verify(postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo("CodeDeploy_20141006.CreateDeployment"))
                .withRequestBody(equalToJson("{\"deploymentConfigName\":\"CodeDeployDefault.ECSCanary10Percent5Minutes\"}", true, true)));
    }

    @Test
    void startingAgainFindsTheRunningDeployment() {
        CodeDeployBlueGreen cd = codeDeploy().build();

        String first = cd.start(V2).deploymentId();
        String again = cd.start(V2).deploymentId();

        assertThat(again).isEqualTo(first);
        assertThat(server.fake.codeDeploy().count()).isEqualTo(1);
    }

    @Test
    void aFailingHookFailsTheDeploymentAndCodeDeployRollsBack() {
        CodeDeployBlueGreen cd = codeDeploy()
                .hook(CodeDeployEvent.AFTER_ALLOW_TEST_TRAFFIC, FUNCTION, ctx -> HookResult.fail("smoke test: /health answered 500"))
                .build();

        CodeDeployProgress progress = run(cd, cd.start(V2));

        assertThat(progress.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(progress.message()).contains("AfterAllowTestTraffic hook failed").contains("Rolled back");
        assertThat(server.fake.codeDeploy().passedEvents()).doesNotContain("d-1:AllowTraffic");
        wireMock.verify(postRequestedFor(anyUrl())
                .withHeader("X-Amz-Target", equalTo("CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus"))
                .withRequestBody(equalToJson("{\"status\":\"Failed\"}", true, true)));
    }

    @Test
    void aDeploymentCutoverDidNotStartIsAnsweredFailed() {
        CodeDeployBlueGreen cd = codeDeploy().build();
        String appSpec = cd.appSpec(V2);
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
        assertThat(aws.codeDeploy().getDeployment(r -> r.deploymentId(id)).deploymentInfo().statusAsString()).isEqualTo("Failed");
    }

    @Test
    void aHookThatThrowsIsReportedFailed() {
        CodeDeployBlueGreen cd = codeDeploy()
                .hook(CodeDeployEvent.BEFORE_ALLOW_TRAFFIC, FUNCTION, ctx -> {
                    throw new IllegalStateException("database migration check crashed");
                })
                .build();

        CodeDeployProgress progress = run(cd, cd.start(V2));

        assertThat(progress.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(progress.message()).contains("BeforeAllowTraffic");
    }

    @Test
    void aFailingGateStopsTheDeploymentWithRollback() {
        CodeDeployBlueGreen cd = codeDeploy()
                .hook(CodeDeployEvent.AFTER_ALLOW_TEST_TRAFFIC, FUNCTION, ctx -> {
                    server.fake.cloudWatch().alarm("myapp-5xx", "ALARM", "Threshold Crossed: 5xx above 1%");
                    return HookResult.pass();
                })
                .build();

        CodeDeployProgress progress = run(cd, cd.start(V2));

        assertThat(progress.status()).isEqualTo(DeploymentStatus.STOPPED);
        assertThat(progress.message()).contains("gate cloudwatch-alarms failed").contains("myapp-5xx");
        assertThat(progress.measurements()).extracting(m -> m.verdict()).containsExactly(Verdict.FAILED);
        assertThat(server.fake.codeDeploy().status("d-1")).isEqualTo("Stopped");
        // Stopped at the first check after the alarm fired, before the deployment could finish.
        assertThat(server.fake.codeDeploy().passedEvents()).doesNotContain("d-1:AfterAllowTraffic");
        wireMock.verify(1, postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo("CodeDeploy_20141006.StopDeployment"))
                .withRequestBody(equalToJson("{\"deploymentId\":\"d-1\",\"autoRollbackEnabled\":true}")));
    }

    @Test
    void aCustomConfigurationIsCreatedOnceAndUsed() {
        CodeDeployBlueGreen cd = codeDeploy().config(CodeDeployConfig.canary(25, Duration.ofMinutes(3))).build();

        cd.start(V2);
        cd.start(Revision.of("v3", Fixtures.TD3));

        JsonNode config = server.fake.codeDeploy().deploymentConfig("Cutover.ECSCanary25Percent3Minutes");
        assertThat(config.path("computePlatform").asString()).isEqualTo("ECS");
        assertThat(config.path("trafficRoutingConfig").path("type").asString()).isEqualTo("TimeBasedCanary");
        assertThat(config.path("trafficRoutingConfig").path("timeBasedCanary").path("canaryPercentage").asInt()).isEqualTo(25);
        assertThat(config.path("trafficRoutingConfig").path("timeBasedCanary").path("canaryInterval").asInt()).isEqualTo(3);
        assertThat(server.fake.codeDeploy().count()).isEqualTo(2);
    }

    @Test
    void cutoverPlansMapOntoCodeDeployConfigurations() {
        assertThat(CodeDeployConfig.from(Deployment.blueGreen().build())).isEqualTo(CodeDeployConfig.ALL_AT_ONCE);
        assertThat(CodeDeployConfig.from(Deployment.canary().steps(10).pauseBetween(Duration.ofMinutes(5)).build()))
                .isEqualTo(CodeDeployConfig.CANARY_10_PERCENT_5_MINUTES);
        assertThat(CodeDeployConfig.from(Deployment.canary().steps(10).pauseBetween(Duration.ofMinutes(15)).build()))
                .isEqualTo(CodeDeployConfig.CANARY_10_PERCENT_15_MINUTES);
        assertThat(CodeDeployConfig.from(Deployment.canary().steps(10, 20, 30, 40, 50, 60, 70, 80, 90)
                .pauseBetween(Duration.ofMinutes(1)).build())).isEqualTo(CodeDeployConfig.LINEAR_10_PERCENT_EVERY_1_MINUTES);
        assertThat(CodeDeployConfig.from(Deployment.canary().steps(10, 20, 30, 40, 50, 60, 70, 80, 90)
                .pauseBetween(Duration.ofMinutes(3)).build())).isEqualTo(CodeDeployConfig.LINEAR_10_PERCENT_EVERY_3_MINUTES);
        CodeDeployConfig linear = CodeDeployConfig.from(Deployment.canary().steps(25, 50, 75).pauseBetween(Duration.ofMinutes(2)).build());
        assertThat(linear.name()).isEqualTo("Cutover.ECSLinear25PercentEvery2Minutes");
        assertThat(linear.routing().timeBasedLinear().linearPercentage()).isEqualTo(25);

        assertThatThrownBy(() -> CodeDeployConfig.from(Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(1)).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[10, 50]");
        assertThatThrownBy(() -> CodeDeployConfig.from(Deployment.canary().steps(10).gate(Gates.successRate(0.99)).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timed pause");
        assertThatThrownBy(() -> CodeDeployConfig.canary(10, Duration.ofSeconds(90)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("canary interval").hasMessageContaining("PT1M30S");
        assertThat(CodeDeployEvent.AFTER_ALLOW_TEST_TRAFFIC.stage()).isEqualTo(HookStage.AFTER_TEST_TRAFFIC);
    }
}
