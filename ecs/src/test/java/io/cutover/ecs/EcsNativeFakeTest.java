package io.cutover.ecs;

import static io.cutover.ecs.EcsNativeDeploymentTest.PROD_RULE;
import static io.cutover.ecs.EcsNativeDeploymentTest.TEST_RULE;
import static io.cutover.ecs.EcsNativeDeploymentTest.WEB;
import static io.cutover.ecs.Fixtures.BLUE;
import static io.cutover.ecs.Fixtures.CLUSTER;
import static io.cutover.ecs.Fixtures.GREEN;
import static io.cutover.ecs.Fixtures.TD1;
import static io.cutover.ecs.Fixtures.TD2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ConflictException;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentStopType;

/** The ECS fake plays ECS's own deployments by AWS's documented rules, over virtual time, through the real SDK. */
class EcsNativeFakeTest {

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;
    private VirtualScheduler time;
    private EcsClient ecs;

    @BeforeEach
    void setUp() {
        server.fake.elb().createRule(PROD_RULE, 1);
        server.fake.elb().createRule(TEST_RULE, 2);
        server.fake.ecs().nativeDeployments().createService(CLUSTER, WEB, 4, TD1, server.fake.elb(), PROD_RULE, TEST_RULE, BLUE, GREEN);
        time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        server.fake.ecs().useClock(time::now);
        ecs = server.clients().ecs();
    }

    private String update() {
        ecs.updateService(r -> r.cluster(CLUSTER).service(WEB).taskDefinition(TD2)
                .deploymentConfiguration(c -> c.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(2)));
        return ecs.listServiceDeployments(r -> r.cluster(CLUSTER).service(WEB)).serviceDeployments().get(0).serviceDeploymentArn();
    }

    private ServiceDeployment describe(String arn) {
        return ecs.describeServiceDeployments(r -> r.serviceDeploymentArns(arn)).serviceDeployments().get(0);
    }

    @Test
    void aBlueGreenDeploymentWalksEveryLifecycleStageOverTimeAndMovesTheAlbRules() {
        String arn = update();
        assertThat(describe(arn).statusAsString()).as("nothing happens without time").isEqualTo("PENDING");
        List<String> stages = new ArrayList<>();
        for (int i = 0; i < 30 && !describe(arn).statusAsString().equals("SUCCESSFUL"); i++) {
            time.advance(Duration.ofSeconds(30));
            ecs.describeServices(r -> r.cluster(CLUSTER).services(WEB));
            String stage = describe(arn).lifecycleStageAsString();
            if (stages.isEmpty() || !stages.get(stages.size() - 1).equals(stage)) {
                stages.add(stage);
            }
        }

        assertThat(stages).containsExactly("PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT",
                "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP");
        assertThat(describe(arn).statusAsString()).isEqualTo("SUCCESSFUL");
        assertThat(server.fake.elb().forwardWeights(PROD_RULE)).isEqualTo(Map.of(BLUE, 0, GREEN, 100));
        assertThat(server.fake.elb().forwardWeights(TEST_RULE)).isEqualTo(Map.of(BLUE, 0, GREEN, 100));
    }

    @Test
    void aLinearConfigurationIsRefusedWithAnotherStrategy() {
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster(CLUSTER).service(WEB).taskDefinition(TD2)
                .deploymentConfiguration(c -> c.strategy(DeploymentStrategy.BLUE_GREEN).linearConfiguration(l -> l.stepPercent(10.0)))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("linearConfiguration is only valid with the LINEAR");
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster(CLUSTER).service(WEB).taskDefinition(TD2)
                .deploymentConfiguration(c -> c.strategy(DeploymentStrategy.LINEAR).linearConfiguration(l -> l.stepPercent(2.0)))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("stepPercent");
        assertThat(ecs.listServiceDeployments(r -> r.cluster(CLUSTER).service(WEB)).serviceDeployments()).isEmpty();
    }

    @Test
    void onlyADeploymentStillRunningCanBeStoppedAndOnlyWithRollback() {
        String arn = update();
        assertThatThrownBy(() -> ecs.stopServiceDeployment(r -> r.serviceDeploymentArn(arn).stopType(StopServiceDeploymentStopType.ABORT)))
                .isInstanceOf(InvalidParameterException.class);
        time.advance(Duration.ofMinutes(10));
        ecs.describeServices(r -> r.cluster(CLUSTER).services(WEB));
        assertThat(describe(arn).statusAsString()).isEqualTo("SUCCESSFUL");

        assertThatThrownBy(() -> ecs.stopServiceDeployment(r -> r.serviceDeploymentArn(arn).stopType(StopServiceDeploymentStopType.ROLLBACK)))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void aRollbackBringsProductionTrafficBackBeforeItRemovesTheNewTasks() {
        String arn = update();
        for (int i = 0; i < 20 && !"BAKE_TIME".equals(describe(arn).lifecycleStageAsString()); i++) {
            time.advance(Duration.ofSeconds(30));
            ecs.describeServices(r -> r.cluster(CLUSTER).services(WEB));
        }
        ecs.stopServiceDeployment(r -> r.serviceDeploymentArn(arn).stopType(StopServiceDeploymentStopType.ROLLBACK));
        assertThat(describe(arn).statusAsString()).isEqualTo("ROLLBACK_REQUESTED");

        time.advance(Duration.ofSeconds(30));
        ecs.describeServices(r -> r.cluster(CLUSTER).services(WEB));
        ServiceDeployment back = describe(arn);
        assertThat(server.fake.elb().forwardWeights(PROD_RULE)).isEqualTo(Map.of(BLUE, 100, GREEN, 0));
        assertThat(back.targetServiceRevision().runningTaskCount()).as("green still runs while traffic leaves it").isEqualTo(4);

        time.advance(Duration.ofSeconds(30));
        ecs.describeServices(r -> r.cluster(CLUSTER).services(WEB));
        assertThat(describe(arn).statusAsString()).isEqualTo("ROLLBACK_SUCCESSFUL");
        assertThat(describe(arn).targetServiceRevision().runningTaskCount()).isZero();
    }
}
