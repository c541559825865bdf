package io.cutover.internal;

import io.cutover.event.RolloutEvent;
import io.cutover.event.RolloutListener;
import io.cutover.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's own delivery line, for engines whose calls run on threads of their own: events reach
 * the listener in order, on a call thread, and the rollout waits for a delivery at most the listener
 * deadline. A listener that has not returned by then is late: the rollout goes on without waiting for
 * it again until it returns, its events queue (at most {@link #MAX_QUEUED}; more are dropped and
 * counted), and both are logged once. A late listener holds one thread, never the rollout's lock.
 */
final class ListenerLane implements RolloutListener {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerLane.class);
    static final int MAX_QUEUED = 10_000;

    private final RolloutListener listener;
    private final Executor executor;
    private final Queue<Delivery> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile boolean late;

    private record Delivery(RolloutEvent event, CompletableFuture<Void> done) { }

    ListenerLane(RolloutListener listener, Executor executor) {
        this.listener = listener;
        this.executor = executor;
    }

    /** Delivers {@code event} to every lane in {@code lanes}; waits for the prompt ones at most {@code deadline}. */
    static void deliver(List<RolloutListener> lanes, RolloutEvent event, Scheduler scheduler, Duration deadline) {
        List<CompletableFuture<Void>> waiting = new ArrayList<>(lanes.size());
        for (RolloutListener l : lanes) {
            waiting.add(((ListenerLane) l).offer(event));
        }
        CompletableFuture<?>[] prompt = waiting.stream().filter(java.util.Objects::nonNull).toArray(CompletableFuture[]::new);
        if (prompt.length == 0) {
            return;
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(prompt);
        Scheduler.Cancellable timer = scheduler.schedule(() -> all.complete(null), deadline);
        try {
            all.join();
        } finally {
            timer.cancel();
        }
        for (int i = 0; i < lanes.size(); i++) {
            if (waiting.get(i) != null && !waiting.get(i).isDone()) {
                ((ListenerLane) lanes.get(i)).late(event, deadline);
            }
        }
    }

    /** Queues {@code event}; returns what to wait for, or {@code null} when this listener is late (or full). */
    private CompletableFuture<Void> offer(RolloutEvent event) {
        if (queued.get() >= MAX_QUEUED) {
            if (dropped.getAndIncrement() == 0) {
                LOG.error("rollout {}: listener {} is still not returning; its queue of {} events is full and further "
                        + "events are dropped for it", event.rollout(), listener, MAX_QUEUED);
            }
            return null;
        }
        Delivery d = new Delivery(event, new CompletableFuture<>());
        queue.add(d);
        queued.incrementAndGet();
        drainLater();
        return late ? null : d.done;
    }

    private void late(RolloutEvent event, Duration deadline) {
        if (!late) {
            late = true;
            LOG.warn("rollout {}: listener {} did not return from {} within {}; the rollout goes on without waiting "
                    + "for it, and its events queue until it returns", event.rollout(), listener,
                    event.getClass().getSimpleName(), deadline);
        }
    }

    private void drainLater() {
        if (running.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                running.set(false); // the engine is shutting down: events are no longer delivered
                queue.clear();
                queued.set(0);
            }
        }
    }

    private void drain() {
        Delivery d;
        while ((d = queue.peek()) != null) {
            org.slf4j.MDC.put("rollout", d.event.rollout());
            try {
                listener.onEvent(d.event);
            } catch (Throwable e) {
                LOG.warn("rollout {}: listener failed on {}; ignored: {}", d.event.rollout(), d.event.getClass().getSimpleName(), e.toString());
                LOG.debug("listener failure", e);
            } finally {
                org.slf4j.MDC.remove("rollout");
            }
            queue.poll();
            queued.decrementAndGet();
            d.done.complete(null);
        }
        if (late) {
            late = false;
            int lost = dropped.getAndSet(0);
            LOG.info("listener {} returned and caught up{}", listener, lost == 0 ? "" : "; " + lost + " events were dropped for it");
        }
        running.set(false);
        if (!queue.isEmpty()) {
            drainLater();
        }
    }

    @Override
    public void onEvent(RolloutEvent event) {
        offer(event);
    }

    @Override
    public String toString() {
        return String.valueOf(listener);
    }
}
