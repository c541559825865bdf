package io.cutover.prometheus;

import io.cutover.CutoverException.Kind;
import io.cutover.spi.Measure;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSamples;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Per-interval samples through a range query: the measure's template rendered with {@code ${window}} set
 * to the step, evaluated every step over the query's window, so each point is one interval's value. Points
 * sit on multiples of the step, so the stable and candidate queries of one round share their instants.
 */
final class RangeSamples {

    private RangeSamples() { }

    static MetricSamples read(PrometheusClient client, MetricTemplates templates, WarningPolicy warnings, MetricQuery query,
                              Measure measure, Duration step) {
        if (step == null || step.isZero() || step.isNegative() || step.getNano() != 0) {
            throw new IllegalArgumentException("step must be a positive whole number of seconds: " + step);
        }
        MetricQuery perInterval = new MetricQuery(query.application(), query.revision(), query.role(), step, query.at());
        MetricTemplates.Measure kind = switch (measure.kind()) {
            case SUCCESS_RATE -> MetricTemplates.Measure.SUCCESS_RATE;
            case ERROR_RATE -> MetricTemplates.Measure.ERROR_RATE;
            case LATENCY -> MetricTemplates.Measure.LATENCY;
            case REQUEST_RATE -> MetricTemplates.Measure.REQUEST_RATE;
        };
        String expression;
        try {
            expression = templates.render(kind, perInterval, measure.quantile());
        } catch (IllegalArgumentException e) {
            throw new PrometheusException(Kind.PERMANENT, "render " + measure + " query", e.getMessage(), null, 0, e);
        }
        long s = step.getSeconds();
        long end = Math.floorDiv(query.at().getEpochSecond(), s) * s;
        long start = Math.floorDiv(query.at().minus(query.window()).getEpochSecond() + 2 * s - 1, s) * s;
        if (start > end) {
            return MetricSamples.noData("window " + query.window() + " holds no whole step of " + step);
        }
        QueryResponse answer = client.queryRange(expression, Instant.ofEpochSecond(start), Instant.ofEpochSecond(end), step);
        if (!answer.warnings().isEmpty()) {
            if (warnings == WarningPolicy.NO_DATA) {
                return MetricSamples.noData("server warned: " + String.join("; ", answer.warnings()));
            }
            if (warnings == WarningPolicy.ERROR) {
                throw new PrometheusException(Kind.TRANSIENT, "query range " + client.baseUri(), "the server warned: "
                        + String.join("; ", answer.warnings()), null, 200, null);
            }
        }
        if (!(answer.result() instanceof QueryResult.Matrix matrix)) {
            throw new PrometheusException(Kind.PERMANENT, "evaluate range query", "a range query answered "
                    + answer.result().getClass().getSimpleName().toLowerCase(Locale.ROOT) + ", not a matrix", null, 200, null);
        }
        if (matrix.series().isEmpty()) {
            return MetricSamples.noData("no series for " + measure + " of " + query.revision().name());
        }
        if (matrix.series().size() > 1) {
            String labels = matrix.series().stream().limit(3).map(x -> x.labels().toString()).collect(Collectors.joining(", "));
            throw new PrometheusException(Kind.PERMANENT, "evaluate range query", matrix.series().size()
                    + " series where one was expected (" + labels + "): aggregate the template, for example with sum(...)",
                    null, 200, null);
        }
        List<MetricSamples.Point> points = new ArrayList<>();
        for (QueryResult.Point p : matrix.series().get(0).points()) {
            check(measure, p.value(), query);
            points.add(new MetricSamples.Point(p.time(), p.value()));
        }
        return MetricSamples.of(points);
    }

    /** Nothing read from the server is trusted: a share must be a share, a latency or rate not negative. */
    private static void check(Measure measure, double v, MetricQuery query) {
        boolean share = measure.kind() == Measure.Kind.SUCCESS_RATE || measure.kind() == Measure.Kind.ERROR_RATE;
        if (share && Double.isFinite(v) && (v < 0 || v > 1)) {
            throw new PrometheusException(Kind.PERMANENT, "evaluate " + measure, measure + " of " + query.revision().name()
                    + " is " + v + ", outside 0..1: the template does not measure a share", null, 0, null);
        }
        if (!share && v < 0) {
            throw new PrometheusException(Kind.PERMANENT, "evaluate " + measure, measure + " is negative (" + v
                    + "): the template does not measure it", null, 0, null);
        }
    }
}
