package io.cutover.probe;

import static io.cutover.probe.Probes.http;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.gate.Gates;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.time.VirtualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A canary gated on the HTTP probe of a real server, on a simulated platform and virtual time. */
class ProbedRolloutTest {

    private static final Revision V1 = Revision.of("v1.0.0", "myapp:v1.0.0");
    private static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    private FlaskLikeService service;
    private VirtualScheduler time;
    private RolloutEngine engine;
    private SimulatedPlatform platform;

    @BeforeEach
    void start() throws IOException {
        service = new FlaskLikeService();
        time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        engine = RolloutEngine.builder().withScheduler(time).build();
        platform = SimulatedPlatform.builder(time.clock()).seed(7)
                .stable(V1, 5, Behaviour.healthy()).behaviour(V2.name(), Behaviour.healthy()).build();
    }

    @AfterEach
    void stop() {
        engine.shutdown();
        service.close();
    }

    private RolloutResult canaryGatedOnHealth() {
        Target target = Target.builder("myapp").workloads(platform).router(platform).metrics(platform)
                .health(http(service.uri()).build()).build();
        Deployment canary = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(2))
                .gate(Gates.health()).build();
        return engine.start("myapp", canary, V2, target).await();
    }

    @Test
    void aReadyCandidateIsPromoted() {
        RolloutResult result = canaryGatedOnHealth();

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(platform.stableRevision()).isEqualTo("v2.0.0");
        assertThat(service.seen()).extracting(FlaskLikeService.Seen::path).contains("/ready");
    }

    @Test
    void aCandidateWhoseDatabaseIsDownIsRolledBackWithWhatTheProbeSaw() {
        service.databaseDown("could not connect to server");

        RolloutResult result = canaryGatedOnHealth();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).startsWith("gate health failed: live but not ready: GET " + service.uri() + "/ready answered 503")
                .contains("could not connect to server");
        assertThat(platform.stableRevision()).isEqualTo("v1.0.0");
    }
}
