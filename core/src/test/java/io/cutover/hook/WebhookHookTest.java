package io.cutover.hook;

import static io.cutover.hook.Hooks.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.spi.HeaderMatch;
import io.cutover.spi.HookContext;
import io.cutover.spi.HookResult;
import io.cutover.spi.HookStage;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WebhookHookTest {

    private static final HookContext CONTEXT = new HookContext("myapp-canary", "myapp", HookStage.AFTER_TRAFFIC,
            Revision.of("v2.0.0", "myapp:v2.0.0"), "v1.0.0",
            new TrafficSplit(25, List.of(HeaderMatch.exact("X-Canary", "always")), 10),
            Instant.parse("2026-01-01T00:05:00Z"));

    private WebhookReceiver receiver;

    @BeforeEach
    void start() throws IOException {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void a200AnswerPassesWithTheStatusAndBody() {
        receiver.answer(200, "accepted\n");

        HookResult result = webhook(receiver.uri("/hooks/cutover")).build().run(CONTEXT);

        assertThat(result.passed()).isTrue();
        assertThat(result.message()).isEqualTo("webhook POST " + receiver.uri("") + " answered 200: accepted");
        assertThat(receiver.calls()).singleElement().satisfies(call -> {
            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.path()).isEqualTo("/hooks/cutover");
            assertThat(call.headers().getFirst("Content-Type")).isEqualTo("application/json");
        });
    }

    @Test
    void anyOther2xxPassesToo() {
        receiver.answer(204, "");

        HookResult result = webhook(receiver.uri("/")).build().run(CONTEXT);

        assertThat(result.passed()).isTrue();
        assertThat(result.message()).endsWith("answered 204");
    }

    @Test
    void a500FailsNamingTheStatusAndBody() {
        receiver.answer(500, "{\"error\": \"deploy freeze in effect\"}");

        HookResult result = webhook(receiver.uri("/")).build().run(CONTEXT);

        assertThat(result.passed()).isFalse();
        assertThat(result.message()).contains("answered 500").contains("deploy freeze in effect");
    }

    @Test
    void aRedirectIsNotFollowedAndFails() {
        receiver.answer(302, "");

        HookResult result = webhook(receiver.uri("/")).build().run(CONTEXT);

        assertThat(result.passed()).isFalse();
        assertThat(result.message()).contains("answered 302");
        assertThat(receiver.calls()).hasSize(1);
    }

    @Test
    void aSlowReceiverTimesOutIntoAFailure() {
        receiver.hang();

        HookResult result = webhook(receiver.uri("/")).timeout(Duration.ofMillis(300)).build().run(CONTEXT);

        assertThat(result.passed()).isFalse();
        assertThat(result.message()).isEqualTo("webhook POST " + receiver.uri("") + " timed out after 300ms");
    }

    @Test
    void aRefusedConnectionFailsNamingTheException() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        HookResult result = webhook(URI.create("http://127.0.0.1:" + closedPort + "/x")).build().run(CONTEXT);

        assertThat(result.passed()).isFalse();
        assertThat(result.message()).startsWith("webhook POST http://127.0.0.1:" + closedPort + " failed: ConnectException");
    }

    @Test
    void theBodyDescribesTheRolloutAsJson() throws Exception {
        webhook(receiver.uri("/")).build().run(CONTEXT);

        JsonNode json = JsonMapper.builder().build().readTree(receiver.calls().get(0).bodyText());
        assertThat(json.get("rollout").asString()).isEqualTo("myapp-canary");
        assertThat(json.get("application").asString()).isEqualTo("myapp");
        assertThat(json.get("stage").asString()).isEqualTo("AFTER_TRAFFIC");
        assertThat(json.get("candidate").get("name").asString()).isEqualTo("v2.0.0");
        assertThat(json.get("candidate").get("artifact").asString()).isEqualTo("myapp:v2.0.0");
        assertThat(json.get("stableRevision").asString()).isEqualTo("v1.0.0");
        assertThat(json.get("split").get("candidateWeight").asInt()).isEqualTo(25);
        assertThat(json.get("split").get("stableWeight").asInt()).isEqualTo(75);
        assertThat(json.get("split").get("mirrorPercent").asInt()).isEqualTo(10);
        JsonNode match = json.get("split").get("headerMatches").get(0);
        assertThat(match.get("header").asString()).isEqualTo("x-canary");
        assertThat(match.get("kind").asString()).isEqualTo("EXACT");
        assertThat(match.get("value").asString()).isEqualTo("always");
        assertThat(Instant.parse(json.get("timestamp").asString())).isEqualTo(Instant.parse("2026-01-01T00:05:00Z"));
    }

    @Test
    void theWireFormatIsPinned() {
        webhook(receiver.uri("/")).build().run(CONTEXT);

        assertThat(receiver.calls().get(0).bodyText()).isEqualTo("{\"rollout\":\"myapp-canary\",\"application\":\"myapp\","
                + "\"stage\":\"AFTER_TRAFFIC\",\"candidate\":{\"name\":\"v2.0.0\",\"artifact\":\"myapp:v2.0.0\"},"
                + "\"stableRevision\":\"v1.0.0\",\"split\":{\"candidateWeight\":25,\"stableWeight\":75,\"mirrorPercent\":10,"
                + "\"headerMatches\":[{\"header\":\"x-canary\",\"kind\":\"EXACT\",\"value\":\"always\"}]},"
                + "\"timestamp\":\"2026-01-01T00:05:00Z\"}");
    }

    @Test
    void aFirstRolloutHasNoStableRevision() throws Exception {
        HookContext first = new HookContext("myapp", "myapp", HookStage.BEFORE_INSTALL,
                Revision.of("v1.0.0", "myapp:v1.0.0"), null, TrafficSplit.stableOnly(), Instant.parse("2026-01-01T00:00:00Z"));

        webhook(receiver.uri("/")).build().run(first);

        JsonNode json = JsonMapper.builder().build().readTree(receiver.calls().get(0).bodyText());
        assertThat(json.get("stableRevision").isNull()).isTrue();
        assertThat(json.get("split").get("headerMatches").isEmpty()).isTrue();
    }

    @Test
    void theSignatureIsTheHmacSha256OfTheTimestampAndTheBodySent() throws Exception {
        webhook(receiver.uri("/")).sign("shared-s3cret").build().run(CONTEXT);

        WebhookReceiver.Call call = receiver.calls().get(0);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("shared-s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        long t = CONTEXT.at().getEpochSecond();
        mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
        String expected = "t=" + t + ",sha256=" + HexFormat.of().formatHex(mac.doFinal(call.body()));
        assertThat(call.headers().getFirst("X-Cutover-Signature")).isEqualTo(expected);
    }

    @Test
    void aReceiverVerifiesTheSignatureAndRefusesAnotherSecretAnAlteredBodyOrAStaleCall() {
        webhook(receiver.uri("/")).sign("shared-s3cret").signatureHeader("X-Hub-Signature-256").build().run(CONTEXT);

        WebhookReceiver.Call call = receiver.calls().get(0);
        String signature = call.headers().getFirst("X-Hub-Signature-256");
        Duration tolerance = Duration.ofMinutes(5);
        assertThat(Hooks.verify("shared-s3cret", signature, call.body(), CONTEXT.at().plusSeconds(30), tolerance)).isTrue();
        assertThat(Hooks.verify("another-secret", signature, call.body(), CONTEXT.at(), tolerance)).isFalse();
        byte[] altered = call.bodyText().replace("v2.0.0", "v6.6.6").getBytes(StandardCharsets.UTF_8);
        assertThat(Hooks.verify("shared-s3cret", signature, altered, CONTEXT.at(), tolerance)).isFalse();
        assertThat(Hooks.verify("shared-s3cret", signature, call.body(), CONTEXT.at().plus(Duration.ofMinutes(6)), tolerance))
                .as("a call replayed six minutes later").isFalse();
        String otherTime = signature.replace("t=" + CONTEXT.at().getEpochSecond(), "t=" + (CONTEXT.at().getEpochSecond() + 60));
        assertThat(Hooks.verify("shared-s3cret", otherTime, call.body(), CONTEXT.at(), tolerance)).isFalse();
        assertThat(Hooks.verify("shared-s3cret", "sha256=00", call.body(), CONTEXT.at(), tolerance)).isFalse();
        assertThat(Hooks.verify("shared-s3cret", null, call.body(), CONTEXT.at(), tolerance)).isFalse();
        assertThat(call.headers().containsKey("X-Cutover-Signature")).isFalse();
    }

    @Test
    void unsignedHooksSendNoSignature() {
        webhook(receiver.uri("/")).build().run(CONTEXT);

        assertThat(receiver.calls().get(0).headers().containsKey("X-Cutover-Signature")).isFalse();
    }

    @Test
    void extraHeadersAreSentButSecretsNeverShown() {
        receiver.answer(401, "bad token");
        WebhookHook hook = webhook(receiver.uri("/T000/B000/path-s3cret"))
                .header("Authorization", "Bearer token-s3cret")
                .sign("signing-s3cret")
                .build();

        HookResult result = hook.run(CONTEXT);

        assertThat(receiver.calls().get(0).headers().getFirst("Authorization")).isEqualTo("Bearer token-s3cret");
        assertThat(result.message()).doesNotContain("s3cret");
        assertThat(hook.toString()).contains("Authorization").contains("X-Cutover-Signature").doesNotContain("s3cret");
        assertThat(hook.toBuilder().build().toString()).doesNotContain("s3cret");
    }

    @Test
    void aNamedWebhookIsCalledByItsName() {
        receiver.answer(500, "");

        HookResult result = webhook(receiver.uri("/")).named("deploy-bot").build().run(CONTEXT);

        assertThat(result.message()).isEqualTo("webhook deploy-bot answered 500");
    }

    @Test
    void anInterruptedCallFailsAndKeepsTheInterruptFlag() {
        WebhookHook hook = webhook(receiver.uri("/")).build();
        Thread.currentThread().interrupt();
        try {
            HookResult result = hook.run(CONTEXT);

            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(result.passed()).isFalse();
            assertThat(result.message()).endsWith("was interrupted");
        } finally {
            Thread.interrupted();
        }
    }
}
