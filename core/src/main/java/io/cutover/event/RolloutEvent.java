package io.cutover.event;

import io.cutover.Phase;
import io.cutover.gate.Measurement;
import io.cutover.spi.TrafficSplit;
import java.time.Instant;

/** What happens to a rollout, delivered to {@link RolloutListener}s in order. */
public sealed interface RolloutEvent {

    /**
     * The rollout the event belongs to.
     *
     * @return the rollout's name
     */
    String rollout();

    /**
     * When it happened.
     *
     * @return the instant, on the engine's clock (virtual in simulations)
     */
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

    /**
     * The split the platform holds changed, as read back after the write.
     *
     * @param rollout the rollout's name
     * @param at      when it happened, on the engine's clock
     * @param split   the split now in force
     */
    record TrafficChanged(String rollout, Instant at, TrafficSplit split) implements RolloutEvent { }

    /**
     * A role was scaled.
     *
     * @param rollout the rollout's name
     * @param at      when it happened, on the engine's clock
     * @param role     {@code STABLE} or {@code CANDIDATE}
     * @param replicas the replica count asked for
     */
    record ReplicasChanged(String rollout, Instant at, String role, int replicas) implements RolloutEvent { }

    /**
     * A gate was measured.
     *
     * @param rollout the rollout's name
     * @param at      when it happened, on the engine's clock
     * @param measurement the verdict and the value seen
     */
    record MeasurementTaken(String rollout, Instant at, Measurement measurement) implements RolloutEvent { }

    /**
     * The rollout paused and waits for a person (or for a retry budget to refill).
     *
     * @param rollout the rollout's name
     * @param at      when it happened, on the engine's clock
     * @param reason  what it waits for
     */
    record Paused(String rollout, Instant at, String reason) implements RolloutEvent { }

    /**
     * A paused rollout went on.
     *
     * @param rollout the rollout's name
     * @param at      when it happened, on the engine's clock
     */
    record Resumed(String rollout, Instant at) implements RolloutEvent { }

    /**
     * The candidate became stable; from here on there is nothing to roll back to.
     *
     * @param rollout the rollout's name
     * @param at      when it happened, on the engine's clock
     * @param revision the new stable revision's name
     */
    record Promoted(String rollout, Instant at, String revision) implements RolloutEvent { }

    /**
     * The rollback started: traffic goes back to stable first.
     *
     * @param rollout the rollout's name
     * @param at      when it happened, on the engine's clock
     * @param reason  why (a gate, a deadline, a person)
     */
    record AbortStarted(String rollout, Instant at, String reason) implements RolloutEvent { }

    /**
     * The rollback finished: traffic is on stable and the candidate scaled down.
     *
     * @param rollout the rollout's name
     * @param at      when it happened, on the engine's clock
     * @param reason  why the rollout was aborted
     */
    record RolledBack(String rollout, Instant at, String reason) implements RolloutEvent { }

    /**
     * The rollout ended with the candidate stable and the old revision retired.
     *
     * @param rollout the rollout's name
     * @param at      when it happened, on the engine's clock
     */
    record Succeeded(String rollout, Instant at) implements RolloutEvent { }

    /**
     * A safe state could not be reached; {@code split} is the traffic the platform holds as far as it is known.
     *
     * @param rollout the rollout's name
     * @param at      when it happened, on the engine's clock
     * @param reason  what failed
     * @param split   the traffic split as last known
     */
    record Failed(String rollout, Instant at, String reason, TrafficSplit split) implements RolloutEvent { }

    /**
     * A call of the rollout (platform, gate, hook, state store) failed or gave no answer in time.
     *
     * @param rollout   the rollout's name
     * @param at        when it happened, on the engine's clock
     * @param operation what was called
     * @param kind      how the engine counts it: {@code TRANSIENT}, {@code CONFLICT}, {@code PERMANENT} or {@code STATE}
     * @param message   what went wrong
     * @param attempt   failures of this step in a row, this one included
     * @param budget    failures in a row the step may have before the rollout pauses (or, rolling back, fails)
     */
    record CallFailed(String rollout, Instant at, String operation, String kind, String message, int attempt, int budget)
            implements RolloutEvent { }

    /**
     * Another engine claimed the rollout; this one stopped driving it and writes nothing more.
     *
     * @param rollout the rollout's name
     * @param at      when it happened, on the engine's clock
     * @param detail  who claimed it, under which epoch
     */
    record OwnershipLost(String rollout, Instant at, String detail) implements RolloutEvent { }

    /**
     * The phase after any transition; the simplest event to follow.
     *
     * @param rollout the rollout's name
     * @param at      when it happened, on the engine's clock
     * @param phase   the new phase
     * @param reason  why, for paused, aborting, aborted and failed; otherwise {@code null}
     */
    record PhaseChanged(String rollout, Instant at, Phase phase, String reason) implements RolloutEvent { }
}
