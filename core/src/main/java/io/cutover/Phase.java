package io.cutover;

/** Where a rollout stands. */
public enum Phase {
    /** Created, not started. */
    PENDING,
    /** Steps are running. */
    PROGRESSING,
    /** Waiting for a person: an inconclusive measurement, a spent retry budget, a manual pause or a progress deadline. */
    PAUSED,
    /** The candidate is stable and everything else is retired. */
    SUCCEEDED,
    /**
     * The plan ran to its end without promoting: the candidate was measured and retired, and the
     * stable revision still serves everyone (a shadow or A/B run with {@code thenRollBack()}).
     */
    NOT_PROMOTED,
    /** Returning traffic to stable and scaling the candidate down. */
    ABORTING,
    /** Back on stable, candidate scaled down. */
    ABORTED,
    /** A safe state could not be reached; the result holds the exact traffic state. */
    FAILED;

    /**
     * Whether the rollout has ended: nothing more will happen to it.
     *
     * @return {@code true} for SUCCEEDED, NOT_PROMOTED, ABORTED and FAILED
     */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == NOT_PROMOTED || this == ABORTED || this == FAILED;
    }
}
