package io.cutover.time;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a task after a delay. The engine's only way to wait; inject a {@link VirtualScheduler} in tests. */
@FunctionalInterface
public interface Scheduler {

    /**
     * Runs {@code task} once after {@code delay}; the returned handle cancels it if it has not run.
     *
     * @param task  the task; it runs on the scheduler's thread
     * @param delay how long to wait, zero or more
     * @return a handle that cancels the task
     */
    Cancellable schedule(Runnable task, Duration delay);

    /** A handle to a scheduled task. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task if it has not started; does nothing otherwise. */
        void cancel();
    }

    /**
     * A scheduler on an executor the caller owns (and shuts down).
     *
     * @param executor the executor the tasks run on
     * @return a scheduler over it
     */
    static Scheduler of(ScheduledExecutorService executor) {
        return (task, delay) -> {
            var future = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
