package io.cutover.gate;

import io.cutover.internal.Checks;
import io.cutover.spi.Health;
import io.cutover.spi.MetricValue;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The gates a plan can wait on, made for static import.
 *
 * <pre>{@code
 * import static io.cutover.gate.Gates.*;
 *
 * Deployment.canary().steps(10, 50).gate(successRate(0.95)).gate(latency(0.99, Duration.ofMillis(300)))
 * }</pre>
 *
 * <p>Every gate reads the candidate over a 5-minute window unless told otherwise. Only a finite
 * number that meets the condition passes: no data and NaN are INCONCLUSIVE, infinities FAILED
 * (or ERROR when the condition would hold), and a source that throws gives ERROR.
 */
public final class Gates {

    /** The window metric gates read when none is given. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    private Gates() { }

    /**
     * The candidate's share of non-5xx responses must be at least {@code min} (0..1).
     *
     * @param min the lowest passing share, 0 to 1
     * @return a gate named {@code success-rate} over the last 5 minutes
     */
    public static Gate successRate(double min) {
        return successRate(min, DEFAULT_WINDOW);
    }

    /**
     * The candidate's share of non-5xx responses over {@code window} must be at least {@code min}.
     *
     * @param min    the lowest passing share, 0 to 1
     * @param window how far back the source looks, above zero
     * @return a gate named {@code success-rate}
     */
    public static Gate successRate(double min, Duration window) {
        Checks.fraction("successRate threshold", min);
        return new MetricGate("success-rate", Condition.atLeast(min), Checks.positive("window", window), "success-rate",
                (ctx, w) -> ctx.metrics().successRate(ctx.candidateQuery(w)));
    }

    /**
     * The candidate's share of 5xx responses must be at most {@code max} (0..1).
     *
     * @param max the highest passing share, 0 to 1
     * @return a gate named {@code error-rate} over the last 5 minutes
     */
    public static Gate errorRate(double max) {
        return errorRate(max, DEFAULT_WINDOW);
    }

    /**
     * The candidate's share of 5xx responses over {@code window} must be at most {@code max}.
     *
     * @param max    the highest passing share, 0 to 1
     * @param window how far back the source looks, above zero
     * @return a gate named {@code error-rate}
     */
    public static Gate errorRate(double max, Duration window) {
        Checks.fraction("errorRate threshold", max);
        return new MetricGate("error-rate", Condition.atMost(max), Checks.positive("window", window), "error-rate",
                (ctx, w) -> ctx.metrics().errorRate(ctx.candidateQuery(w)));
    }

    /**
     * The candidate's {@code quantile} latency (for example 0.99) must be at most {@code max}.
     *
     * @param quantile the quantile, strictly between 0 and 1
     * @param max      the slowest passing latency, above zero
     * @return a gate named {@code latency-p99} (for 0.99) over the last 5 minutes
     */
    public static Gate latency(double quantile, Duration max) {
        return latency(quantile, max, DEFAULT_WINDOW);
    }

    /**
     * The candidate's {@code quantile} latency over {@code window} must be at most {@code max}.
     *
     * @param quantile the quantile, strictly between 0 and 1
     * @param max      the slowest passing latency, above zero
     * @param window   how far back the source looks, above zero
     * @return a gate named after the quantile, such as {@code latency-p99}
     */
    public static Gate latency(double quantile, Duration max, Duration window) {
        if (!(quantile > 0 && quantile < 1)) {
            throw new IllegalArgumentException("latency quantile must be strictly between 0 and 1: " + quantile);
        }
        Checks.positive("latency max", max);
        double seconds = max.toNanos() / 1e9;
        return new MetricGate("latency-p" + quantileLabel(quantile), Condition.atMost(seconds), Checks.positive("window", window),
                "latency:" + quantile, (ctx, w) -> ctx.metrics().latency(ctx.candidateQuery(w), quantile));
    }

    /**
     * The candidate must serve at least {@code min} requests per second (guards against gates passing on no traffic).
     *
     * @param min the lowest passing rate in requests per second, 0 or more
     * @return a gate named {@code request-rate} over the last 5 minutes
     */
    public static Gate requestRate(double min) {
        if (!(min >= 0) || Double.isInfinite(min)) {
            throw new IllegalArgumentException("requestRate min must be a non-negative number: " + min);
        }
        return new MetricGate("request-rate", Condition.atLeast(min), DEFAULT_WINDOW, "request-rate",
                (ctx, w) -> ctx.metrics().requestRate(ctx.candidateQuery(w)));
    }

