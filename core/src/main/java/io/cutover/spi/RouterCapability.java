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
    MIRROR
}
