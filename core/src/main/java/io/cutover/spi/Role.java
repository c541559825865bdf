package io.cutover.spi;

/** The two places a revision can stand during a rollout. */
public enum Role {
    /** What serves users before the rollout, and what the rollout returns to on abort. */
    STABLE,
    /** The revision being rolled out; after promotion, what is left to retire. */
    CANDIDATE
}
