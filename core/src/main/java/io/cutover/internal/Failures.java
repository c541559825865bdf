package io.cutover.internal;

import io.cutover.CutoverException;
import io.cutover.Phase;
import io.cutover.event.RolloutEvent;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts a rollout's failures in a row outside its state, so the budget holds even when the state
 * cannot be saved; logs each failure once with the rollout's name and publishes it as an event.
 */
final class Failures {

    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private final String rollout;
    private final EngineContext ctx;
    private int inRow;
    private long storeFailures;

    Failures(String rollout, EngineContext ctx) {
        this.rollout = rollout;
        this.ctx = ctx;
    }

    void resumeFrom(int attempts) {
        inRow = Math.max(0, attempts);
    }

    void reset() {
        inRow = 0;
    }

    /** Counts a failed attempt and returns how many failed in a row, this one included. */
    int failed(CutoverException e, int budget, Instant now) {
        inRow++;
        String operation = e.operation() == null ? "call" : e.operation();
        if (e.isRetryable() && inRow <= budget) {
            LOG.info("rollout {}: {} failed ({} of {} in a row, will retry): {}", rollout, operation, inRow, budget, e.getMessage());
        } else {
            LOG.warn("rollout {}: {} failed ({} of {} in a row): {}", rollout, operation, inRow, budget, e.getMessage());
        }
        ctx.publish(new RolloutEvent.CallFailed(rollout, now, operation, e.kind().name(), e.getMessage(), inRow, budget));
        return inRow;
    }

    /** A save that failed on the way to {@code phase}; the engine holds the state and goes on. */
    void storeDown(Throwable e, Phase phase) {
        storeFailures++;
        String why = Redaction.none().failure(e);
        LOG.warn("rollout {}: state store failed ({} so far); holding {} in memory and going on: {}", rollout, storeFailures, phase, why);
        ctx.publish(new RolloutEvent.CallFailed(rollout, ctx.clock().instant(), "save state", CutoverException.Kind.TRANSIENT.name(),
                "state store failed; " + phase + " held in memory: " + why, (int) Math.min(Integer.MAX_VALUE, storeFailures), 0));
    }

    long storeFailures() {
        return storeFailures;
    }
}
