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

    MetricValue successRate(MetricQuery query);

    MetricValue errorRate(MetricQuery query);

    /** The given quantile (0..1 exclusive) of request latency, in seconds. */
    MetricValue latency(MetricQuery query, double quantile);

    /** Requests per second. */
    MetricValue requestRate(MetricQuery query);

    /** A raw query in the source's own language, evaluated at an instant; must yield one number. */
    MetricValue query(String expression, Instant at);

    /**
     * The values of {@code measure} for the query's revision and role, one per {@code step} over the
     * query's window, for judges that compare distributions (the candidate against the live stable).
     * A source without samples throws, so a judge built on it reports ERROR and never passes.
     *
     * @throws CutoverException (permanent) when this source cannot return samples
     */
    default MetricSamples samples(MetricQuery query, Measure measure, Duration step) {
        throw CutoverException.permanent("samples " + measure, getClass().getSimpleName()
                + " returns no per-interval samples; a baseline comparison needs a source that does", null);
    }
}
