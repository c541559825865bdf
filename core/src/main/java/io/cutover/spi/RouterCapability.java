package io.cutover.spi;

/** What a {@link TrafficRouter} can do. Every router can send all traffic to one role. */
public enum RouterCapability {
    /** Any whole-percent weight between 0 and 100. */
    WEIGHTED,
    /** Weights approximated by replica counts behind one endpoint; the engine scales to reach them. */
    REPLICA_RATIO,
    /** Requests matching a header (or cookie) go to the candidate. */
    HEADER_ROUTES,
    /** A copy of a share of requests goes to the candidate; its answers are discarded. */
    MIRROR,
    /**
     * The platform behind this router (and the workloads it moves) reaches what a write asked for on its
     * own schedule: a traffic shift, a promotion or a rollback is accepted at once and shows in a later
     * read. After such a write the engine reads again on its scheduler until the platform shows it, within
     * the plan's progress deadline, instead of counting a read-back that does not show it yet as a failed
     * attempt; past the deadline the rollout pauses or aborts as for any progress deadline (while rolling
     * back, it ends FAILED with the traffic it read). Writes are re-applied while waiting, so they must be
     * idempotent, as every write is.
     */
    CONVERGING
}
