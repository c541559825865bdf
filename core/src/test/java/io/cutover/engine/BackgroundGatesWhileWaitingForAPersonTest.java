package io.cutover.engine;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutResult;
import io.cutover.event.RolloutEvent;
import io.cutover.gate.GatePolicy;
import io.cutover.gate.Verdict;
import io.cutover.sim.Behaviour;
import io.cutover.spi.RouterCapability;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Background gates run through every pause, including one that waits for a person to promote. */
class BackgroundGatesWhileWaitingForAPersonTest {

    static final GatePolicy EVERY_MINUTE = GatePolicy.builder().interval(Duration.ofMinutes(1)).count(2).build();

    static Deployment holdingAt20(boolean pauseBetween, GatePolicy policy) {
        var b = Deployment.canary().steps(20, 60).pauseUntilPromotedAt(20).gate(successRate(0.95)).analysis(policy);
        return (pauseBetween ? b.pauseBetween(Duration.ofMinutes(2)) : b).build();
    }

    @Test
    void whileWaitingForAPersonTheGatesKeepMeasuringAndTheRolloutStaysPaused() {
        for (boolean pauseBetween : new boolean[] {true, false}) {
            World w = World.weighted(4);
            Rollout r = w.start(holdingAt20(pauseBetween, EVERY_MINUTE));
            w.time.runUntil(() -> r.phase() == Phase.PAUSED, Duration.ofHours(1));
            assertThat(r.phase()).isEqualTo(Phase.PAUSED);
            Instant held = w.time.now();
            int before = w.events(RolloutEvent.MeasurementTaken.class).size();

            w.time.advance(Duration.ofMinutes(30));

            long during = w.events(RolloutEvent.MeasurementTaken.class).stream().filter(m -> m.at().isAfter(held)).count();
            assertThat(during).as("rounds while waiting (pauseBetween %s)", pauseBetween).isGreaterThanOrEqualTo(29);
            assertThat(w.events(RolloutEvent.MeasurementTaken.class).size()).isGreaterThan(before);
            assertThat(r.phase()).isEqualTo(Phase.PAUSED);
            assertThat(w.platform.read().candidateWeight()).isEqualTo(20);
            r.promote();
            assertThat(r.await().phase()).isEqualTo(Phase.SUCCEEDED);
        }
    }

    @Test
    void aCandidateThatStartsFailingWhileWaitingForAPersonIsRolledBackWithoutOne() {
        for (boolean pauseBetween : new boolean[] {true, false}) {
            World w = new World(4, Behaviour.healthy().withErrorRate(0.4), RouterCapability.WEIGHTED);
            // the first verdicts are forgiven so the rollout reaches its hold; the hold's own rounds must then abort it
            Rollout r = w.start(holdingAt20(pauseBetween, EVERY_MINUTE.toBuilder().failureLimit(3).build()));
            w.time.runUntil(() -> r.phase().isTerminal(), Duration.ofHours(2));
            RolloutResult result = r.await();

            assertThat(result.phase()).as("pauseBetween %s: %s", pauseBetween, result.reason()).isEqualTo(Phase.ABORTED);
            assertThat(result.reason()).contains("success-rate");
            Instant paused = w.events(RolloutEvent.Paused.class).stream()
                    .filter(p -> p.reason().startsWith("waiting for a person")).findFirst().orElseThrow().at();
            assertThat(w.events(RolloutEvent.MeasurementTaken.class)).as("a failing round taken while waiting")
                    .anyMatch(m -> m.at().isAfter(paused) && m.measurement().verdict() == Verdict.FAILED);
            assertThat(w.platform.read().isStableOnly()).isTrue();
        }
    }
}
