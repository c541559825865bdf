package io.cutover.gate;

/** How one compared metric came out against the baseline. */
public enum Classification {
    /** No significant difference beyond the tolerance in a direction that matters. */
    PASS,
    /** The candidate is significantly higher than the baseline. */
    HIGH,
    /** The candidate is significantly lower than the baseline. */
    LOW,
    /** No data, or too few samples on a side for the confidence asked. */
    NODATA
}
