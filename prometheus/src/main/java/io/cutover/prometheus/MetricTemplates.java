package io.cutover.prometheus;

import io.cutover.spi.MetricQuery;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The PromQL a {@link PrometheusMetricSource} runs for each measure, with named variables.
 *
 * <p>Variables every template can use: {@code ${app}} (the application), {@code ${revision}} (the
 * revision's name), {@code ${role}} ({@code stable} or {@code candidate}), {@code ${window}} (the
 * window as a PromQL duration, {@code 5m}); the latency template must use {@code ${quantile}}
 * ({@code 0.99}). Add your own with {@link Builder#variable}. Values are written safely: see
 * {@link PromQlTemplate}.
 *
 * <pre>{@code
 * MetricTemplates mine = MetricTemplates.builder()
 *         .successRate("sum(rate(reqs{app=\"${app}\",rev=\"${revision}\",ok=\"true\"}[${window}]))"
 *                 + " / sum(rate(reqs{app=\"${app}\",rev=\"${revision}\"}[${window}]))")
 *         .variable("cluster", "eu-1")
 *         .build();
 * }</pre>
 * A measure without a template fails with a PERMANENT error (its gate gives ERROR).
 */
public final class MetricTemplates {

    /** What a template measures. */
    public enum Measure {
        /** The share of successful requests, 0 to 1. */
        SUCCESS_RATE,
        /** The share of failed requests, 0 to 1. */
        ERROR_RATE,
        /** A latency quantile, in seconds. */
        LATENCY,
        /** Requests per second. */
        REQUEST_RATE
    }

    /** The variables filled in from the query itself. */
    public static final Set<String> BUILT_IN = Set.of("app", "revision", "role", "window", "quantile");

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final Map<Measure, PromQlTemplate> templates;
    private final Map<String, Function<MetricQuery, String>> variables;

    private MetricTemplates(Builder b) {
        this.templates = Map.copyOf(b.templates);
        this.variables = Map.copyOf(b.variables);
    }

    /**
     * Starts an empty set of templates; at least one measure must be given before {@link Builder#build()}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these templates and variables, to derive a changed copy.
     *
     * @return a new builder with this set's content
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.templates.putAll(templates);
        b.variables.putAll(variables);
        return b;
    }

    /**
     * The template for {@code measure}, or {@code null} if none was given.
     *
     * @param measure the measure asked for
     * @return its parsed template
     */
    public PromQlTemplate template(Measure measure) {
        return templates.get(measure);
    }

    /**
     * The names of the custom variables.
     *
     * @return the names given to {@link Builder#variable(String, String)} and its computed form
     */
    public Set<String> variables() {
        return variables.keySet();
    }

    /**
     * The PromQL for {@code measure} of {@code query}.
     *
     * @param quantile the quantile for {@link Measure#LATENCY}; ignored otherwise
     * @throws IllegalArgumentException if there is no template for the measure or a value cannot be written safely
     * @param measure what to measure
     * @param query   the application, revision, role, window and instant that fill the built-in variables
     * @return the PromQL, every variable written safely for where it stands
     */
    public String render(Measure measure, MetricQuery query, double quantile) {
        PromQlTemplate template = templates.get(measure);
        if (template == null) {
            throw new IllegalArgumentException("no " + measure.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + " template configured");
        }
        Map<String, String> values = new HashMap<>();
        for (Map.Entry<String, Function<MetricQuery, String>> v : variables.entrySet()) {
            if (template.variables().contains(v.getKey())) {
                String value = v.getValue().apply(query);
                if (value == null) {
                    throw new IllegalArgumentException("variable '" + v.getKey() + "' has no value for " + query);
                }
                values.put(v.getKey(), value);
            }
        }
        values.put("app", query.application());
        values.put("revision", query.revision().name());
        values.put("role", query.role().name().toLowerCase(Locale.ROOT));
        values.put("window", PromQl.duration(query.window()));
        if (measure == Measure.LATENCY) {
            values.put("quantile", PromQl.number(quantile));
        }
        return template.render(values);
    }

    @Override
    public String toString() {
        return "MetricTemplates" + new LinkedHashMap<>(templates) + " variables=" + variables.keySet();
    }

    /** Builds {@link MetricTemplates}; templates are checked here, variables' values when rendered. */
    public static final class Builder {
        private final Map<Measure, PromQlTemplate> templates = new LinkedHashMap<>();
        private final Map<String, Function<MetricQuery, String>> variables = new LinkedHashMap<>();

        private Builder() { }

        /**
         * The share (0..1) of successful requests.
         *
         * @param template PromQL with variables, see {@link PromQlTemplate}
         * @return this builder
         */
        public Builder successRate(String template) {
            return template(Measure.SUCCESS_RATE, template);
        }

        /**
         * The share (0..1) of failed requests.
         *
         * @param template PromQL with variables, see {@link PromQlTemplate}
         * @return this builder
         */
        public Builder errorRate(String template) {
            return template(Measure.ERROR_RATE, template);
        }

        /**
         * A latency quantile in seconds; must use {@code ${quantile}}.
         *
         * @param template PromQL with variables, see {@link PromQlTemplate}
         * @return this builder
         */
        public Builder latency(String template) {
            return template(Measure.LATENCY, template);
        }

        /**
         * Requests per second.
         *
         * @param template PromQL with variables, see {@link PromQlTemplate}
         * @return this builder
         */
        public Builder requestRate(String template) {
            return template(Measure.REQUEST_RATE, template);
        }

        /**
         * The template for {@code measure}; the same as the setter of that measure.
         *
         * @param measure  what the template measures
         * @param template PromQL with variables; a latency template must use {@code ${quantile}}, the others must not
         * @return this builder
         */
        public Builder template(Measure measure, String template) {
            Objects.requireNonNull(measure, "measure");
            PromQlTemplate t = PromQlTemplate.of(template);
            if (measure == Measure.LATENCY && !t.variables().contains("quantile")) {
                throw new IllegalArgumentException("latency template must use ${quantile}: " + template);
            }
            if (measure != Measure.LATENCY && t.variables().contains("quantile")) {
                throw new IllegalArgumentException("${quantile} only has a value in the latency template: " + template);
            }
            templates.put(measure, t);
            return this;
        }

        /**
         * A variable with a fixed value.
         *
         * @param name  the variable's name, a PromQL identifier other than the built-in ones
         * @param value its value, written safely where the variable stands
         * @return this builder
         */
        public Builder variable(String name, String value) {
            Objects.requireNonNull(value, "value of variable " + name);
            return variable(name, q -> value);
        }

        /**
         * A variable computed from each query (from a revision attribute, for example).
         *
         * @param name  the variable's name, a PromQL identifier other than the built-in ones
         * @param value computes the value from the query being rendered
         * @return this builder
         */
        public Builder variable(String name, Function<MetricQuery, String> value) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("variable name must match [a-zA-Z_][a-zA-Z0-9_]*: '" + name + "'");
            }
            if (BUILT_IN.contains(name)) {
                throw new IllegalArgumentException("variable '" + name + "' is built in and cannot be redefined");
            }
            variables.put(name, Objects.requireNonNull(value, "value of variable " + name));
            return this;
        }

        /**
         * Builds the templates.
         *
         * @return an immutable set of templates
         * @throws IllegalArgumentException if no template was given or a template uses an unknown variable
         */
        public MetricTemplates build() {
            if (templates.isEmpty()) {
                throw new IllegalArgumentException("templates need at least one of successRate, errorRate, latency, requestRate");
            }
            for (Map.Entry<Measure, PromQlTemplate> e : templates.entrySet()) {
                for (String v : e.getValue().variables()) {
                    if (!BUILT_IN.contains(v) && !variables.containsKey(v)) {
                        throw new IllegalArgumentException(e.getKey().name().toLowerCase(Locale.ROOT) + " template uses unknown variable '"
                                + v + "'; known: " + new java.util.TreeSet<>(union()));
                    }
                }
            }
            return new MetricTemplates(this);
        }

        private Set<String> union() {
            Set<String> all = new java.util.HashSet<>(BUILT_IN);
            all.addAll(variables.keySet());
            return all;
        }
    }
}
