package io.cutover.gate;

/** Which way a compared metric may not move: the direction in which a candidate is worse than its baseline. */
public enum Direction {
    /** Higher is worse (latency, error rate): only a significant increase fails. */
    HIGHER_IS_WORSE,
    /** Lower is worse (success rate, throughput): only a significant decrease fails. */
    LOWER_IS_WORSE,
    /** Any significant change fails. */
    EITHER
}
