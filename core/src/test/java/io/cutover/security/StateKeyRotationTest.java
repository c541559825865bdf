package io.cutover.security;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.state.FileStateStore;
import io.cutover.state.StateIntegrity;
import io.cutover.time.VirtualScheduler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotating the state key: seal with the current key, open with the current or a previous one. */
class StateKeyRotationTest {

    private static final byte[] OLD = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEW = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
    private static final Revision V1 = Revision.of("v1.0.0", "myapp:v1.0.0");
    private static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    @TempDir
    Path dir;

    @Test
    void aRolloutSealedWithTheOldKeyResumesUnderTheNewOneAndIsThenSealedWithTheNewKeyOnly() {
        VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        SimulatedPlatform platform = SimulatedPlatform.builder(time.clock()).seed(7)
                .stable(V1, 4, Behaviour.healthy()).behaviour(V2.name(), Behaviour.healthy()).build();
        Deployment canary = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(10)).gate(successRate(0.95)).build();
        RolloutEngine before = RolloutEngine.builder().withScheduler(time).withStateStore(new FileStateStore(dir)).stateKey(OLD).build();
        Rollout rollout = before.start("myapp", canary, V2, platform.target("myapp"));
        time.runUntil(() -> rollout.status().split().canaryWeight() == 25, Duration.ofHours(1));
        assertThat(rollout.pause("key rotation").await().phase()).isEqualTo(Phase.PAUSED);
        before.shutdown();

        RolloutEngine after = RolloutEngine.builder().withScheduler(time).withStateStore(new FileStateStore(dir))
                .stateKeys(NEW, OLD).build();
        RolloutResult result = after.resume("myapp", canary, V2, platform.target("myapp")).resume().await();

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(platform.stableRevision()).isEqualTo("v2.0.0");
        assertThat(new FileStateStore(dir, StateIntegrity.hmacSha256(NEW)).load("myapp").orElseThrow().state().phase())
                .isEqualTo(Phase.SUCCEEDED);
        assertThatThrownBy(() -> new FileStateStore(dir, StateIntegrity.hmacSha256(OLD)).load("myapp"))
                .hasMessageContaining("altered");
    }

    @Test
    void aStateSealedWithAKeyNotInTheRotationIsRefused() {
        byte[] third = "a third key that nobody rotated!".getBytes(StandardCharsets.US_ASCII);
        new FileStateStore(dir, StateIntegrity.hmacSha256(third)).save("myapp",
                io.cutover.state.RolloutState.initial("myapp", "myapp", V2, "0123456789abcdef", 4, "v1.0.0", Instant.EPOCH), null);

        assertThatThrownBy(() -> new FileStateStore(dir, StateIntegrity.hmacSha256(NEW, OLD)).load("myapp"))
                .hasMessageContaining("altered").hasMessageContaining("seal does not match");
    }

    @Test
    void aShortPreviousKeyIsRefusedNamingWhichOne() {
        assertThatThrownBy(() -> RolloutEngine.builder().stateKeys(NEW, OLD, new byte[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("previous state key 2 must be at least 32 bytes, got 16");
    }
}
