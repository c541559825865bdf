package io.cutover.security;

import static io.cutover.hook.Hooks.webhook;
import static io.cutover.probe.Probes.http;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.gate.Gates;
import io.cutover.gate.Measurement;
import io.cutover.hook.WebhookHook;
import io.cutover.probe.HttpHealthProbe;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Health;
import io.cutover.spi.HookContext;
import io.cutover.spi.HookResult;
import io.cutover.spi.HookStage;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import io.cutover.state.InMemoryStateStore;
import io.cutover.state.StateCodec;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Finding: "Secrets leak through echoes". A receiver or probe target that echoes the request must not
 * get a token, a basic-auth pair or a forged log line into any message, detail, event or saved state.
 */
class EchoedSecretsTest {

    private static final String TOKEN = "Bearer tok-3f9a-s3cret-77";
    private static final String BASIC = "Basic " + java.util.Base64.getEncoder().encodeToString("deployer:pa55-s3cret".getBytes());
    private static final Revision V1 = Revision.of("v1.0.0", "myapp:v1.0.0");
    private static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");
    private static final HookContext CONTEXT = new HookContext("myapp", "myapp", HookStage.BEFORE_TRAFFIC, V2, "v1.0.0",
            TrafficSplit.stableOnly(), Instant.parse("2026-01-01T00:05:00Z"));

    private HostileServer server;

    @BeforeEach
    void start() throws IOException {
        server = new HostileServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static void assertClean(String text) {
        assertThat(text).doesNotContain("s3cret").doesNotContain("tok-3f9a")
                .doesNotContain(BASIC.substring(6)).doesNotContain("\r").doesNotContain("\n");
    }

    @Test
    void anEchoingWebhookReceiverGetsNoTokenNorForgedLineIntoTheHookMessage() {
        server.echo(500);

        HookResult result = webhook(server.uri("/hook")).header("Authorization", TOKEN).header("X-Api-Key", "key-s3cret-1")
                .build().run(CONTEXT);

        assertThat(result.passed()).isFalse();
        assertThat(result.message()).contains("answered 500").contains("[redacted]");
        assertClean(result.message());
    }

    @Test
    void anEchoingProbeTargetGetsNoBasicAuthPairIntoTheHealthDetail() {
        server.echo(503);

        Health health = http(server.uri("")).header("Authorization", BASIC).build().check(V2);

        assertThat(health.detail()).contains("answered 503");
        assertClean(health.detail());
    }

    @Test
    void aRolloutAbortedByAnEchoingWebhookKeepsTokensOutOfStateEventsAndReason() {
        server.echo(403);
        InMemoryStateStore store = new InMemoryStateStore();
        List<RolloutEvent> events = new CopyOnWriteArrayList<>();
        io.cutover.time.VirtualScheduler time = new io.cutover.time.VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withStateStore(store).onEvent(events::add).build();
        try {
            SimulatedPlatform platform = SimulatedPlatform.builder(time.clock()).seed(7)
                    .stable(V1, 5, Behaviour.healthy()).behaviour(V2.name(), Behaviour.healthy()).build();
            WebhookHook hook = webhook(server.uri("/approve")).named("approvals").header("Authorization", TOKEN).build();
            Deployment canary = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(2))
                    .hook(HookStage.BEFORE_TRAFFIC, hook).build();

            RolloutResult result = engine.start("myapp", canary, V2, platform.target("myapp")).await();

            assertThat(result.phase()).isEqualTo(Phase.ABORTED);
            assertThat(result.reason()).contains("approvals answered 403");
            assertClean(result.reason());
            assertClean(StateCodec.toJson(store.load("myapp").orElseThrow().state()).replace("\\n", "\n"));
            assertThat(events).isNotEmpty().allSatisfy(e -> assertClean(e.toString()));
        } finally {
            engine.shutdown();
        }
    }

    @Test
    void aRolloutGatedOnAnEchoingProbeKeepsCredentialsOutOfMeasurementsAndState() {
        server.echo(503);
        InMemoryStateStore store = new InMemoryStateStore();
        io.cutover.time.VirtualScheduler time = new io.cutover.time.VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withStateStore(store).build();
        try {
            SimulatedPlatform platform = SimulatedPlatform.builder(time.clock()).seed(7)
                    .stable(V1, 5, Behaviour.healthy()).behaviour(V2.name(), Behaviour.healthy()).build();
            Target target = Target.builder("myapp").workloads(platform).router(platform).metrics(platform)
                    .health(http(server.uri("")).header("Authorization", BASIC).build()).build();
            Deployment canary = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(2))
                    .gate(Gates.health()).build();

            RolloutResult result = engine.start("myapp", canary, V2, target).await();

            assertThat(result.phase()).isEqualTo(Phase.ABORTED);
            assertThat(result.measurements()).isNotEmpty().extracting(Measurement::detail).allSatisfy(EchoedSecretsTest::assertClean);
            assertClean(result.reason());
            assertClean(StateCodec.toJson(store.load("myapp").orElseThrow().state()).replace("\\n", "\n"));
        } finally {
            engine.shutdown();
        }
    }

    @Test
    void credentialsOverPlainHttpToAnotherHostAreRefusedUnlessAllowed() {
        URI remote = URI.create("http://deploy-bot.example.com/hook");

        assertThatThrownBy(() -> webhook(remote).header("Authorization", TOKEN).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[Authorization]").hasMessageContaining("plain http").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> http(URI.create("http://myapp.internal:8080")).header("X-Api-Key", "key-s3cret-1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[X-Api-Key]");

        assertThat(webhook(remote).header("Authorization", TOKEN).allowPlainHttp().build().headerNames()).contains("Authorization");
        assertThat(webhook(URI.create("https://deploy-bot.example.com/hook")).header("Authorization", TOKEN).build()).isNotNull();
        assertThat(webhook(remote).header("X-Request-Source", "cutover").build()).as("no credential, no refusal").isNotNull();
        HttpHealthProbe perRevision = http(URI.create("https://myapp.internal")).header("Authorization", TOKEN)
                .address(r -> URI.create("http://myapp-" + r.name() + ".internal")).build();
        assertThat(perRevision.check(V2).detail()).contains("plain http").doesNotContain("s3cret");
    }
}
