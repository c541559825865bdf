package io.cutover.event;

/** Receives rollout events. A listener that throws is logged and ignored; it never stops a rollout. */
@FunctionalInterface
public interface RolloutListener {

    void onEvent(RolloutEvent event);
}
