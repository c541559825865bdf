package io.cutover.internal;

import io.cutover.event.RolloutEvent;
import io.cutover.event.RolloutListener;
import io.cutover.spi.StateStore;
import io.cutover.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every rollout of one engine shares: time, the store, listeners, retry settings, and where SPI
 * calls run.
 *
 * @param callExecutor runs ticks and SPI calls on threads of their own (so a hung call holds no engine
 *                     thread and no rollout lock), or {@code null} to run them on the scheduler's thread
 * @param callDeadline how long a platform read or write may take before it counts as a transient failure
 * @param owner        this engine's identity in the rollouts it claims
 */
public record EngineContext(Clock clock, Scheduler scheduler, StateStore store, List<RolloutListener> listeners,
                            Duration pollInterval, PlatformCalls.RetrySettings retry, ExecutorService callExecutor,
                            Duration callDeadline, String owner) {

    private static final Logger LOG = LoggerFactory.getLogger(EngineContext.class);

    /** How long a rollout waits for its listeners to take an event, when calls run on threads of their own. */
    public static final Duration LISTENER_DEADLINE = Duration.ofSeconds(2);

    public EngineContext {
        listeners = callExecutor == null ? List.copyOf(listeners)
                : listeners.stream().<RolloutListener>map(l -> new ListenerLane(l, callExecutor)).toList();
    }

    /**
     * Delivers an event to every listener; one that throws anything is logged and skipped. With a call
     * executor each listener takes its events in order on a thread of its own, and the rollout waits at most
     * {@link #LISTENER_DEADLINE} for them (a listener that hangs is waited for once, then no more until it
     * returns); without one, on the calling thread.
     */
    public void publish(RolloutEvent event) {
        if (callExecutor != null) {
            ListenerLane.deliver(listeners, event, scheduler, LISTENER_DEADLINE);
            return;
        }
        for (RolloutListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (Throwable e) {
                if (e instanceof io.cutover.sim.SimulatedCrash crash) {
                    throw crash;
                }
                LOG.warn("rollout {}: listener failed on {}; ignored: {}", event.rollout(), event.getClass().getSimpleName(), e.toString());
                LOG.debug("listener failure", e);
            }
        }
    }
}
