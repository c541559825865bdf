package io.cutover.prometheus;

import io.cutover.CutoverException.Kind;
import io.cutover.prometheus.MetricTemplates.Measure;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSource;
import io.cutover.spi.MetricValue;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MetricSource} that reads Prometheus through PromQL templates.
 *
 * <pre>{@code
 * MetricSource metrics = PrometheusMetricSource.builder(client)
 *         .templates(Presets.istio("shop"))
 *         .build();
 * Target target = Target.builder("myapp").workloads(w).router(r).metrics(metrics).build();
 * }</pre>
 *
 * <p>How each answer maps (defaults: {@link Presets#httpRequestsTotal()}, {@link WarningPolicy#NO_DATA}):
 * <ul>
 *   <li>one sample or a scalar: that number (NaN and ±Inf included: gates never pass them);</li>
 *   <li>an empty vector: {@link MetricValue.NoData} (INCONCLUSIVE, or ERROR by the gate policy);</li>
 *   <li>several series, a matrix, a string, a native histogram: PERMANENT {@link PrometheusException} (ERROR):
 *       the query is not shaped for a gate;</li>
 *   <li>a success or error rate outside 0..1, a negative latency or request rate: PERMANENT (ERROR): the
 *       template does not measure what it claims;</li>
 *   <li>{@code warnings}: by the {@link WarningPolicy}; {@code infos}: logged, the number stands;</li>
 *   <li>{@code status: error}, HTTP and connection failures: the client's {@link PrometheusException}
 *       with the server's message (ERROR).</li>
 * </ul>
 */
public final class PrometheusMetricSource implements MetricSource {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusMetricSource.class);

    private final PrometheusClient client;
    private final MetricTemplates templates;
    private final WarningPolicy warnings;

    private PrometheusMetricSource(Builder b) {
        this.client = b.client;
        this.templates = b.templates;
        this.warnings = b.warnings;
    }

    /**
     * Starts a metric source on {@code client}. Defaults: the {@link Presets#httpRequestsTotal()} templates,
     * and server warnings read as no data ({@link WarningPolicy#NO_DATA}).
     *
     * @param client the client that runs the queries
     * @return a new builder
     */
    public static Builder builder(PrometheusClient client) {
        return new Builder(client);
    }

    /**
     * A builder holding this source's client, templates and warning policy, to derive a changed copy.
     *
     * @return a new builder with this source's settings
     */
    public Builder toBuilder() {
        return new Builder(client).templates(templates).warnings(warnings);
    }

    /**
     * The client this source queries through.
     *
     * @return the client given to {@link #builder(PrometheusClient)}
     */
    public PrometheusClient client() {
        return client;
    }

    /**
     * The templates this source renders its measures from.
     *
     * @return the templates, {@link Presets#httpRequestsTotal()} unless others were given
     */
    public MetricTemplates templates() {
        return templates;
    }

    @Override
    public MetricValue successRate(MetricQuery query) {
        return fraction(Measure.SUCCESS_RATE, "success rate", query);
    }

    @Override
    public MetricValue errorRate(MetricQuery query) {
        return fraction(Measure.ERROR_RATE, "error rate", query);
    }

    @Override
    public MetricValue latency(MetricQuery query, double quantile) {
        if (!(quantile > 0 && quantile < 1)) {
            throw new IllegalArgumentException("quantile must be strictly between 0 and 1: " + quantile);
        }
        return nonNegative(read(render(Measure.LATENCY, query, quantile), query.at()), "latency");
    }

    @Override
    public MetricValue requestRate(MetricQuery query) {
        return nonNegative(read(render(Measure.REQUEST_RATE, query, Double.NaN), query.at()), "request rate");
    }

    /** Runs {@code expression} as written (no variables) at {@code at}; it must yield one number. */
    @Override
    public MetricValue query(String expression, Instant at) {
        return read(expression, Objects.requireNonNull(at, "at"));
    }

    /**
     * The measure's template with {@code ${window}} set to {@code step}, as a range query every step over the
     * query's window: one value per interval, for baseline comparisons. Values are checked like single ones.
     */
    @Override
    public io.cutover.spi.MetricSamples samples(MetricQuery query, io.cutover.spi.Measure measure, java.time.Duration step) {
        return RangeSamples.read(client, templates, warnings, query, measure, step);
    }

    private MetricValue fraction(Measure measure, String what, MetricQuery query) {
        MetricValue value = read(render(measure, query, Double.NaN), query.at());
        if (value instanceof MetricValue.Sample s && Double.isFinite(s.value()) && (s.value() < 0 || s.value() > 1)) {
            throw new PrometheusException(Kind.PERMANENT, "evaluate " + what, what + " of " + query.revision().name()
                    + " is " + s.value() + ", outside 0..1: the template does not measure a share", null, 0, null);
        }
        return value;
    }

    private static MetricValue nonNegative(MetricValue value, String what) {
        if (value instanceof MetricValue.Sample s && s.value() < 0) {
            throw new PrometheusException(Kind.PERMANENT, "evaluate " + what, what + " is negative (" + s.value()
                    + "): the template does not measure " + what, null, 0, null);
        }
        return value;
    }

    private String render(Measure measure, MetricQuery query, double quantile) {
        try {
            return templates.render(measure, query, quantile);
        } catch (IllegalArgumentException e) {
            throw new PrometheusException(Kind.PERMANENT, "render " + measure.name().toLowerCase(java.util.Locale.ROOT)
                    + " query", e.getMessage(), null, 0, e);
        }
    }

    private MetricValue read(String expression, Instant at) {
        QueryResponse answer = client.query(expression, at);
        if (!answer.warnings().isEmpty()) {
            switch (warnings) {
                case NO_DATA:
                    return MetricValue.noData("server warned: " + String.join("; ", answer.warnings()));
                case ERROR:
                    throw new PrometheusException(Kind.TRANSIENT, "query " + client.baseUri(), "the server warned: "
                            + String.join("; ", answer.warnings()) + " (query: " + expression + ")", null, 200, null);
                default:
                    break;
            }
        }
        return single(answer.result(), expression);
    }

    /** One number out of a result, or why not. */
    static MetricValue single(QueryResult result, String expression) {
        if (result instanceof QueryResult.Scalar s) {
            return MetricValue.of(s.value());
        }
        if (result instanceof QueryResult.Vector v) {
            List<QueryResult.Sample> samples = v.samples();
            if (samples.isEmpty()) {
                return MetricValue.noData("no series for " + abbreviate(expression));
            }
            if (samples.size() == 1) {
                return MetricValue.of(samples.get(0).value());
            }
            String labels = samples.stream().limit(3).map(s -> s.labels().toString()).collect(Collectors.joining(", "));
            throw new PrometheusException(Kind.PERMANENT, "evaluate query", samples.size()
                    + " series where one number was expected (" + labels + (samples.size() > 3 ? ", ..." : "")
                    + "): aggregate the query, for example with sum(...): " + abbreviate(expression), null, 200, null);
        }
        if (result instanceof QueryResult.Matrix) {
            throw new PrometheusException(Kind.PERMANENT, "evaluate query", "a range vector where one number was expected:"
                    + " aggregate over the range, for example with rate(...[5m]): " + abbreviate(expression), null, 200, null);
        }
        throw new PrometheusException(Kind.PERMANENT, "evaluate query", "a string where one number was expected: "
                + abbreviate(expression), null, 200, null);
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    @Override
    public String toString() {
        return "PrometheusMetricSource[" + client + ", warnings=" + warnings + "]";
    }

    /** Builds a {@link PrometheusMetricSource}. Defaults: {@link Presets#httpRequestsTotal()}, {@link WarningPolicy#NO_DATA}. */
    public static final class Builder {
        private final PrometheusClient client;
        private MetricTemplates templates = Presets.httpRequestsTotal();
        private WarningPolicy warnings = WarningPolicy.NO_DATA;

        private Builder(PrometheusClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /**
         * The PromQL for each measure. Default {@link Presets#httpRequestsTotal()}.
         *
         * @param templates the templates; asking for a measure without one throws a permanent {@link PrometheusException}
         * @return this builder
         */
        public Builder templates(MetricTemplates templates) {
            this.templates = Objects.requireNonNull(templates, "templates");
            return this;
        }

        /**
         * What an answer with server warnings counts as. Default {@link WarningPolicy#NO_DATA}.
         *
         * @param warnings the policy
         * @return this builder
         */
        public Builder warnings(WarningPolicy warnings) {
            this.warnings = Objects.requireNonNull(warnings, "warnings");
            return this;
        }

        /**
         * Builds the source.
         *
         * @return an immutable metric source
         */
        public PrometheusMetricSource build() {
            return new PrometheusMetricSource(this);
        }
    }
}
