package io.cutover.test;

import static io.cutover.test.CutoverAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Phase;
import io.cutover.sim.SimulationReport;
import io.cutover.view.RolloutTimeline;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each assertion passes where the promise holds and fails with a pinned message where it does not. */
class RolloutTimelineAssertTest {

    static final SimulationReport ABORTED = KnownReports.aborted();
    static final SimulationReport PROMOTED = KnownReports.promotedWithUnreadyCandidate();

    /** The report's moments as a live recording would have them: ready replicas, but no blast radius and no invariant checks. */
    static RolloutTimeline live(SimulationReport report) {
        RolloutTimeline t = RolloutTimeline.of("live", report);
        return new RolloutTimeline("live", t.stableRevision(), t.candidateRevision(), t.phase(), t.reason(), t.end(), t.points(),
                RolloutTimeline.ReplicaCount.READY, null, null);
    }

    /** The first line of the failure, and the marked line of its timeline excerpt. */
    static void failsWith(ThrowingCallable assertion, String headline, String marked) {
        assertThatThrownBy(assertion).isInstanceOf(AssertionError.class).satisfies(e -> {
            String[] lines = e.getMessage().split("\n");
            assertThat(lines[0]).isEqualTo(headline);
            assertThat(lines).filteredOn(l -> l.startsWith("  >> ")).containsExactly("  >> " + marked);
        });
    }

    @Test
    void aFailureShowsTheTimelineAroundTheFailingPointWithThatPointMarked() {
        assertThatThrownBy(() -> assertThat(ABORTED).detectedWithin(Duration.ofSeconds(30))).hasMessage("""
                Expected rollout "simulated rollout" to be aborted within 0:00:30 of the candidate's first traffic, but it took 0:01:00 \
                (first traffic at 0:00:10, abort at 0:01:10).
                Timeline of "simulated rollout" around 0:01:10 (8 moments):
                      0:00:00  weight   0%  stable  5  candidate  0  scale candidate to 1
                      0:00:10  weight  10%  stable  5  candidate  1  traffic stable=90% candidate=10%
                      0:00:10  weight  10%  stable  5  candidate  1  step 4: pause PT5M
                      0:01:10  weight  10%  stable  5  candidate  1  success-rate FAILED: 0.8 misses >= 0.95
                  >>  0:01:10  weight  10%  stable  5  candidate  1  abort: gate success-rate failed
                      0:01:10  weight   0%  stable  5  candidate  1  traffic stable=100% candidate=0%
                      0:01:20  weight   0%  stable  5  candidate  0  scale candidate to 0
                      0:01:20  weight   0%  stable  5  candidate  0  rolled back
                """);
    }

    @Nested
    class EndedIn {
        @Test
        void passes() {
            assertThat(ABORTED).endedIn(Phase.ABORTED);
        }

        @Test
        void failsNamingThePhaseAndTheReason() {
            failsWith(() -> assertThat(ABORTED).endedIn(Phase.SUCCEEDED),
                    "Expected rollout \"simulated rollout\" to end in SUCCEEDED, but it ended in ABORTED (gate success-rate failed).",
                    " 0:01:20  weight   0%  stable  5  candidate  0  rolled back");
        }
    }

    @Nested
    class DetectedWithin {
        @Test
        void passesAtTheLimit() {
            assertThat(ABORTED).detectedWithin(Duration.ofMinutes(1));
        }

        @Test
        void failsWhenNothingWasAborted() {
            failsWith(() -> assertThat(PROMOTED).detectedWithin(Duration.ofMinutes(2)),
                    "Expected rollout \"simulated rollout\" to be aborted within 0:02:00 of the candidate's first traffic, but it was never aborted.",
                    " 0:02:00  weight   0%  stable  2  candidate  0  succeeded");
        }
    }

    @Nested
    class RolledBackWithin {
        @Test
        void passes() {
            assertThat(ABORTED).rolledBackWithin(Duration.ofSeconds(10));
        }

        @Test
        void failsWithTheTimeItTook() {
            failsWith(() -> assertThat(ABORTED).rolledBackWithin(Duration.ofSeconds(5)),
                    "Expected rollout \"simulated rollout\" to roll back within 0:00:05, but it took 0:00:10 (abort at 0:01:10, back on stable at 0:01:20).",
                    " 0:01:20  weight   0%  stable  5  candidate  0  rolled back");
        }

