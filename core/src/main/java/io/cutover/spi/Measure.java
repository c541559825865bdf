package io.cutover.spi;

import java.util.Objects;

/**
 * A measure a {@link MetricSource} can return samples of: one of the numbers the gates read, per interval.
 *
 * <pre>{@code Measure.latency(0.99)   Measure.errorRate()}</pre>
 *
 * @param kind     what is measured
 * @param quantile for {@link Kind#LATENCY}, the latency quantile (0..1 exclusive); NaN otherwise
 */
public record Measure(Kind kind, double quantile) {

    /** What a measure counts. Rates are fractions in 0..1, latency is in seconds, request rate in requests per second. */
    public enum Kind {
        /** The share of successful requests. */
        SUCCESS_RATE,
        /** The share of failed requests. */
        ERROR_RATE,
        /** A latency quantile, in seconds. */
        LATENCY,
        /** Requests per second. */
        REQUEST_RATE
    }

    /**
     * Refuses a latency quantile outside (0, 1); sets the quantile to NaN for the other kinds.
     *
     * @param kind     what is measured
     * @param quantile the latency quantile, ignored for the other kinds
     */
    public Measure {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.LATENCY && !(quantile > 0 && quantile < 1)) {
            throw new IllegalArgumentException("latency quantile must be strictly between 0 and 1: " + quantile);
        }
        if (kind != Kind.LATENCY) {
            quantile = Double.NaN;
        }
    }

    /**
     * The share of successful requests, 0 to 1.
     *
     * @return the measure
     */
    public static Measure successRate() {
        return new Measure(Kind.SUCCESS_RATE, Double.NaN);
    }

    /**
     * The share of failed requests, 0 to 1.
     *
     * @return the measure
     */
    public static Measure errorRate() {
        return new Measure(Kind.ERROR_RATE, Double.NaN);
    }

    /**
     * A latency quantile, in seconds.
     *
     * @param quantile strictly between 0 and 1, such as 0.99
     * @return the measure
     */
    public static Measure latency(double quantile) {
        return new Measure(Kind.LATENCY, quantile);
    }

    /**
     * Requests per second.
     *
     * @return the measure
     */
    public static Measure requestRate() {
        return new Measure(Kind.REQUEST_RATE, Double.NaN);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Measure m && kind == m.kind && Double.compare(quantile, m.quantile) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, quantile);
    }

    /** A stable label: {@code error-rate}, {@code latency-p99}, ... */
    @Override
    public String toString() {
        return switch (kind) {
            case SUCCESS_RATE -> "success-rate";
            case ERROR_RATE -> "error-rate";
            case REQUEST_RATE -> "request-rate";
            case LATENCY -> {
                String s = Double.toString(quantile * 100);
                yield "latency-p" + (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s);
            }
        };
    }
}
