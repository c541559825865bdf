package io.cutover.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * A scheduler on virtual time: nothing runs until the caller advances the clock, and then tasks run
 * on the caller's thread in time order (ties in scheduling order). A 30-minute rollout runs in
 * microseconds; the same inputs give the same order of events every time.
 *
 * <pre>{@code
 * var time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
 * engine = RolloutEngine.builder().withScheduler(time).withClock(time.clock()).build();
 * time.runUntil(() -> rollout.status().phase().isTerminal(), Duration.ofHours(2));
 * }</pre>
 */
public final class VirtualScheduler implements Scheduler {

    private final class Task implements Comparable<Task>, Cancellable {
        final Instant at;
        final long seq;
        final Runnable body;
        boolean cancelled;

        Task(Instant at, long seq, Runnable body) {
            this.at = at;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public int compareTo(Task o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            synchronized (VirtualScheduler.this) {
                cancelled = true;
            }
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private volatile Thread driver;
    private Instant now;
    private long seq;
    private final Clock clock = new Clock() {
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { throw new UnsupportedOperationException("virtual clock is UTC"); }
        @Override public Instant instant() { return now(); }
    };

    /**
     * A scheduler whose virtual time starts at {@code start}; time moves only when asked to.
     *
     * @param start the first instant
     */
    public VirtualScheduler(Instant start) {
        this.now = start;
    }

    /** A scheduler whose virtual time starts at 2026-01-01T00:00:00Z. */
    public VirtualScheduler() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /**
     * A clock that reads this scheduler's virtual time.
     *
     * @return a UTC clock; {@code withZone} is refused
     */
    public Clock clock() {
        return clock;
    }

    /**
     * The current virtual instant.
     *
     * @return the instant
     */
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        Task t = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), seq++, task);
        queue.add(t);
        return t;
    }

    /**
     * Runs every task due within {@code duration} from now, then sets the clock to the end of it.
     *
     * @param duration how far to move, zero or more
     */
    public void advance(Duration duration) {
        Instant end;
        synchronized (this) {
            end = now.plus(duration);
        }
        runUntil(() -> false, end);
        synchronized (this) {
            now = end;
        }
    }

    /**
     * Runs tasks in time order until {@code done} holds, the queue is empty, or virtual time would pass
     * {@code limit} from now. Returns whether {@code done} held.
     *
     * @param done  checked after every task
     * @param limit how far virtual time may move
     * @return {@code true} when {@code done} held
     */
    public boolean runUntil(BooleanSupplier done, Duration limit) {
        Instant end;
        synchronized (this) {
            end = now.plus(limit);
        }
        return runUntil(done, end);
    }

    private boolean runUntil(BooleanSupplier done, Instant end) {
        Thread outer = driver;
        driver = Thread.currentThread();
        try {
            return runTasks(done, end);
        } finally {
            driver = outer;
        }
    }

    /**
     * Whether a thread other than the caller is running this scheduler's tasks now: then something the
     * caller waits for on virtual time can come; otherwise nothing will unless the caller advances it.
     *
     * @return true if another thread is running this scheduler's tasks
     */
    public boolean drivenByAnotherThread() {
        Thread d = driver;
        return d != null && d != Thread.currentThread();
    }

    private boolean runTasks(BooleanSupplier done, Instant end) {
        while (!done.getAsBoolean()) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at.isAfter(end)) {
                    return done.getAsBoolean();
                }
                queue.poll();
                if (next.cancelled) {
                    continue;
                }
                if (next.at.isAfter(now)) {
                    now = next.at;
                }
            }
            next.body.run();
        }
        return true;
    }

    /**
     * Tasks waiting to run (cancelled ones included until their time comes).
     *
     * @return the count
     */
    public synchronized int pending() {
        return queue.size();
    }
}
