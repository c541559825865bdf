package io.cutover.state;

import io.cutover.gate.Verdict;
import java.time.Instant;

/**
 * Counters of one analysis (a step's, or the background gates'), kept in the state so a resumed
 * engine goes on counting where the last one stopped.
 *
 * @param taken             measurement rounds taken
 * @param failed            FAILED verdicts so far
 * @param consecutiveErrors ERROR verdicts in a row
 * @param inconclusive      INCONCLUSIVE verdicts since the last person's resume
 * @param nextAt            when the next round is due, or {@code null} before the first is planned
 */
public record AnalysisProgress(int taken, int failed, int consecutiveErrors, int inconclusive, Instant nextAt) {

    /** No rounds taken, nothing counted, nothing planned. */
    public static final AnalysisProgress NONE = new AnalysisProgress(0, 0, 0, 0, null);

    /**
     * These counters after one more verdict: PASSED and INCONCLUSIVE and FAILED end a run of ERRORs.
     *
     * @param verdict the verdict of the round
     * @return new counters
     */
    public AnalysisProgress count(Verdict verdict) {
        return switch (verdict) {
            case PASSED -> new AnalysisProgress(taken, failed, 0, inconclusive, nextAt);
            case FAILED -> new AnalysisProgress(taken, failed + 1, 0, inconclusive, nextAt);
            case INCONCLUSIVE -> new AnalysisProgress(taken, failed, 0, inconclusive + 1, nextAt);
            case ERROR -> new AnalysisProgress(taken, failed, consecutiveErrors + 1, inconclusive, nextAt);
        };
    }

    /**
     * These counters after one more round, with the next one due at {@code next}.
     *
     * @param next when the next round is due
     * @return new counters
     */
    public AnalysisProgress roundTaken(Instant next) {
        return new AnalysisProgress(taken + 1, failed, consecutiveErrors, inconclusive, next);
    }

    /**
     * These counters with the next round due at {@code next}, no round taken.
     *
     * @param next when the next round is due
     * @return new counters
     */
    public AnalysisProgress plannedAt(Instant next) {
        return new AnalysisProgress(taken, failed, consecutiveErrors, inconclusive, next);
    }

    /**
     * These counters with the INCONCLUSIVE verdicts forgotten, as a person's resume does.
     *
     * @return new counters
     */
    public AnalysisProgress forgiveInconclusive() {
        return new AnalysisProgress(taken, failed, consecutiveErrors, 0, nextAt);
    }
}
