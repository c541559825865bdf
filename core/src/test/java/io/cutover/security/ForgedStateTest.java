package io.cutover.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.StateStore;
import io.cutover.state.FileStateStore;
import io.cutover.state.StateIntegrity;
import io.cutover.time.VirtualScheduler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finding: "The saved state is trusted blindly". Someone who can write the state directory edits a
 * paused rollout's state; the next engine must refuse it, say it was altered, and touch nothing.
 */
class ForgedStateTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] KEY = SealedStates.KEY;
    private static final Revision V2 = SealedStates.V2;

    @TempDir
    Path dir;
    private VirtualScheduler time;
    private SimulatedPlatform platform;

    @BeforeEach
    void platform() {
        time = new VirtualScheduler(SealedStates.T0);
        platform = SealedStates.platform(time);
    }

    private static Deployment canary() {
        return SealedStates.canary();
    }

    private RolloutEngine engine(byte[] key) {
        RolloutEngine.Builder b = RolloutEngine.builder().withScheduler(time).withStateStore(new FileStateStore(dir));
        return (key == null ? b : b.stateKey(key)).build();
    }

    /** Runs to 25%, where a person pauses, with an engine holding {@code key}, then stops that engine. */
    private void pausedAt25(byte[] key) {
        RolloutEngine first = engine(key);
        Rollout rollout = first.start("myapp", canary(), V2, platform.target("myapp"));
        time.runUntil(() -> rollout.status().split().candidateWeight() == 25, Duration.ofHours(1));
        RolloutResult paused = rollout.pause("looking at dashboards").await();
        assertThat(paused.phase()).isEqualTo(Phase.PAUSED);
        assertThat(paused.split().candidateWeight()).isEqualTo(25);
        first.shutdown();
    }

    private void edit(Consumer<ObjectNode> change) throws IOException {
        Path file = dir.resolve("myapp.json");
        String content = Files.readString(file);
        int newline = content.indexOf('\n');
        ObjectNode state = (ObjectNode) JSON.readTree(content.substring(newline + 1));
        change.accept(state);
        Files.writeString(file, content.substring(0, newline + 1) + JSON.writeValueAsString(state));
    }

    private void assertRefusedWithoutPlatformCalls(Runnable resume, Class<? extends RuntimeException> type) {
        int reads = platform.reads();
        int writes = platform.writes();
        assertThatThrownBy(resume::run).isInstanceOf(type).hasMessageContaining("altered");
        assertThat(platform.reads()).as("platform reads after the refusal").isEqualTo(reads);
        assertThat(platform.writes()).as("platform writes after the refusal").isEqualTo(writes);
        assertThat(platform.read().candidateWeight()).isEqualTo(25);
        assertThat(platform.stableRevision()).isEqualTo("v1.0.0");
    }

    @Test
    void anEditedCandidateImageIsRefusedOnResumeEvenWithoutAKey() throws IOException {
        pausedAt25(null);
        edit(s -> ((ObjectNode) s.get("candidate")).put("artifact", "attacker.example/miner:latest"));

        RolloutEngine second = engine(null);
        assertRefusedWithoutPlatformCalls(() -> second.resume("myapp", canary(), V2, platform.target("myapp")),
                IllegalStateException.class);
    }

    @Test
    void anEditedApplicationIsRefusedOnResumeEvenWithoutAKey() throws IOException {
        pausedAt25(null);
        edit(s -> s.put("application", "payments"));

        RolloutEngine second = engine(null);
        assertRefusedWithoutPlatformCalls(() -> second.resume("myapp", canary(), platform.target("myapp")),
                IllegalStateException.class);
    }

    @Test
    void aFullPromotionWrittenIntoASealedStateIsRefusedAndNothingShips() throws IOException {
        pausedAt25(KEY);
        edit(s -> s.put("fullPromotion", true).put("stepIndex", 0));

        RolloutEngine second = engine(KEY);
        assertRefusedWithoutPlatformCalls(() -> second.resume("myapp", canary(), V2, platform.target("myapp")),
                CutoverException.class);
    }

    @Test
    void stableReplicasOf2000WrittenIntoASealedStateAreRefused() throws IOException {
        pausedAt25(KEY);
        edit(s -> s.put("stableReplicas", 2000));

        RolloutEngine second = engine(KEY);
        assertRefusedWithoutPlatformCalls(() -> second.resume("myapp", canary(), V2, platform.target("myapp")),
                CutoverException.class);
        assertThat(platform.desiredReplicas(Role.STABLE)).isEqualTo(4);
    }

    @Test
    void aSealRemovedOrMadeWithAnotherKeyIsRefused() throws IOException {
        pausedAt25(KEY);
        edit(s -> s.remove("seal"));
        RolloutEngine second = engine(KEY);
        assertRefusedWithoutPlatformCalls(() -> second.resume("myapp", canary(), V2, platform.target("myapp")),
                CutoverException.class);

        byte[] otherKey = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
        StateStore other = new FileStateStore(dir, StateIntegrity.hmacSha256(otherKey));
        assertThatThrownBy(() -> other.load("myapp")).hasMessageContaining("altered");
    }

    @Test
    void anAlteredStateStopsANewStartBeforeAnyPlatformCall() throws IOException {
        pausedAt25(KEY);
        edit(s -> s.put("phase", "SUCCEEDED"));

        RolloutEngine second = engine(KEY);
        assertRefusedWithoutPlatformCalls(() -> second.start("myapp", canary(), Revision.of("v3.0.0", "evil:v3"),
                platform.target("myapp")), CutoverException.class);
    }

    @Test
    void aStateStepIndexOfAMillionOrNegativeReplicasIsRefusedWithoutAKey() throws IOException {
        pausedAt25(null);
        edit(s -> s.put("stepIndex", 1_000_000));
        RolloutEngine second = engine(null);
        assertRefusedWithoutPlatformCalls(() -> second.resume("myapp", canary(), platform.target("myapp")),
                CutoverException.class);

        edit(s -> s.put("stepIndex", 1).put("stableReplicas", -3));
        assertRefusedWithoutPlatformCalls(() -> second.resume("myapp", canary(), platform.target("myapp")),
                CutoverException.class);
    }

    @Test
    void aSealedStateResumesAndFinishesWithTheKey() {
        pausedAt25(KEY);

        RolloutEngine second = engine(KEY);
        RolloutResult result = second.resume("myapp", canary(), V2, platform.target("myapp")).resume().await();

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(platform.stableRevision()).isEqualTo("v2.0.0");
        assertThat(new FileStateStore(dir).integrityProtected()).isFalse();
        assertThat(new FileStateStore(dir, StateIntegrity.hmacSha256(KEY)).integrityProtected()).isTrue();
    }
}