        @Test
        void failsWithoutAnAbort() {
            failsWith(() -> assertThat(PROMOTED).rolledBackWithin(Duration.ofSeconds(5)),
                    "Expected rollout \"simulated rollout\" to roll back within 0:00:05, but it was never aborted.",
                    " 0:02:00  weight   0%  stable  2  candidate  0  succeeded");
        }
    }

    @Nested
    class BlastRadiusAtMost {
        @Test
        void passesAtTheLimit() {
            assertThat(ABORTED).blastRadiusAtMost(60);
        }

        @Test
        void failsAboveIt() {
            failsWith(() -> assertThat(ABORTED).blastRadiusAtMost(59),
                    "Expected rollout \"simulated rollout\" to hurt at most 59 requests, but its blast radius was 60 failed requests.",
                    " 0:01:10  weight  10%  stable  5  candidate  1  abort: gate success-rate failed");
        }

        @Test
        void failsWhenNobodyCounted() {
            assertThatThrownBy(() -> assertThat(live(ABORTED)).blastRadiusAtMost(1000)).hasMessageStartingWith(
                    "Expected rollout \"live\" to hurt at most 1000 requests, but its blast radius is unknown: only a simulation counts what users saw.\n");
        }
    }

    @Nested
    class TrafficReached {
        @Test
        void passes() {
            assertThat(PROMOTED).trafficReached(50);
        }

        @Test
        void failsWithTheHighestWeight() {
            failsWith(() -> assertThat(ABORTED).trafficReached(25),
                    "Expected rollout \"simulated rollout\" to send at least 25% of traffic to the candidate, but it reached only 10%.",
                    " 0:00:10  weight  10%  stable  5  candidate  1  traffic stable=90% candidate=10%");
        }
    }

    @Nested
    class NeverExceededWeight {
        @Test
        void passesAtTheLimitAndIgnoresPromotion() {
            assertThat(PROMOTED).neverExceededWeight(50);
        }

        @Test
        void failsAtTheFirstMomentAbove() {
            failsWith(() -> assertThat(PROMOTED).neverExceededWeight(20),
                    "Expected rollout \"simulated rollout\" never to send more than 20% of traffic to the candidate, but it sent 25% at 0:00:00.",
                    " 0:00:00  weight  25%  stable  5  candidate  1  traffic stable=75% candidate=25%");
        }
    }

    @Nested
    class NeverServedUnreadyReplicas {
        @Test
        void passes() {
            assertThat(ABORTED).neverServedUnreadyReplicas();
        }

        @Test
        void failsOnTheSimulatorsViolation() {
            assertThatThrownBy(() -> assertThat(PROMOTED).neverServedUnreadyReplicas()).hasMessageStartingWith(
                    "Expected rollout \"simulated rollout\" never to route requests to a role without ready replicas, but the simulation saw: "
                            + "2026-01-01T00:00:30Z traffic to candidate (25%) with no ready replica.\n");
        }

        @Test
        void failsOnAMomentWithTrafficAndNoReadyReplica() {
            failsWith(() -> assertThat(live(PROMOTED)).neverServedUnreadyReplicas(),
                    "Expected rollout \"live\" never to route requests to a role without ready replicas, but at 0:00:30 the candidate had 25% "
                            + "of traffic and no ready replica.",
                    " 0:00:30  weight  25%  stable  5  candidate  0  success-rate PASSED: 0.99 meets >= 0.95");
        }
    }

    @Nested
    class InvariantsHeld {
        @Test
        void passes() {
            assertThat(ABORTED).invariantsHeld();
        }

        @Test
        void failsListingEveryViolation() {
            assertThatThrownBy(() -> assertThat(PROMOTED).invariantsHeld()).hasMessageStartingWith("""
                    Expected rollout "simulated rollout" to keep every invariant, but 1 were broken:
                      2026-01-01T00:00:30Z traffic to candidate (25%) with no ready replica.
                    Timeline of "simulated rollout" around 0:02:00 (5 moments):""");
        }

        @Test
        void failsWhenNobodyChecked() {
            assertThatThrownBy(() -> assertThat(live(ABORTED)).invariantsHeld())
                    .hasMessageStartingWith("Expected rollout \"live\" to keep every invariant, but nobody checked them: only a simulation does.\n");
        }
    }

    @Test
    void assertionsChain() {
        assertThat(ABORTED).endedIn(Phase.ABORTED).detectedWithin(Duration.ofMinutes(2)).rolledBackWithin(Duration.ofMinutes(1))
                .blastRadiusAtMost(500).neverServedUnreadyReplicas().neverExceededWeight(10).trafficReached(10).invariantsHeld();
    }
}
