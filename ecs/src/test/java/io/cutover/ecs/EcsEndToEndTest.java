package io.cutover.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static io.cutover.ecs.Fixtures.BLUE;
import static io.cutover.ecs.Fixtures.CLUSTER;
import static io.cutover.ecs.Fixtures.GREEN;
import static io.cutover.ecs.Fixtures.LISTENER;
import static io.cutover.ecs.Fixtures.SERVICE;
import static io.cutover.ecs.Fixtures.TD1;
import static io.cutover.ecs.Fixtures.TD2;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.ecs.fake.AwsFake;
import io.cutover.event.RolloutEvent;
import io.cutover.gate.Gates;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;

/**
 * Blue-green and canary rollouts run by the engine on virtual time against the stateful AWS fake:
 * real SDK clients, the ALB router, the task-set workloads and CloudWatch metrics and alarms.
 * After every step the listener's weights and the task sets' scales are recorded and compared
 * with the whole expected timeline.
 */
class EcsEndToEndTest {

    static final String GREEN_DIM = "targetgroup/myapp-green/2453ed029918f21f";
    static final String BLUE_DIM = "targetgroup/myapp-blue/73e2d6bc24d8a067";
    static final Revision V2 = Revision.of("v2", TD2);

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;
    private AwsClients aws;
    private Target target;
    private final List<String> timeline = new ArrayList<>();
    private VirtualScheduler time;

    @BeforeEach
    void setUp() {
        aws = server.clients();
        server.fake.ecs().createExternalService(CLUSTER, SERVICE, 4, TD1, "v1", BLUE);
        server.fake.elb().createListener(LISTENER);
        aws.elb().modifyListener(r -> r.listenerArn(LISTENER).defaultActions(
                AlbWeightedRouterTest.OIDC_SEED, AlbWeightedRouterTest.forward(1, null)));
        var workloads = EcsTaskSetWorkloads.builder(aws.ecs(), CLUSTER, SERVICE).targetGroups(BLUE, GREEN).container("web", 8080).build();
        target = Target.builder("myapp")
                .workloads(workloads)
                .router(AlbWeightedRouter.forListener(aws.elb(), LISTENER, workloads.targetGroupRoles()))
                .metrics(CloudWatchAlbMetrics.of(aws.cloudWatch(), Fixtures.LB + "loadbalancer/app/myapp/50dc6c495c0c9188",
                        workloads.targetGroupRoles()))
                .build();
        time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        server.fake.cloudWatch().alarm("myapp-5xx", "OK", "fine");
        traffic(GREEN_DIM, 1000, 2);
        traffic(BLUE_DIM, 1000, 1);
    }

    private void traffic(String targetGroup, double requests, double errors) {
        server.fake.cloudWatch().metric(targetGroup, "RequestCount", "Sum", requests);
        server.fake.cloudWatch().metric(targetGroup, "HTTPCode_Target_5XX_Count", "Sum", errors);
    }

    private RolloutEngine engine(int retryBudget) {
        return RolloutEngine.builder().withScheduler(time).withClock(time.clock())
                .pollInterval(Duration.ofSeconds(10)).retryBudget(retryBudget)
                .onEvent(event -> {
                    if (event instanceof RolloutEvent.StepStarted s) {
                        timeline.add(snapshot(s.step()));
                    }
                })
                .build();
    }

    /** Weights blue/green and the scale of v1 and v2 (-1 when the task set does not exist), before a step. */
    private String snapshot(String step) {
        Map<String, Integer> w = server.fake.elb().forwardWeights(LISTENER);
        int detail = step.indexOf(" (every ");
        return (detail > 0 ? step.substring(0, detail) : step) + " | blue " + (w.containsKey(BLUE) ? String.valueOf(w.get(BLUE)) : "out") + " green " + (w.containsKey(GREEN) ? String.valueOf(w.get(GREEN)) : "out")
                + " | v1 " + scale("v1") + " v2 " + scale("v2");
    }

