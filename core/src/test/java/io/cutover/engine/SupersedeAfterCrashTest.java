package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.event.RolloutEvent;
import io.cutover.sim.SimulatedCrash;
import io.cutover.spi.Role;
import io.cutover.state.RolloutState;
import io.cutover.state.StateCodec;
import io.cutover.state.StateIntegrity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An update's intent is saved with its abort: an engine that dies between the request and its effect
 * (or at any write after it) leaves a state from which a fresh engine's {@code resume} ends the
 * rollback and starts the revision that superseded it.
 */
class SupersedeAfterCrashTest {

    @Test
    void theIntentIsSavedWithTheAbortInOneTransitionAndTheReasonSaysWhoSupersededIt() {
        RolloutState saved = requested(SupersedeTest.at20Percent(), SupersedeTest.V3);
        assertThat(saved.supersededBy()).isEqualTo(SupersedeTest.V3);
        assertThat(saved.reason()).isEqualTo("superseded by revision v3: candidate v2 retired").doesNotContain("by a person");
    }

    @Test
    void aCrashRightAfterTheRequestIsResumedByAFreshEngineWhichRetiresTheCandidateAndStartsTheNewRevision() {
        World w = SupersedeTest.at20Percent();
        w.engine.update("app", SupersedeTest.CANARY, SupersedeTest.V3, w.platform.target("app"));
        w.engine.shutdown(); // dies before the platform saw anything of the update
        assertThat(w.platform.read().candidateWeight()).isEqualTo(20);

        List<RolloutEvent> events = new ArrayList<>();
        RolloutEngine fresh = RolloutEngine.builder().withScheduler(w.time).withStateStore(w.store).onEvent(events::add).build();
        var old = fresh.resume("app", SupersedeTest.CANARY, w.platform.target("app"));
        assertThat(old.await().phase()).isEqualTo(Phase.ABORTED);
        w.time.runUntil(() -> succeededOnV3(fresh), Duration.ofHours(2));

        assertThat(succeededOnV3(fresh)).isTrue();
        assertThat(w.platform.stableRevision()).isEqualTo("v3");
        assertThat(w.platform.violations()).isEmpty();
        assertThat(events).filteredOn(RolloutEvent.RolledBack.class::isInstance).map(e -> ((RolloutEvent.RolledBack) e).reason())
                .containsExactly("superseded by revision v3: candidate v2 retired");
    }

    @Test
    void aCrashAtEveryWriteFromTheUpdateToTheNewRevisionsFirstTrafficEndsWithTheNewRevisionStable() {
        int writes = writesUntilV3Traffic();
        assertThat(writes).isGreaterThan(3);
        for (int k = 1; k <= writes; k++) {
            World w = SupersedeTest.at20Percent();
            w.platform.crashAfterWrite(w.platform.writes() + k);
            boolean crashed = false;
            try {
                var update = w.engine.update("app", SupersedeTest.CANARY, SupersedeTest.V3, w.platform.target("app"));
                w.time.runUntil(() -> update.isDone() && w.platform.read().candidateWeight() > 0, Duration.ofHours(1));
                update.join(); // a crash inside the new revision's start ends the update's future
            } catch (SimulatedCrash e) {
                crashed = true;
            } catch (java.util.concurrent.CompletionException e) {
                crashed = e.getCause() instanceof SimulatedCrash;
            }
            assertThat(crashed).as("crashed at write %d after the update: %s %s", k, w.platform.log(), w.engine.status("app")).isTrue();
            w.engine.shutdown();

            RolloutEngine fresh = RolloutEngine.builder().withScheduler(w.time).withStateStore(w.store).build();
            fresh.resume("app", SupersedeTest.CANARY, w.platform.target("app"));
            w.time.runUntil(() -> succeededOnV3(fresh), Duration.ofHours(2));

            assertThat(succeededOnV3(fresh)).as("v3 stable after a crash at write %d: %s", k, fresh.status("app")).isTrue();
            assertThat(w.platform.stableRevision()).isEqualTo("v3");
            assertThat(w.platform.desiredReplicas(Role.STABLE)).isEqualTo(4);
            assertThat(w.platform.read().isStableOnly()).isTrue();
            assertThat(w.platform.violations()).as("crash at write %d", k).isEmpty();
        }
    }

