package io.cutover.gate;

/** The outcome of one measurement. Only {@link #PASSED} lets a rollout go on. */
public enum Verdict {
    /** A real number met the condition. */
    PASSED,
    /** A real number missed the condition. */
    FAILED,
    /** No data, or NaN: nobody can tell. Pauses for a person once the policy's limit is passed. */
    INCONCLUSIVE,
    /** The source failed. Aborts once the policy's consecutive-error limit is passed. */
    ERROR
}
