package io.cutover.event;

/**
 * Receives rollout events. A listener that throws is logged and ignored; it never stops a rollout. On an
 * engine whose calls run on threads of their own (the default on a real scheduler) each listener takes its
 * events in order on a thread of its own, never under a rollout's lock; a rollout waits at most two
 * seconds for it, and not again until a listener that did not return in time returns.
 */
@FunctionalInterface
public interface RolloutListener {

    /**
     * Receives one event; a listener that throws is logged and ignored.
     *
     * @param event the event
     */
    void onEvent(RolloutEvent event);
}
