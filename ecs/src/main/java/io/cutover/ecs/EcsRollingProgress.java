package io.cutover.ecs;

import io.cutover.gate.Measurement;
import java.util.List;

/**
 * Where an ECS rolling update stands.
 *
 * @param state        see {@link State}
 * @param running      tasks of the new task definition running
 * @param desired      tasks the service wants
 * @param message      ECS's rollout-state reason, or the gate that started a rollback
 * @param measurements what the gates measured at this check
 */
public record EcsRollingProgress(State state, int running, int desired, String message, List<Measurement> measurements) {

    public EcsRollingProgress {
        measurements = List.copyOf(measurements);
    }

    public enum State {
        /** ECS is replacing tasks. */
        IN_PROGRESS,
        /** Every task runs the new task definition. */
        COMPLETED,
        /** The previous task definition is being put back. */
        ROLLING_BACK,
        /** The previous task definition runs again (put back by a gate, or by ECS's circuit breaker). */
        ROLLED_BACK,
        /** ECS gave up and did not roll back, or someone else changed the service. */
        FAILED
    }

    public boolean done() {
        return state == State.COMPLETED || state == State.ROLLED_BACK || state == State.FAILED;
    }
}
