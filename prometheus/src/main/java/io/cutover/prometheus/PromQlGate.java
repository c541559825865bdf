package io.cutover.prometheus;

import io.cutover.CutoverException;
import io.cutover.gate.Condition;
import io.cutover.gate.Gate;
import io.cutover.gate.GateContext;
import io.cutover.gate.Gates;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.spi.MetricSource;
import io.cutover.spi.MetricValue;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A gate on a raw PromQL expression that must yield one number meeting a condition.
 *
 * <pre>{@code
 * Gate successRate = PromQlGate.builder(
 *         "sum(rate(http_requests_total{service=\"${app}\",status=~\"2.*\"}[5m]))"
 *       + " / sum(rate(http_requests_total{service=\"${app}\"}[5m]))")
 *         .name("success-rate")
 *         .atLeast(0.95)
 *         .build();
 * }</pre>
 *
 * <p>The expression may use {@code ${app}}, {@code ${revision}} (the candidate), {@code ${role}}
 * ({@code candidate}), {@code ${window}} and variables given with {@link Builder#variable}; they are
 * written safely (see {@link PromQlTemplate}). It runs on the rollout target's metric source unless
 * {@link Builder#source} names another. The verdict comes from {@link Gates#judge}; a failed query
 * is an ERROR measurement whose detail is the server's message.
 */
public final class PromQlGate implements Gate {

    private static final java.util.Set<String> GATE_VARIABLES = java.util.Set.of("app", "revision", "role", "window");

    private final String name;
    private final PromQlTemplate expression;
    private final Condition condition;
    private final Duration window;
    private final Map<String, String> variables;
    private final MetricSource source;

    private PromQlGate(Builder b) {
        this.name = b.name;
        this.expression = b.expression;
        this.condition = b.condition;
        this.window = b.window;
        this.variables = Map.copyOf(b.variables);
        this.source = b.source;
    }

    /**
     * A gate named {@code promql} on {@code expression}.
     *
     * @param expression PromQL with variables, see the class comment
     * @param condition  what the number must meet
     * @return the gate, with the {@link Builder} defaults otherwise
     */
    public static PromQlGate of(String expression, Condition condition) {
        return builder(expression).condition(condition).build();
    }

    /**
     * Starts a gate on {@code expression}; the expression is parsed now, so a malformed one is refused here.
     *
     * @param expression PromQL with variables, see the class comment
     * @return a new builder
     */
    public static Builder builder(String expression) {
        return new Builder(expression);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * What the expression's number must meet.
     *
     * @return the condition given to the builder
     */
    public Condition condition() {
        return condition;
    }

    /**
     * The expression as it runs for {@code context}.
     *
     * @param context the rollout's application, candidate and instant
     * @return the PromQL sent to the metric source
     */
    public String render(GateContext context) {
        Map<String, String> values = new HashMap<>(variables);
        values.put("app", context.application());
        values.put("revision", context.candidate().name());
        values.put("role", "candidate");
        values.put("window", PromQl.duration(window));
        return expression.render(values);
    }

    /** Self-contained when it reads the rollout target's metric source, not one of its own. */
    @Override
    public boolean selfContained() {
        return source == null;
    }

    @Override
    public Measurement measure(GateContext context) {
        MetricSource metrics = source != null ? source : context.metrics();
        try {
            MetricValue value = metrics.query(render(context), context.now());
            return Gates.judge(name, condition, value, context.now());
        } catch (CutoverException | IllegalArgumentException e) {
            return new Measurement(name, Verdict.ERROR, Double.NaN, io.cutover.internal.Redaction.text(e.getMessage()), context.now());
        }
    }

    /**
     * Equal when the name, expression, condition, window and fixed variables are equal and both read
     * the target's metric source or the very same source of their own, so plans with the same PromQL
     * gates compare equal.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof PromQlGate g && name.equals(g.name) && expression.equals(g.expression)
                && condition.equals(g.condition) && window.equals(g.window) && variables.equals(g.variables)
                && source == g.source;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, expression, condition, window, variables, System.identityHashCode(source));
    }

    @Override
    public String toString() {
        return name + " " + condition + ": " + expression;
    }

    /** Builds a {@link PromQlGate}. Defaults: name {@code promql}, window 5 minutes, the target's metric source; a condition is required. */
    public static final class Builder {
        private final PromQlTemplate expression;
        private String name = "promql";
        private Condition condition;
        private Duration window = Gates.DEFAULT_WINDOW;
        private final Map<String, String> variables = new LinkedHashMap<>();
        private MetricSource source;

        private Builder(String expression) {
            this.expression = PromQlTemplate.of(expression);
        }

        /**
         * The gate's name, as measurements and events show it. Default {@code promql}.
         *
         * @param name a non-blank name
         * @return this builder
         */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("gate name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * What the number must meet; required.
         *
         * @param condition the condition
         * @return this builder
         */
        public Builder condition(Condition condition) {
            this.condition = Objects.requireNonNull(condition, "condition");
            return this;
        }

        /**
         * The number must be at least {@code min}.
         *
         * @param min the lowest passing value
         * @return this builder
         */
        public Builder atLeast(double min) {
            return condition(Condition.atLeast(min));
        }

        /**
         * The number must be at most {@code max}.
         *
         * @param max the highest passing value
         * @return this builder
         */
        public Builder atMost(double max) {
            return condition(Condition.atMost(max));
        }

        /**
         * The number must lie within {@code min..max}, both included.
         *
         * @param min the lowest passing value
         * @param max the highest passing value
         * @return this builder
         */
        public Builder between(double min, double max) {
            return condition(Condition.between(min, max));
        }

        /**
         * The value of {@code ${window}}. Default 5 minutes.
         *
         * @param window a positive whole number of milliseconds
         * @return this builder
         */
        public Builder window(Duration window) {
            PromQl.duration(window);
            this.window = window;
            return this;
        }

        /**
         * A variable with a fixed value, written safely like the built-in ones.
         *
         * @param name  the variable's name, a PromQL identifier other than the built-in ones
         * @param value its value
         * @return this builder
         */
        public Builder variable(String name, String value) {
            if (name == null || !name.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                throw new IllegalArgumentException("variable name must match [a-zA-Z_][a-zA-Z0-9_]*: '" + name + "'");
            }
            if (MetricTemplates.BUILT_IN.contains(name)) {
                throw new IllegalArgumentException("variable '" + name + "' is built in and cannot be redefined");
            }
            variables.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value of variable " + name));
            return this;
        }

        /**
         * Reads from this source instead of the rollout target's.
         *
         * @param source the source to query
         * @return this builder
         */
        public Builder source(MetricSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Builds the gate.
         *
         * @return an immutable gate
         * @throws IllegalArgumentException if no condition was given or the expression uses an unknown variable
         */
        public PromQlGate build() {
            if (condition == null) {
                throw new IllegalArgumentException("gate '" + name + "' needs a condition: atLeast, atMost or between");
            }
            for (String v : expression.variables()) {
                if (!variables.containsKey(v) && !GATE_VARIABLES.contains(v)) {
                    throw new IllegalArgumentException("expression uses unknown variable '" + v + "'; known: "
                            + new java.util.TreeSet<>(GATE_VARIABLES) + " and " + variables.keySet());
                }
            }
            return new PromQlGate(this);
        }
    }
}
