package io.cutover.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static io.cutover.ecs.Fixtures.CLUSTER;
import static io.cutover.ecs.Fixtures.TD1;
import static io.cutover.ecs.Fixtures.TD2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.ecs.EcsRollingProgress.State;
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
import tools.jackson.databind.JsonNode;

class EcsRollingUpdateTest {

    static final String WORKER = "worker";
    static final Revision V2 = Revision.of("v2", TD2);

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;
    private AwsClients aws;
    private VirtualScheduler time;
    private final List<String> seen = new ArrayList<>();

    @BeforeEach
    void setUp() {
        aws = server.clients();
        server.fake.ecs().createRollingService(CLUSTER, WORKER, 4, TD1);
        server.fake.cloudWatch().alarm("worker-errors", "OK", "fine");
        time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    }

    private EcsRollingUpdate.Builder rolling() {
        return EcsRollingUpdate.builder(aws.ecs(), CLUSTER, WORKER).minimumHealthyPercent(100).maximumPercent(150)
                .gate(CloudWatchAlarmGate.alarms(aws.cloudWatch(), "worker-errors"));
    }

    private EcsRollingProgress run(EcsRollingRollout rollout) {
        CompletableFuture<EcsRollingProgress> done = rollout.watch(time, time.clock(), Duration.ofSeconds(15));
        time.runUntil(done::isDone, Duration.ofHours(1));
        assertThat(done).isDone();
        return done.join();
    }

    private JsonNode service() {
        return server.fake.ecs().service(CLUSTER, WORKER);
    }

    @Test
    void aHealthyUpdateRollsToCompletionAndKeepsTheOtherDeploymentSettings() {
        EcsRollingRollout rollout = rolling().build().start(V2);

        JsonNode config = service().path("deploymentConfiguration");
        assertThat(config.path("minimumHealthyPercent").asInt()).isEqualTo(100);
        assertThat(config.path("maximumPercent").asInt()).isEqualTo(150);
        assertThat(config.path("deploymentCircuitBreaker").path("enable").asBoolean()).isTrue();
        assertThat(config.path("deploymentCircuitBreaker").path("rollback").asBoolean()).isTrue();
        assertThat(config.path("alarms").path("alarmNames").path(0).asString()).as("the user's alarms are kept").isEqualTo("worker-errors");
        assertThat(rollout.previousTaskDefinition()).isEqualTo(TD1);

        List<Integer> running = new ArrayList<>();
        EcsRollingProgress p;
        do {
            p = rollout.check(time.now());
            running.add(p.running());
        } while (!p.done());

        assertThat(p.state()).isEqualTo(State.COMPLETED);
        assertThat(running).containsExactly(2, 4);
        assertThat(service().path("taskDefinition").asString()).isEqualTo(TD2);
        assertThat(service().path("deployments")).hasSize(1);
    }

    @Test
    void startingAgainFollowsTheUpdateAlreadyRunning() {
        EcsRollingUpdate rolling = rolling().build();
        rolling.start(V2);
        EcsRollingRollout again = rolling.start(V2);

        assertThat(again.previousTaskDefinition()).isEqualTo(TD1);
        wireMock.verify(1, postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo("AmazonEC2ContainerServiceV20141113.UpdateService")));
        assertThat(run(again).state()).isEqualTo(State.COMPLETED);
    }

    @Test
    void theCircuitBreakerRollsAFailingUpdateBack() {
        server.fake.ecs().breakTaskDefinition(TD2);

        EcsRollingProgress end = run(rolling().build().start(V2));

        assertThat(end.state()).isEqualTo(State.ROLLED_BACK);
        assertThat(end.message()).contains("circuit breaker");
        assertThat(service().path("taskDefinition").asString()).isEqualTo(TD1);
    }

    @Test
    void withoutRollbackTheCircuitBreakerLeavesTheUpdateFailed() {
        server.fake.ecs().breakTaskDefinition(TD2);

        EcsRollingProgress end = run(rolling().circuitBreakerRollback(false).build().start(V2));

        assertThat(end.state()).isEqualTo(State.FAILED);
        assertThat(end.message()).contains("tasks failed to start");
    }

    @Test
    void aFailingGatePutsThePreviousTaskDefinitionBack() {
        EcsRollingRollout rollout = rolling().maximumPercent(125).build().start(V2);
        EcsRollingProgress first = rollout.check(time.now());
        assertThat(first.state()).isEqualTo(State.IN_PROGRESS);
        assertThat(first.running()).isEqualTo(1);
        server.fake.cloudWatch().alarm("worker-errors", "ALARM", "errors above 2%");

        EcsRollingProgress second = rollout.check(time.now());
        assertThat(second.state()).isEqualTo(State.ROLLING_BACK);
        assertThat(second.message()).contains("worker-errors");
        EcsRollingProgress end = run(rollout);

        assertThat(end.state()).isEqualTo(State.ROLLED_BACK);
        assertThat(end.message()).contains("gate cloudwatch-alarms failed");
        assertThat(service().path("taskDefinition").asString()).isEqualTo(TD1);
        rollout.rollback("again");
        wireMock.verify(2, postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo("AmazonEC2ContainerServiceV20141113.UpdateService")));
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> EcsRollingUpdate.builder(aws.ecs(), CLUSTER, WORKER).maximumPercent(250))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumPercent").hasMessageContaining("250");
        assertThatThrownBy(() -> EcsRollingUpdate.builder(aws.ecs(), CLUSTER, WORKER).maximumPercent(100).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no room");
    }
}
