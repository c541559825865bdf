package io.cutover.kubernetes;

import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSource;
import io.cutover.spi.MetricValue;
import java.time.Instant;

/** Metrics by revision name: a revision whose name contains "bad" answers 80% success, any other 99.9%. */
final class RevisionMetrics implements MetricSource {

    private static boolean bad(MetricQuery q) {
        return q.revision().name().contains("bad");
    }

    @Override public MetricValue successRate(MetricQuery q) { return MetricValue.of(bad(q) ? 0.80 : 0.999); }
    @Override public MetricValue errorRate(MetricQuery q) { return MetricValue.of(bad(q) ? 0.20 : 0.001); }
    @Override public MetricValue latency(MetricQuery q, double quantile) { return MetricValue.of(0.05); }
    @Override public MetricValue requestRate(MetricQuery q) { return MetricValue.of(100); }
    @Override public MetricValue query(String expression, Instant at) { return MetricValue.noData("no raw queries in this test"); }
}
