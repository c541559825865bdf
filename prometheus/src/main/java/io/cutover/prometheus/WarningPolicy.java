package io.cutover.prometheus;

/**
 * What a number that came with server {@code warnings} counts as. Warnings say the result may be
 * incomplete (a remote store did not answer) or computed from odd input (a histogram without
 * {@code le}); {@code infos} are only logged and never change a value.
 */
public enum WarningPolicy {
    /** Keep the number; the warnings are logged. */
    USE_VALUE,
    /** Treat the answer as no data, so its gate is INCONCLUSIVE (or ERROR, by the gate policy). The default. */
    NO_DATA,
    /** Treat the answer as a failed query (TRANSIENT), so its gate is ERROR. */
    ERROR
}
