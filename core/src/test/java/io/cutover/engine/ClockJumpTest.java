package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.fault.JumpingClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Timed pauses are measured on the scheduler: a wall clock that jumps neither ends them early nor stretches them. */
class ClockJumpTest {

    static final Deployment HALF_HOUR = Deployment.canary().steps(50).pauseBetween(Duration.ofMinutes(30)).build();

    Instant endOfPause(Duration jumpAfterFiveMinutes) {
        Fixture f = Fixture.healthy();
        JumpingClock clock = new JumpingClock(f.time.clock());
        f.engine = RolloutEngine.builder().withScheduler(f.time).withClock(clock).withStateStore(f.store).build();
        Rollout r = f.start(HALF_HOUR);
        f.time.runUntil(() -> r.status().split().candidateWeight() == 50, Duration.ofHours(1));
        Instant pauseStarted = f.time.now();
        f.time.advance(Duration.ofMinutes(5));
        clock.jump(jumpAfterFiveMinutes);
        f.time.runUntil(() -> r.status().phase().isTerminal(), Duration.ofDays(3));
        assertThat(r.await().phase()).isEqualTo(Phase.SUCCEEDED);
        return f.time.now().minus(Duration.between(Instant.EPOCH, pauseStarted).toNanos(), java.time.temporal.ChronoUnit.NANOS);
    }

    @Test
    void aClockJumpingForwardADayDoesNotEndATimedPauseEarly() {
        Duration took = Duration.between(Instant.EPOCH, endOfPause(Duration.ofDays(1)));
        assertThat(took).isBetween(Duration.ofMinutes(30), Duration.ofMinutes(32));
    }

    @Test
    void aClockJumpingBackTwoHoursDoesNotStretchATimedPause() {
        Duration took = Duration.between(Instant.EPOCH, endOfPause(Duration.ofHours(-2)));
        assertThat(took).isBetween(Duration.ofMinutes(30), Duration.ofMinutes(32));
    }
}
