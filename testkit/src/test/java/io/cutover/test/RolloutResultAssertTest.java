package io.cutover.test;

import static io.cutover.test.CutoverAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutResult;
import io.cutover.spi.TrafficSplit;
import io.cutover.test.junit.CutoverExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Assertions on real results: a canary at 20% errors run by an engine on virtual time. */
class RolloutResultAssertTest {

    @RegisterExtension
    CutoverExtension cutover = CutoverExtension.of(Worlds.failing());

    RolloutResult aborted() {
        return cutover.start(Worlds.canary()).await();
    }

    @Test
    void passesOnWhatTheResultShows() {
        assertThat(aborted()).endedIn(Phase.ABORTED).endedOnStable().endedWithSplit(TrafficSplit.stableOnly())
                .hasReasonContaining("success-rate").rolledBackWithin(Duration.ofSeconds(10));
    }

    @Test
    void endedInFailsNamingThePhaseAndReasonAndShowsTheHistoryEnd() {
        assertThatThrownBy(() -> assertThat(aborted()).endedIn(Phase.SUCCEEDED)).satisfies(e -> {
            String[] lines = e.getMessage().split("\n");
            assertThat(lines[0]).matches("Expected rollout \"shop\" to end in SUCCEEDED, but it is ABORTED "
                    + "\\(gate success-rate failed: 0\\.\\d+ misses >= 0\\.95\\)\\.");
            assertThat(lines[1]).matches("History \\(\\d+ entries\\):");
            assertThat(lines[lines.length - 1]).matches("  >> 0:01:\\d\\d  rolled back: gate success-rate failed: .*");
        });
    }

    @Test
    void rolledBackWithinFailsWithTheTimeItTook() {
        assertThatThrownBy(() -> assertThat(aborted()).rolledBackWithin(Duration.ofSeconds(5)))
                .hasMessageStartingWith("Expected rollout \"shop\" to roll back within 0:00:05, but it took 0:00:10.\n");
    }

    @Test
    void splitAssertionsFailWithWhatThePlatformHolds() {
        Rollout rollout = cutover.start(Worlds.canary());
        cutover.advance(Duration.ofSeconds(30));
        assertThat(rollout).endedIn(Phase.PROGRESSING);
        assertThatThrownBy(() -> assertThat(rollout).endedOnStable())
                .hasMessageStartingWith("Expected rollout \"shop\" to leave all traffic on stable, but the platform holds stable=90% candidate=10%.\n");
        assertThatThrownBy(() -> assertThat(rollout).endedWithSplit(TrafficSplit.weighted(25)))
                .hasMessageStartingWith("Expected rollout \"shop\" to leave traffic at stable=75% candidate=25%, but the platform holds "
                        + "stable=90% candidate=10%.\n");
        assertThatThrownBy(() -> assertThat(rollout).hasReasonContaining("gate"))
                .hasMessageStartingWith("Expected rollout \"shop\" to give a reason containing \"gate\", but its reason is none.\n");
        assertThatThrownBy(() -> assertThat(rollout).rolledBackWithin(Duration.ofMinutes(1)))
                .hasMessageStartingWith("Expected rollout \"shop\" to roll back within 0:01:00, but its history shows no abort.\n");
    }
}
