package io.cutover.spi;

/**
 * One number from a metric source, or the lack of one. A source that fails throws
 * {@link io.cutover.CutoverException}; no data is not a failure, and never a pass.
 */
public sealed interface MetricValue {

    /**
     * A number the source returned.
     *
     * @param value the number; NaN and infinities are kept, and gates never pass them
     * @return the value
     */
    static MetricValue of(double value) {
        return new Sample(value);
    }

    /**
     * No number: the source found no series.
     *
     * @param reason why, for people
     * @return the lack of a value
     */
    static MetricValue noData(String reason) {
        return new NoData(reason);
    }

    /** A value the source returned; it may be NaN or infinite, which gates never pass. */
    record Sample(double value) implements MetricValue { }

    /** The source answered with no series (no traffic yet, wrong labels...). */
    record NoData(String reason) implements MetricValue { }
}
