package io.cutover.hook;

import static io.cutover.hook.Hooks.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.HookStage;
import io.cutover.spi.Revision;
import io.cutover.time.VirtualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Webhooks at the stages of a canary on a simulated platform and virtual time, answered by a real server. */
class WebhookRolloutTest {

    private static final Revision V1 = Revision.of("v1.0.0", "myapp:v1.0.0");
    private static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WebhookReceiver receiver;
    private VirtualScheduler time;
    private RolloutEngine engine;
    private SimulatedPlatform platform;

    @BeforeEach
    void start() throws IOException {
        receiver = new WebhookReceiver();
        time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        engine = RolloutEngine.builder().withScheduler(time).build();
        platform = SimulatedPlatform.builder(time.clock()).seed(7)
                .stable(V1, 5, Behaviour.healthy()).behaviour(V2.name(), Behaviour.healthy()).build();
    }

    @AfterEach
    void stop() {
        engine.shutdown();
        receiver.close();
    }

    private RolloutResult canaryWith(WebhookHook hook) {
        Deployment canary = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(2))
                .hook(HookStage.BEFORE_TRAFFIC, hook)
                .hook(HookStage.ON_COMPLETE, hook)
                .build();
        return engine.start("myapp", canary, V2, platform.target("myapp")).await();
    }

    @Test
    void everyStageIsPostedWithTheRolloutAsItStands() throws Exception {
        RolloutResult result = canaryWith(webhook(receiver.uri("/cutover")).sign("s").build());

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(receiver.calls()).hasSize(2);
        JsonNode before = JSON.readTree(receiver.calls().get(0).bodyText());
        JsonNode complete = JSON.readTree(receiver.calls().get(1).bodyText());
        assertThat(before.get("stage").asString()).isEqualTo("BEFORE_TRAFFIC");
        assertThat(before.get("candidate").get("name").asString()).isEqualTo("v2.0.0");
        assertThat(before.get("stableRevision").asString()).isEqualTo("v1.0.0");
        assertThat(before.get("split").get("candidateWeight").asInt()).isZero();
        assertThat(complete.get("stage").asString()).isEqualTo("ON_COMPLETE");
        assertThat(Instant.parse(complete.get("timestamp").asString()))
                .isAfter(Instant.parse(before.get("timestamp").asString()));
        assertThat(receiver.calls()).allSatisfy(call ->
                assertThat(call.headers().getFirst("X-Cutover-Signature")).matches("t=\\d+,sha256=[0-9a-f]{64}"));
    }

    @Test
    void aWebhookAnswering500BeforeTrafficAbortsTheRollout() {
        receiver.answer(500, "change freeze");

        RolloutResult result = canaryWith(webhook(receiver.uri("/cutover")).named("change-calendar").build());

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("change-calendar answered 500: change freeze");
        assertThat(platform.stableRevision()).isEqualTo("v1.0.0");
    }
}
