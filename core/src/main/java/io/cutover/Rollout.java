package io.cutover;

import io.cutover.internal.RolloutRunner;
import io.cutover.state.RolloutState;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A handle on a running rollout: read its status, act on it as a person would, wait for its end.
 * Operations are safe from any thread.
 */
public final class Rollout {

    private final RolloutRunner runner;
    private final RolloutEngine engine;

    Rollout(RolloutRunner runner, RolloutEngine engine) {
        this.runner = runner;
        this.engine = engine;
    }

    /**
     * The rollout's name: its key in the state store.
     *
     * @return the name
     */
    public String name() {
        return runner.name();
    }

    /**
     * The state as last saved.
     *
     * @return the saved state; {@link RolloutState#stepNumber()} numbers the step as {@code describe()} does
     */
    public RolloutState status() {
        return runner.state();
    }

    /**
     * Where the rollout stands, from its saved state.
     *
     * @return the phase
     */
    public Phase phase() {
        return runner.state().phase();
    }

    /**
     * Skips the current pause or analysis and lets a paused rollout go on.
     *
     * @return this rollout
     */
    public Rollout promote() {
        runner.promote();
        return this;
    }

    /**
     * Skips every remaining pause and analysis.
     *
     * @return this rollout
     */
    public Rollout promoteFully() {
        runner.promoteFully();
        return this;
    }

    /**
     * Returns traffic to stable and scales the candidate down.
     *
     * @param reason why, kept in the result and the history
     * @return this rollout
     */
    public Rollout abort(String reason) {
        runner.abort(reason);
        return this;
    }

    /**
     * Runs an aborted rollout again from its first step.
     *
     * @return this rollout
     */
    public Rollout retry() {
        runner.retry();
        return this;
    }

    /**
     * Holds the rollout where it is until {@link #resume()} or {@link #promote()}; traffic stays as it is.
     *
     * @param reason why, kept in the state and the history
     * @return this rollout
     */
    public Rollout pause(String reason) {
        runner.pause(reason);
        return this;
    }

    /**
     * Lets a paused rollout go on from where it stopped.
     *
     * @return this rollout
     */
    public Rollout resume() {
        runner.resume();
        return this;
    }

    /**
     * Completes when the rollout succeeds, is aborted or fails.
     *
     * @return a future of the result
     */
    public CompletableFuture<RolloutResult> result() {
        return runner.result();
    }

    /**
     * Waits for the end. On an engine with a {@link VirtualScheduler}, drives virtual time until the
     * rollout ends or waits for a person: then the result's phase is {@link Phase#PAUSED} and its reason
     * says what the person is asked for (a manual promotion, an inconclusive analysis, a spent retry
     * budget...). Otherwise blocks the calling thread until the rollout ends.
     *
     * @throws IllegalStateException on a virtual scheduler, when the rollout neither ended nor paused
     *                               within 30 days of virtual time
     * @return the result, or the paused state's result when a person is needed
     */
    public RolloutResult await() {
        if (engine.scheduler() instanceof VirtualScheduler time) {
            time.runUntil(() -> runner.result().isDone() || runner.state().phase() == Phase.PAUSED, Duration.ofDays(30));
            if (!runner.result().isDone()) {
                RolloutState s = runner.state();
                if (s.phase() != Phase.PAUSED) {
                    throw new IllegalStateException("rollout '" + s.name() + "' is still " + s.phase() + " at step "
                            + (s.stepIndex() + 1) + " after 30 days of virtual time with nothing left to run; last: "
                            + (s.history().isEmpty() ? "-" : s.history().get(s.history().size() - 1).what()));
                }
                return RolloutResult.of(s);
            }
        }
        try {
            return runner.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /**
     * Platform reads made for this rollout's target so far.
     *
     * @return the count
     */
    public long platformReads() {
        return runner.calls().reads();
    }

    /**
     * Platform writes made for this rollout's target so far.
     *
     * @return the count
     */
    public long platformWrites() {
        return runner.calls().writes();
    }

    @Override
    public String toString() {
        RolloutState s = runner.state();
        return "Rollout[" + s.name() + " " + s.phase() + " step " + (s.stepIndex() + 1) + ", " + s.split() + "]";
    }
}
