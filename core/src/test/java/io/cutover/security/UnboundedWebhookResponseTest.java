package io.cutover.security;

import static io.cutover.hook.Hooks.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.internal.CappedBody;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.HookContext;
import io.cutover.spi.HookResult;
import io.cutover.spi.HookStage;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import io.cutover.time.VirtualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Finding: "An unbounded webhook response kills the engine". A receiver answering 500 with a 4 GiB
 * body: the hook reads at most its cap, hangs up, and the engine goes on to roll back.
 */
class UnboundedWebhookResponseTest {

    private static final long FOUR_GIB = 4L << 30;
    private static final Revision V1 = Revision.of("v1.0.0", "myapp:v1.0.0");
    private static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    private HostileServer server;

    @BeforeEach
    void start() throws IOException {
        server = new HostileServer().stream(500, FOUR_GIB);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aHugeAnswerIsReadOnlyUpToTheCapAndTheConnectionIsDropped() {
        HookContext context = new HookContext("myapp", "myapp", HookStage.AFTER_TRAFFIC, V2, "v1.0.0",
                TrafficSplit.stableOnly(), Instant.parse("2026-01-01T00:00:00Z"));

        HookResult result = webhook(server.uri("/hook")).timeout(Duration.ofSeconds(20)).build().run(context);

        assertThat(result.passed()).isFalse();
        assertThat(result.message()).contains("answered 500").hasSizeLessThan(400);
        // Socket buffers hold a few MiB at most: the rest of the 4 GiB was never sent.
        assertThat(server.bytesSent()).isGreaterThanOrEqualTo(CappedBody.DEFAULT_CAP).isLessThan(64L << 20);
    }

    @Test
    void theEngineRollsBackAfterAHugeAnswerWhileTrafficIsSplit() {
        VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).build();
        try {
            SimulatedPlatform platform = SimulatedPlatform.builder(time.clock()).seed(7)
                    .stable(V1, 5, Behaviour.healthy()).behaviour(V2.name(), Behaviour.healthy()).build();
            Deployment canary = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(2))
                    .hook(HookStage.AFTER_TRAFFIC, webhook(server.uri("/notify")).named("notify").build()).build();

            RolloutResult result = engine.start("myapp", canary, V2, platform.target("myapp")).await();

            assertThat(result.phase()).isEqualTo(Phase.ABORTED);
            assertThat(result.reason()).contains("notify answered 500").hasSizeLessThan(600);
            assertThat(platform.stableRevision()).isEqualTo("v1.0.0");
            assertThat(result.split().candidateWeight()).isZero();
        } finally {
            engine.shutdown();
        }
    }
}
