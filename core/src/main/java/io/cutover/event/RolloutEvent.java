package io.cutover.event;

import io.cutover.Phase;
import io.cutover.gate.Measurement;
import io.cutover.spi.TrafficSplit;
import java.time.Instant;

/** What happens to a rollout, delivered to {@link RolloutListener}s in order. */
public sealed interface RolloutEvent {

    String rollout();

    Instant at();

    /**
     * A step of the plan (or of the rollback plan while aborting) started.
     *
     * @param rollout the rollout's name
     * @param at      when the step started
     * @param index   the step's index in {@link io.cutover.plan.Plan#steps()}, counted from 0
     * @param step    the step as {@link io.cutover.plan.Plan#describe()} prints it
     */
    record StepStarted(String rollout, Instant at, int index, String step) implements RolloutEvent {
        /**
         * The step counted from 1, the number {@link io.cutover.plan.Plan#describe()} prints before it.
         *
         * @return {@code index() + 1}
         */
        public int number() {
            return index + 1;
        }
    }

    record TrafficChanged(String rollout, Instant at, TrafficSplit split) implements RolloutEvent { }

    record ReplicasChanged(String rollout, Instant at, String role, int replicas) implements RolloutEvent { }

    record MeasurementTaken(String rollout, Instant at, Measurement measurement) implements RolloutEvent { }

    record Paused(String rollout, Instant at, String reason) implements RolloutEvent { }

    record Resumed(String rollout, Instant at) implements RolloutEvent { }

    record Promoted(String rollout, Instant at, String revision) implements RolloutEvent { }

    record AbortStarted(String rollout, Instant at, String reason) implements RolloutEvent { }

    record RolledBack(String rollout, Instant at, String reason) implements RolloutEvent { }

    record Succeeded(String rollout, Instant at) implements RolloutEvent { }

    /** A safe state could not be reached; {@code split} is the traffic the platform holds as far as it is known. */
    record Failed(String rollout, Instant at, String reason, TrafficSplit split) implements RolloutEvent { }

    /**
     * A call of the rollout (platform, gate, hook, state store) failed or gave no answer in time.
     *
     * @param operation what was called
     * @param kind      how the engine counts it: {@code TRANSIENT}, {@code CONFLICT}, {@code PERMANENT} or {@code STATE}
     * @param message   what went wrong
     * @param attempt   failures of this step in a row, this one included
     * @param budget    failures in a row the step may have before the rollout pauses (or, rolling back, fails)
     */
    record CallFailed(String rollout, Instant at, String operation, String kind, String message, int attempt, int budget)
            implements RolloutEvent { }

    /** Another engine claimed the rollout; this one stopped driving it and writes nothing more. */
    record OwnershipLost(String rollout, Instant at, String detail) implements RolloutEvent { }

    /** The phase after any transition; the simplest event to follow. */
    record PhaseChanged(String rollout, Instant at, Phase phase, String reason) implements RolloutEvent { }
}
