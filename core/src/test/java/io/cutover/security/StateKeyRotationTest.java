package io.cutover.security;

import static io.cutover.security.SealedStates.V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.state.FileStateStore;
import io.cutover.state.StateIntegrity;
import io.cutover.time.VirtualScheduler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotating the state key: seal with the current key, open with the current or a previous one. */
class StateKeyRotationTest {

    private static final byte[] OLD = SealedStates.KEY;
    private static final byte[] NEW = SealedStates.OTHER_KEY;

    @TempDir
    Path dir;

    @Test
    void aRolloutSealedWithTheOldKeyResumesUnderTheNewOneAndIsThenSealedWithTheNewKeyOnly() {
        VirtualScheduler time = new VirtualScheduler(SealedStates.T0);
        SimulatedPlatform platform = SealedStates.platform(time);
        Deployment canary = SealedStates.canary();
        RolloutEngine before = RolloutEngine.builder().withScheduler(time).withStateStore(new FileStateStore(dir)).stateKey(OLD).build();
        Rollout rollout = before.start("myapp", canary, V2, platform.target("myapp"));
        time.runUntil(() -> rollout.status().split().candidateWeight() == 25, Duration.ofHours(1));
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
                SealedStates.state("myapp"), null);

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
