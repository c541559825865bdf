package io.cutover.event;

/** Receives rollout events. A listener that throws is logged and ignored; it never stops a rollout. */
@FunctionalInterface
public interface RolloutListener {

    /**
     * Receives one event; a listener that throws is logged and ignored.
     *
     * @param event the event
     */
    void onEvent(RolloutEvent event);
}
