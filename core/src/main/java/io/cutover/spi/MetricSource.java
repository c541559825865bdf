package io.cutover.spi;

import io.cutover.CutoverException;
import java.time.Duration;
import java.time.Instant;

/** Reads the metrics gates decide on. Rates are fractions in 0..1; latency is in seconds. */
public interface MetricSource {

    /** A source with no data: every gate on it is inconclusive. */
    MetricSource NONE = new MetricSource() {
        @Override public MetricValue successRate(MetricQuery q) { return MetricValue.noData("no metric source configured"); }
        @Override public MetricValue errorRate(MetricQuery q) { return MetricValue.noData("no metric source configured"); }
        @Override public MetricValue latency(MetricQuery q, double quantile) { return MetricValue.noData("no metric source configured"); }
        @Override public MetricValue requestRate(MetricQuery q) { return MetricValue.noData("no metric source configured"); }
        @Override public MetricValue query(String expression, Instant at) { return MetricValue.noData("no metric source configured"); }
    };

    /**
     * The share of the query's requests that succeeded (not 5xx), 0 to 1.
     *
     * @param query the revision, role, window and instant
     * @return the share, or no data
     */
    MetricValue successRate(MetricQuery query);

    /**
     * The share of the query's requests that failed (5xx), 0 to 1.
     *
     * @param query the revision, role, window and instant
     * @return the share, or no data
     */
    MetricValue errorRate(MetricQuery query);

    /**
     * The given quantile (0..1 exclusive) of request latency, in seconds.
     *
     * @param query    the revision, role, window and instant
     * @param quantile strictly between 0 and 1, such as 0.99
     * @return the latency in seconds, or no data
     */
    MetricValue latency(MetricQuery query, double quantile);

    /**
     * Requests per second.
     *
     * @param query the revision, role, window and instant
     * @return the rate, or no data
     */
    MetricValue requestRate(MetricQuery query);

    /**
     * A raw query in the source's own language, evaluated at an instant; must yield one number.
     *
     * @param expression the query, as the source's language writes it
     * @param at         the evaluation instant
     * @return the number, or no data
     */
    MetricValue query(String expression, Instant at);

    /**
     * The values of {@code measure} for the query's revision and role, one per {@code step} over the
     * query's window, for judges that compare distributions (the candidate against the live stable).
     * A source without samples throws, so a judge built on it reports ERROR and never passes.
     *
     * @throws CutoverException (permanent) when this source cannot return samples
     * @param query   the revision, role, window and instant
     * @param measure what to sample
     * @param step    the interval of one sample
     * @return the samples, oldest first
     */
    default MetricSamples samples(MetricQuery query, Measure measure, Duration step) {
        throw CutoverException.permanent("samples " + measure, getClass().getSimpleName()
                + " returns no per-interval samples; a baseline comparison needs a source that does", null);
    }
}