    /**
     * A raw query in the metric source's language, which must yield one number meeting {@code condition}.
     *
     * @param expression the query, run as written at the measuring instant
     * @param condition  what the number must meet
     * @return a gate named {@code query}
     */
    public static Gate query(String expression, Condition condition) {
        return query("query", expression, condition);
    }

    /**
     * A raw query, as {@link #query(String, Condition)}, under a name of its own.
     *
     * @param name       the gate's name in measurements and events
     * @param expression the query, run as written at the measuring instant
     * @param condition  what the number must meet
     * @return the gate
     */
    public static Gate query(String name, String expression, Condition condition) {
        Checks.notNull("name", name);
        Checks.notNull("condition", condition);
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("query expression must not be blank");
        }
        return new MetricGate(name, condition, DEFAULT_WINDOW, "query:" + expression,
                (ctx, w) -> ctx.metrics().query(expression, ctx.now()));
    }

    /**
     * A statistical judge of the candidate against the live stable revision over {@code metrics}, with
     * the defaults of {@link BaselineComparison} (confidence 0.98, tolerance 0.25, thresholds 75/95, 10-second
     * samples over 5 minutes). Use {@link BaselineComparison#builder()} to change them.
     *
     * @param metrics the metrics compared, one or more
     * @return the comparison gate
     */
    public static BaselineComparison compare(ComparedMetric... metrics) {
        BaselineComparison.Builder b = BaselineComparison.builder();
        for (ComparedMetric m : metrics) {
            b.metric(m);
        }
        return b.build();
    }

    /**
     * Early detection of a candidate that errs more than stable: a sequential probability ratio test with the
     * defaults of {@link SequentialErrors} (catches twice stable's error rate; false-abort rate 0.01, miss rate 0.05).
     *
     * @return the sequential test gate
     */
    public static SequentialErrors sequentialErrors() {
        return SequentialErrors.builder().build();
    }

    /**
     * The candidate's health probe must report it ready. Every health gate equals every other.
     *
     * @return the health gate
     */
    public static Gate health() {
        return new HealthGate();
    }

    /** The health gate: a value without settings. */
    private record HealthGate() implements Gate {

        @Override
        public String name() {
            return "health";
        }

        @Override
        public boolean selfContained() {
            return true;
        }

        @Override
        public Measurement measure(GateContext ctx) {
            Health h = ctx.health().check(ctx.candidate());
            Verdict v = h.ready() ? Verdict.PASSED : Verdict.FAILED;
            return new Measurement("health", v, h.ready() ? 1 : 0, h.detail(), ctx.now());
        }

        @Override
        public String toString() {
            return "health";
        }
    }

    /**
     * Turns what a source answered into a verdict: the single place where the rules above live, so
     * every gate (and every adapter's own gates) judges alike.
     *
     * @param gate      the gate's name, for the measurement
     * @param condition what a passing value meets
     * @param value     what the source answered: a number or no data
     * @param at        the measuring instant
     * @return PASSED only for a finite value meeting the condition; INCONCLUSIVE for no data or NaN;
     *         FAILED for a finite value that misses, or an infinite one beyond a finite bound; ERROR for an
     *         infinite value an open bound would let through
     */
    public static Measurement judge(String gate, Condition condition, MetricValue value, Instant at) {
        if (value instanceof MetricValue.NoData noData) {
            return new Measurement(gate, Verdict.INCONCLUSIVE, Double.NaN, "no data: " + noData.reason(), at);
        }
        double v = ((MetricValue.Sample) value).value();
        if (Double.isNaN(v)) {
            return new Measurement(gate, Verdict.INCONCLUSIVE, v, "value is NaN (no requests in the window?)", at);
        }
        if (Double.isInfinite(v)) {
            boolean wouldHold = v > 0 ? condition.max() == Double.POSITIVE_INFINITY : condition.min() == Double.NEGATIVE_INFINITY;
            return new Measurement(gate, wouldHold ? Verdict.ERROR : Verdict.FAILED, v, "value is " + v + ", expected " + condition, at);
        }
        boolean ok = condition.test(v);
        return new Measurement(gate, ok ? Verdict.PASSED : Verdict.FAILED, v, readable(v) + (ok ? " meets " : " misses ") + condition, at);
    }

    /** Four decimals: enough for people; the exact value stays in the measurement. */
    static String readable(double v) {
        double rounded = Math.abs(v) < 1e12 ? Math.round(v * 10_000) / 10_000.0 : v;
        return Double.toString(rounded);
    }

    private static String quantileLabel(double q) {
        String s = Double.toString(q * 100);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
