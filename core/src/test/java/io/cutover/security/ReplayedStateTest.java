package io.cutover.security;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.spi.StateStore;
import io.cutover.state.FileStateStore;
import io.cutover.state.RolloutState;
import io.cutover.state.StateIntegrity;
import io.cutover.time.VirtualScheduler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding: a key does not stop someone with write access from putting back an older, validly sealed
 * state of the same rollout. Every seal covers a save counter; a state older than one already read is
 * refused as altered.
 */
class ReplayedStateTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Revision V1 = Revision.of("v1.0.0", "myapp:v1.0.0");
    private static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    @TempDir
    Path dir;
    private VirtualScheduler time;
    private SimulatedPlatform platform;

    @BeforeEach
    void platform() {
        time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        platform = SimulatedPlatform.builder(time.clock()).seed(7)
                .stable(V1, 4, Behaviour.healthy()).behaviour(V2.name(), Behaviour.healthy()).build();
    }

    private static RolloutState state(String name) {
        return RolloutState.initial(name, "myapp", V2, "0123456789abcdef", 4, "v1.0.0", Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** The file's JSON as it is now, with whatever version line the store will expect next. */
    private String json() throws IOException {
        String content = Files.readString(dir.resolve("myapp.json"));
        return content.substring(content.indexOf('\n') + 1);
    }

    /** Puts {@code json} back under the file's current version line, so the store's compare-and-set chain stays intact. */
    private void putBack(String json) throws IOException {
        Path file = dir.resolve("myapp.json");
        String content = Files.readString(file);
        Files.writeString(file, content.substring(0, content.indexOf('\n') + 1) + json);
    }

    @Test
    void anOlderSealedStatePutBackIsRefusedByAStoreThatReadANewerOne() throws IOException {
        StateStore store = new FileStateStore(dir, StateIntegrity.hmacSha256(KEY));
        RolloutState first = state("myapp");
        String v1 = store.save("myapp", first, null);
        assertThat(store.load("myapp")).isPresent();
        String old = json();
        String v2 = store.save("myapp", first.toBuilder().step(1, first.startedAt().plusSeconds(60)).build(), v1);
        assertThat(store.load("myapp").orElseThrow().state().stepIndex()).isEqualTo(1);

        putBack(old);

        assertThatThrownBy(() -> store.load("myapp")).isInstanceOf(CutoverException.class)
                .hasMessageContaining("altered").hasMessageContaining("older state of rollout myapp");
        assertThat(v2).isNotEqualTo(v1);
    }

    @Test
    void theNewestStateReadAgainAndStatesOfOtherRolloutsAreAccepted() {
        StateStore store = new FileStateStore(dir, StateIntegrity.hmacSha256(KEY));
        RolloutState a = state("myapp");
        String version = store.save("myapp", a, null);
        store.save("other", state("other"), null);
        store.save("myapp", a.toBuilder().step(1, a.startedAt()).build(), version);

        assertThat(store.load("myapp").orElseThrow().state().stepIndex()).isEqualTo(1);
        assertThat(store.load("myapp").orElseThrow().state().stepIndex()).isEqualTo(1);
        assertThat(store.load("other").orElseThrow().state().stepIndex()).isZero();
    }

    @Test
    void anAbortedRolloutPutBackAsItsPausedStateIsRefusedOnResumeWithoutPlatformCalls() throws IOException {
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withStateStore(new FileStateStore(dir))
                .stateKey(KEY).build();
        Deployment canary = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(10))
                .gate(successRate(0.95)).build();
        Rollout rollout = engine.start("myapp", canary, V2, platform.target("myapp"));
        time.runUntil(() -> rollout.status().split().canaryWeight() == 25, Duration.ofHours(1));
        assertThat(rollout.pause("looking at dashboards").await().phase()).isEqualTo(Phase.PAUSED);
        String pausedAt25 = json();
        RolloutResult aborted = rollout.abort("errors in the logs").await();
        assertThat(aborted.phase()).isEqualTo(Phase.ABORTED);
        int reads = platform.reads();
        int writes = platform.writes();

        putBack(pausedAt25);

        assertThatThrownBy(() -> engine.resume("myapp", canary, V2, platform.target("myapp")))
                .isInstanceOf(CutoverException.class).hasMessageContaining("altered")
                .hasMessageContaining("older state of rollout myapp");
        assertThat(platform.reads()).as("platform reads after the replay").isEqualTo(reads);
        assertThat(platform.writes()).as("platform writes after the replay").isEqualTo(writes);
        assertThat(platform.read().canaryWeight()).isZero();
        assertThat(platform.desiredReplicas(io.cutover.spi.Role.CANDIDATE)).isZero();
    }
}
