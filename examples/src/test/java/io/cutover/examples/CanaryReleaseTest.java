package io.cutover.examples;

import static io.cutover.gate.Gates.latency;
import static io.cutover.gate.Gates.successRate;
import static io.cutover.test.CutoverAssertions.assertThat;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.sim.Behaviour;
import io.cutover.sim.Scenario;
import io.cutover.sim.Simulation;
import io.cutover.spi.Revision;
import io.cutover.test.junit.CutoverExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Release logic tested like code, as a team would write it with the testkit: our canary (10/25/50/75, 5-minute
 * pauses, gated on success rate and p99 latency) promotes a good build and stops a bad one fast.
 */
class CanaryReleaseTest {

    static final Revision V1 = Revision.of("v1.0.0", "myapp:v1.0.0");
    static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    static final Deployment CANARY = Deployment.canary()
            .steps(10, 25, 50, 75)
            .pauseBetween(ofMinutes(5))
            .gate(successRate(0.95), latency(0.99, ofMillis(500)))
            .build();

    static Scenario candidate(Behaviour behaviour) {
        return Scenario.builder().application("myapp").stable(V1, 5, Behaviour.healthy()).candidate(V2, behaviour)
                .requestsPerSecond(200).seed(42).build();
    }

    @Test
    void aHealthyBuildIsPromotedThroughEveryStep() {
        assertThat(Simulation.run(CANARY, candidate(Behaviour.healthy())))
                .endedIn(Phase.SUCCEEDED)
                .trafficReached(75)
                .blastRadiusAtMost(0)
                .neverServedUnreadyReplicas()
                .invariantsHeld();
    }

    @Test
    void aBuildFailingOneRequestInFiveIsRolledBackWithinTwoMinutesHurtingFewerThanFiveHundredRequests() {
        assertThat(Simulation.run(CANARY, candidate(Behaviour.healthy().withErrorRate(0.20))))
                .endedIn(Phase.ABORTED)
                .detectedWithin(ofMinutes(2))
                .rolledBackWithin(ofMinutes(2))
                .blastRadiusAtMost(499)
                .neverExceededWeight(10)
                .invariantsHeld();
    }

    /** The same promise on a live engine: the extension gives it virtual time and draws the timeline if it fails. */
    @Nested
    class ALatencyRegression {

        @RegisterExtension
        CutoverExtension cutover = CutoverExtension.of(candidate(Behaviour.healthy().withLatency(ofMillis(300), ofMillis(900))));

        @Test
        void isCaughtAtTheFirstStep() {
            Rollout rollout = cutover.start(CANARY);
            assertThat(rollout.await()).endedIn(Phase.ABORTED).hasReasonContaining("latency").endedOnStable();
            assertThat(cutover.timeline(rollout))
                    .detectedWithin(ofMinutes(2))
                    .rolledBackWithin(ofMinutes(1))
                    .neverExceededWeight(10)
                    .neverServedUnreadyReplicas();
        }
    }
}
