package io.cutover.internal;

import io.cutover.event.RolloutEvent;
import io.cutover.event.RolloutListener;
import io.cutover.spi.StateStore;
import io.cutover.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every rollout of one engine shares: time, the store, listeners and retry settings. */
public record EngineContext(Clock clock, Scheduler scheduler, StateStore store, List<RolloutListener> listeners,
                            Duration pollInterval, PlatformCalls.RetrySettings retry) {

    private static final Logger LOG = LoggerFactory.getLogger(EngineContext.class);

    public EngineContext {
        listeners = List.copyOf(listeners);
    }

    /** Delivers an event to every listener; one that throws is logged and skipped. */
    public void publish(RolloutEvent event) {
        for (RolloutListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("rollout listener failed on {}; ignored: {}", event.getClass().getSimpleName(), e.toString());
                LOG.debug("listener failure", e);
            }
        }
    }
}