    @Test
    void aFastRollbackRequestedThenACrashIsResumedAsAFastRollbackThatSaysSoAndStartsNothing() {
        World w = SupersedeTest.at20Percent();
        assertThat(requested(w, World.V1).supersededBy()).as("stable is not started again").isNull();
        w.engine.shutdown();

        List<RolloutEvent> events = new ArrayList<>();
        RolloutEngine fresh = RolloutEngine.builder().withScheduler(w.time).withStateStore(w.store).onEvent(events::add).build();
        var result = fresh.resume("app", SupersedeTest.CANARY, w.platform.target("app")).await();
        w.time.advance(Duration.ofMinutes(30));

        String reason = "fast rollback: stable revision v1 re-applied; candidate v2 retired without analysis";
        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).isEqualTo(reason);
        assertThat(events).filteredOn(RolloutEvent.RolledBack.class::isInstance).map(e -> ((RolloutEvent.RolledBack) e).reason())
                .containsExactly(reason);
        assertThat(events).noneMatch(RolloutEvent.MeasurementTaken.class::isInstance);
        assertThat(fresh.status("app").orElseThrow().candidate()).isEqualTo(World.V2);
        assertThat(w.platform.read().isStableOnly()).isTrue();
        assertThat(w.platform.desiredReplicas(Role.CANDIDATE)).isZero();
        assertThat(w.platform.stableRevision()).isEqualTo("v1");
    }

    @Test
    void aSealedStateCarriesTheIntentAndAnAlteredOneIsRefused() {
        RolloutState saved = requested(SupersedeTest.at20Percent(), SupersedeTest.V3);
        StateIntegrity key = StateIntegrity.hmacSha256("k".repeat(32).getBytes(StandardCharsets.UTF_8));

        String sealed = StateCodec.toJson(saved, key);
        assertThat(StateCodec.fromJson(sealed, "test", key).supersededBy()).isEqualTo(SupersedeTest.V3);
        String forged = sealed.replace("\"artifact\":\"app:v3\"", "\"artifact\":\"evil:latest\"");
        assertThat(forged).isNotEqualTo(sealed);
        assertThatThrownBy(() -> StateCodec.fromJson(forged, "test", key)).hasMessageContaining("was altered");
        String badArtifact = StateCodec.toJson(saved).replace("\"artifact\":\"app:v3\"", "\"artifact\":\"app:v3\\r\\nX: y\"");
        assertThatThrownBy(() -> StateCodec.fromJson(badArtifact, "test")).hasMessageContaining("supersededBy");
    }

    /** Updates the rollout to {@code revision} and returns what the request saved, before any platform write. */
    private static RolloutState requested(World w, io.cutover.spi.Revision revision) {
        int writes = w.platform.writes();
        w.engine.update("app", SupersedeTest.CANARY, revision, w.platform.target("app"));
        RolloutState saved = w.engine.status("app").orElseThrow();
        assertThat(saved.phase()).isEqualTo(Phase.ABORTING);
        assertThat(w.platform.writes()).isEqualTo(writes);
        return saved;
    }

    private static int writesUntilV3Traffic() {
        World w = SupersedeTest.at20Percent();
        int before = w.platform.writes();
        var update = w.engine.update("app", SupersedeTest.CANARY, SupersedeTest.V3, w.platform.target("app"));
        w.time.runUntil(() -> update.isDone() && w.platform.read().candidateWeight() > 0, Duration.ofHours(1));
        return w.platform.writes() - before;
    }

    private static boolean succeededOnV3(RolloutEngine engine) {
        return engine.status("app").map(s -> s.candidate().equals(SupersedeTest.V3) && s.phase() == Phase.SUCCEEDED).orElse(false);
    }
}