    private String scale(String revision) {
        double s = server.fake.ecs().scaleOf(CLUSTER, SERVICE, revision);
        String status = server.fake.ecs().statusOf(CLUSTER, SERVICE, revision);
        return s < 0 ? "-" : (int) s + "%" + ("PRIMARY".equals(status) ? "*" : "");
    }

    private String end() {
        return snapshot("end");
    }

    @Test
    void blueGreenSwitchesOnceTheAlarmsAreQuietAndRetiresBlue() {
        Deployment bg = Deployment.blueGreen()
                .prePromotionGate(CloudWatchAlarmGate.alarms(aws.cloudWatch(), "myapp-5xx"))
                .autoPromoteAfter(Duration.ofMinutes(1))
                .build();

        RolloutResult result = engine(6).start("myapp", bg, V2, target).await();

        assertThat(result.phase()).as("%s", result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(timeline).containsExactly(
                "deploy candidate with full replicas | blue 1 green out | v1 100%* v2 -",
                "await candidate ready | blue 1 green out | v1 100%* v2 100%",
                "analyze pre-promotion: cloudwatch-alarms[myapp-5xx] | blue 1 green out | v1 100%* v2 100%",
                "pause PT1M | blue 1 green out | v1 100%* v2 100%",
                "set candidate weight 100% | blue 1 green out | v1 100%* v2 100%",
                "rollback window PT30S: stable kept, an abort switches back at once | blue 0 green 100 | v1 100%* v2 100%",
                "promote candidate to stable | blue 0 green 100 | v1 100%* v2 100%",
                "await stable ready | blue 0 green 100 | v1 100% v2 100%*",
                "send all traffic to stable | blue 0 green 100 | v1 100% v2 100%*",
                "retire previous revision | blue 0 green 100 | v1 100% v2 100%*");
        assertThat(end()).isEqualTo("end | blue 0 green 100 | v1 - v2 100%*");
        assertThat(result.split()).isEqualTo(TrafficSplit.stableOnly());
        assertThat(listenerActions().get(0)).as("the other action is kept").isEqualTo(AlbWeightedRouterTest.OIDC);
        assertThat(listenerActions().get(1).forwardConfig().targetGroupStickinessConfig().enabled()).isTrue();
    }

    @Test
    void blueGreenSwitchesBackWhenThePostPromotionGateFails() {
        traffic(GREEN_DIM, 1000, 300);
        Deployment bg = Deployment.blueGreen()
                .postPromotionGate(Gates.successRate(0.95))
                .build();

        RolloutResult result = engine(6).start("myapp", bg, V2, target).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("success-rate");
        assertThat(result.split()).isEqualTo(TrafficSplit.stableOnly());
        assertThat(end()).isEqualTo("end | blue 100 green out | v1 100%* v2 0%");
        assertThat(timeline).containsExactly(
                "deploy candidate with full replicas | blue 1 green out | v1 100%* v2 -",
                "await candidate ready | blue 1 green out | v1 100%* v2 100%",
                "set candidate weight 100% | blue 1 green out | v1 100%* v2 100%",
                "analyze post-promotion: success-rate >= 0.95 over PT5M | blue 0 green 100 | v1 100%* v2 100%",
                // the rollback's first step (stable to full) starts with the abort; traffic is back before the hooks
                "await stable ready | blue 0 green 100 | v1 100%* v2 100%",
                "send all traffic to stable | blue 0 green 100 | v1 100%* v2 100%",
                "run before-rollback hooks | blue 100 green out | v1 100%* v2 100%",
                "pause PT10S | blue 100 green out | v1 100%* v2 100%",
                "scale candidate to 0 | blue 100 green out | v1 100%* v2 100%",
                "run after-rollback hooks | blue 100 green out | v1 100%* v2 0%");
    }

    @Test
    void canaryShiftsWeightsAndScalesTheCandidateStepByStep() {
        Deployment canary = Deployment.canary().steps(25, 50).gate(Gates.successRate(0.95)).build();

        RolloutResult result = engine(6).start("myapp", canary, V2, target).await();

        assertThat(result.phase()).as("%s", result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(timeline).containsExactly(
                "deploy candidate with 25% of stable replicas | blue 1 green out | v1 100%* v2 -",
                "await candidate ready | blue 1 green out | v1 100%* v2 25%",
                "set candidate weight 25% | blue 1 green out | v1 100%* v2 25%",
                "analyze step 25%: success-rate >= 0.95 over PT5M | blue 75 green 25 | v1 100%* v2 25%",
                "scale candidate to 50% of stable | blue 75 green 25 | v1 100%* v2 25%",
                "await candidate ready | blue 75 green 25 | v1 100%* v2 50%",
                "set candidate weight 50% | blue 75 green 25 | v1 100%* v2 50%",
                "analyze step 50%: success-rate >= 0.95 over PT5M | blue 50 green 50 | v1 100%* v2 50%",
                "scale candidate to full | blue 50 green 50 | v1 100%* v2 50%",
                "await candidate ready | blue 50 green 50 | v1 100%* v2 100%",
                "set candidate weight 100% | blue 50 green 50 | v1 100%* v2 100%",
                "rollback window PT30S: stable kept, an abort switches back at once | blue 0 green 100 | v1 100%* v2 100%",
                "promote candidate to stable | blue 0 green 100 | v1 100%* v2 100%",
                "await stable ready | blue 0 green 100 | v1 100% v2 100%*",
                "send all traffic to stable | blue 0 green 100 | v1 100% v2 100%*",
                "retire previous revision | blue 0 green 100 | v1 100% v2 100%*");
        assertThat(end()).isEqualTo("end | blue 0 green 100 | v1 - v2 100%*");
    }

    @Test
    void canaryRollsBackAutomaticallyWhenTheCandidateFails() {
        traffic(GREEN_DIM, 1000, 200);
        Deployment canary = Deployment.canary().steps(25, 50).gate(Gates.successRate(0.95)).build();

        RolloutResult result = engine(6).start("myapp", canary, V2, target).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.split()).isEqualTo(TrafficSplit.stableOnly());
        assertThat(timeline).startsWith(
                "deploy candidate with 25% of stable replicas | blue 1 green out | v1 100%* v2 -",
                "await candidate ready | blue 1 green out | v1 100%* v2 25%",
                "set candidate weight 25% | blue 1 green out | v1 100%* v2 25%",
                "analyze step 25%: success-rate >= 0.95 over PT5M | blue 75 green 25 | v1 100%* v2 25%");
        assertThat(timeline.subList(4, timeline.size())).containsExactly(
                // the rollback's first step (stable to full) starts with the abort; traffic is back before the hooks
                "await stable ready | blue 75 green 25 | v1 100%* v2 25%",
                "send all traffic to stable | blue 75 green 25 | v1 100%* v2 25%",
                "run before-rollback hooks | blue 100 green out | v1 100%* v2 25%",
                "pause PT10S | blue 100 green out | v1 100%* v2 25%",
                "scale candidate to 0 | blue 100 green out | v1 100%* v2 25%",
                "run after-rollback hooks | blue 100 green out | v1 100%* v2 0%");
        assertThat(end()).isEqualTo("end | blue 100 green out | v1 100%* v2 0%");
    }

    @Test
    void aListenerRuleKeepsItsConditionsAndOtherActionThroughAFullRollout() {
        server.fake.elb().createRule(Fixtures.RULE, 10);
        aws.elb().modifyRule(r -> r.ruleArn(Fixtures.RULE).conditions(AlbRuleRouterContractTest.CONDITIONS)
                .actions(AlbWeightedRouterTest.OIDC_SEED, AlbWeightedRouterTest.forward(1, null)));
        var workloads = EcsTaskSetWorkloads.builder(aws.ecs(), CLUSTER, SERVICE).targetGroups(BLUE, GREEN).container("web", 8080).build();
        Target onRule = target.toBuilder().router(AlbWeightedRouter.forRule(aws.elb(), Fixtures.RULE, workloads.targetGroupRoles())).build();
        List<Map<String, Integer>> weights = new ArrayList<>();
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withClock(time.clock())
                .pollInterval(Duration.ofSeconds(10))
                .onEvent(event -> {
                    if (event instanceof RolloutEvent.TrafficChanged) {
                        weights.add(server.fake.elb().forwardWeights(Fixtures.RULE));
                    }
                })
                .build();

        RolloutResult result = engine.start("myapp", Deployment.canary().steps(20, 60).gate(Gates.successRate(0.95)).build(), V2, onRule).await();

        assertThat(result.phase()).as("%s", result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(weights).containsExactly(Map.of(BLUE, 80, GREEN, 20), Map.of(BLUE, 40, GREEN, 60), Map.of(BLUE, 0, GREEN, 100));
        var rule = aws.elb().describeRules(r -> r.ruleArns(Fixtures.RULE)).rules().get(0);
        assertThat(rule.conditions()).isEqualTo(AlbRuleRouterContractTest.CONDITIONS);
        assertThat(rule.actions().get(0)).isEqualTo(AlbWeightedRouterTest.OIDC);
        assertThat(rule.actions().get(1).forwardConfig().targetGroupStickinessConfig().enabled()).isTrue();
        assertThat(rule.priority()).isEqualTo("10");
        assertThat(server.fake.elb().forwardWeights(LISTENER)).as("the listener is not touched").isEqualTo(Map.of(BLUE, 1));
    }

    @Test
    void throttledWritesAreRetriedWithinTheBudgetAndTheRolloutEndsRight() {
        throttle("Action=ModifyListener", 3);
        Deployment canary = Deployment.canary().steps(25, 50).gate(Gates.successRate(0.95)).build();

        RolloutResult result = engine(4).start("myapp", canary, V2, target).await();

        assertThat(result.phase()).as("%s", result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(end()).isEqualTo("end | blue 0 green 100 | v1 - v2 100%*");
        // 3 throttled attempts, then the seeding write and one write per weight (25, 50, 100).
        wireMock.verify(3 + 4, postRequestedFor(anyUrl()).withRequestBody(containing("Action=ModifyListener")));
    }

    @Test
    void throttlingBeyondTheBudgetPausesTheRolloutWhereItStood() {
        throttle("Action=ModifyListener", 10);
        Deployment canary = Deployment.canary().steps(25, 50).gate(Gates.successRate(0.95)).build();

        RolloutResult result = engine(2).start("myapp", canary, V2, target).await();

        assertThat(result.phase()).isEqualTo(Phase.PAUSED);
        assertThat(result.reason()).contains("retry budget of 2 spent").contains("ModifyListener").contains("throttled");
        assertThat(end()).as("traffic never moved").isEqualTo("end | blue 1 green out | v1 100%* v2 25%");
        wireMock.verify(1 + 3, postRequestedFor(anyUrl()).withRequestBody(containing("Action=ModifyListener")));
    }

    /** The next {@code times} requests whose body contains {@code marker} are throttled. */
    private void throttle(String marker, int times) {
        for (int i = 0; i < times; i++) {
            wireMock.stubFor(post(anyUrl()).atPriority(1).withRequestBody(containing(marker))
                    .inScenario("throttle").whenScenarioStateIs(i == 0 ? Scenario.STARTED : "throttled-" + i)
                    .willSetStateTo("throttled-" + (i + 1))
                    .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "text/xml")
                            .withBody(AwsFake.queryErrorBody("Throttling", "Rate exceeded"))));
        }
    }

    private List<Action> listenerActions() {
        return aws.elb().describeListeners(r -> r.listenerArns(LISTENER)).listeners().get(0).defaultActions();
    }
}
