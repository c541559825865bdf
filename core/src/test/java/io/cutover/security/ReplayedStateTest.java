package io.cutover.security;

import static io.cutover.security.SealedStates.KEY;
import static io.cutover.security.SealedStates.V2;
import static io.cutover.security.SealedStates.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.StateStore;
import io.cutover.state.FileStateStore;
import io.cutover.state.RolloutState;
import io.cutover.state.StateIntegrity;
import io.cutover.time.VirtualScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding: a key does not stop someone with write access from putting back an older, validly sealed
 * state of the same rollout. Every seal covers a save counter; a state older than one already read is
 * refused as altered.
 */
class ReplayedStateTest {

    @TempDir
    Path dir;
    private VirtualScheduler time;
    private SimulatedPlatform platform;

    @BeforeEach
    void platform() {
        time = new VirtualScheduler(SealedStates.T0);
        platform = SealedStates.platform(time);
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
    void aRunStartedAgainByAnotherEngineAfterTheStateWasDeletedIsNotTakenForAReplay() throws IOException {
        StateStore engineA = new FileStateStore(dir, StateIntegrity.hmacSha256(KEY));
        RolloutState firstRun = state("myapp");
        String version = engineA.save("myapp", firstRun, null);
        engineA.save("myapp", firstRun.toBuilder().step(1, firstRun.startedAt()).build(), version);
        engineA.load("myapp");
        String firstRunJson = json();
        Files.delete(dir.resolve("myapp.json"));

        StateStore engineB = new FileStateStore(dir, StateIntegrity.hmacSha256(KEY));
        RolloutState secondRun = RolloutState.initial("myapp", "myapp", V2, "0123456789abcdef", 4, "v1.0.0",
                firstRun.startedAt().plus(Duration.ofHours(1)));
        engineB.save("myapp", secondRun, null);

        assertThat(engineA.load("myapp").orElseThrow().state().startedAt()).isEqualTo(secondRun.startedAt());
        putBack(firstRunJson);
        assertThatThrownBy(() -> engineA.load("myapp")).hasMessageContaining("older state of rollout myapp");
    }

    @Test
    void anAbortedRolloutPutBackAsItsPausedStateIsRefusedOnResumeWithoutPlatformCalls() throws IOException {
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withStateStore(new FileStateStore(dir))
                .stateKey(KEY).build();
        Deployment canary = SealedStates.canary();
        Rollout rollout = engine.start("myapp", canary, V2, platform.target("myapp"));
        time.runUntil(() -> rollout.status().split().candidateWeight() == 25, Duration.ofHours(1));
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
        assertThat(platform.read().candidateWeight()).isZero();
        assertThat(platform.desiredReplicas(io.cutover.spi.Role.CANDIDATE)).isZero();
    }
}
