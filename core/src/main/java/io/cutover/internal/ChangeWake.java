package io.cutover.internal;

import io.cutover.spi.ChangeSignal;
import io.cutover.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's "wait until changed, or at most this long": while a rollout waits for the platform, the
 * first change its target signals schedules a look at once on the engine's scheduler (on virtual time
 * too: the look runs when the test runs the scheduler's due tasks). The poll already scheduled stays
 * as the fallback; the look it brings forward is ignored by the runner when the rollout moved on.
 */
final class ChangeWake {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeWake.class);

    private final ChangeSignal signal;
    private final Scheduler scheduler;
    private ChangeSignal.Subscription current;

    ChangeWake(ChangeSignal signal, Scheduler scheduler) {
        this.signal = signal;
        this.scheduler = scheduler;
    }

    /** Until the next {@code arm} or {@link #disarm}, the first change runs {@code look} on the scheduler without delay. */
    synchronized void arm(Runnable look) {
        disarm();
        if (signal == ChangeSignal.NONE) {
            return;
        }
        AtomicBoolean fired = new AtomicBoolean();
        try {
            current = signal.subscribe(() -> {
                if (fired.compareAndSet(false, true)) {
                    scheduler.schedule(look, Duration.ZERO);
                }
            });
        } catch (RuntimeException e) {
            // the poll is the fallback: a signal that cannot subscribe only makes the wait as slow as before
            LOG.debug("change signal could not subscribe; polling only: {}", e.toString());
        }
    }

    /** Stops listening. */
    synchronized void disarm() {
        if (current != null) {
            ChangeSignal.Subscription s = current;
            current = null;
            s.cancel();
        }
    }
}
