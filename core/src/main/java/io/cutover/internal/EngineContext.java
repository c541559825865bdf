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

    public EngineContext {
        listeners = List.copyOf(listeners);
    }

    /** Delivers an event to every listener; one that throws anything is logged and skipped. */
    public void publish(RolloutEvent event) {
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
