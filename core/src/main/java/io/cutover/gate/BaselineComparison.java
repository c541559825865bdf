package io.cutover.gate;

import io.cutover.internal.Checks;
import io.cutover.spi.MetricSamples;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A statistical judge: compares the candidate with the live stable revision serving the same traffic,
 * metric by metric, the way Spinnaker's Kayenta judges a canary.
 *
 * <pre>{@code
 * Gate judge = BaselineComparison.builder()
 *         .metric(ComparedMetric.of("p99", Measure.latency(0.99)).higherIsWorse())
 *         .metric(ComparedMetric.of("errors", Measure.errorRate()).higherIsWorse().critical())
 *         .build();
 * }</pre>
 *
 * <p>Each round reads, for every metric, the per-{@code step} samples of both revisions over the
 * {@code window} (only the intervals both have, without NaN), and runs a Mann-Whitney U test
 * ({@link MannWhitneyShift}). A metric is HIGH when the p-value in the harmful direction is below
 * {@code 1 - confidence}, the whole confidence interval of the Hodges-Lehmann shift lies above
 * {@code tolerance} times the estimate's size, and the mean ratio reaches the metric's allowed increase
 * (LOW alike, downwards). Identical samples pass. Too few samples for an interval at this confidence
 * (fewer than 5 a side at 0.98) is no data.
 *
 * <p>Each group scores the share of its counted metrics that pass (0-100); the total is the groups'
 * weighted mean. At or above {@code passThreshold}: PASSED; at or above {@code marginalThreshold}:
 * INCONCLUSIVE; below: FAILED. A critical metric failing is FAILED with score 0. Missing data never
 * passes: under {@link MissingData#INCONCLUSIVE} the verdict is at best INCONCLUSIVE. A source that
 * throws, or an infinite sample, is an ERROR. Every round is one test; the policy counts its verdicts.
 *
 * <p>Defaults: confidence 0.98, tolerance 0.25, thresholds 75 (marginal) and 95 (pass), step 10
 * seconds, window 5 minutes.
 */
public final class BaselineComparison implements Gate {

    private final List<ComparedMetric> metrics;
    private final double confidence;
    private final double tolerance;
    private final double marginalThreshold;
    private final double passThreshold;
    private final Duration step;
    private final Duration window;

    private BaselineComparison(Builder b) {
        this.metrics = List.copyOf(b.metrics);
        this.confidence = b.confidence;
        this.tolerance = b.tolerance;
        this.marginalThreshold = b.marginalThreshold;
        this.passThreshold = b.passThreshold;
        this.step = b.step;
        this.window = b.window;
    }

    /**
     * Starts a comparison with the defaults listed on the class; at least one metric is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this comparison's settings, to derive a changed copy.
     *
     * @return a new builder with these settings
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.metrics.addAll(metrics);
        return b.confidence(confidence).tolerance(tolerance).thresholds(marginalThreshold, passThreshold).step(step).window(window);
    }

    /**
     * The metrics compared, in the order given.
     *
     * @return the metrics
     */
    public List<ComparedMetric> metrics() { return metrics; }
    /**
     * The confidence level of each metric's interval. Default 0.98.
     *
     * @return a number in (0.5, 1)
     */
    public double confidence() { return confidence; }
    /**
     * The share of the shift's estimate the interval must clear before a difference counts. Default 0.25.
     *
     * @return a number in [0, 1)
     */
    public double tolerance() { return tolerance; }
    /**
     * The score from which a judgment is marginal (INCONCLUSIVE) rather than FAILED. Default 75.
     *
     * @return a score, 0 to 100
     */
    public double marginalThreshold() { return marginalThreshold; }
    /**
     * The score from which a judgment passes. Default 95.
     *
     * @return a score, 0 to 100
     */
    public double passThreshold() { return passThreshold; }
    /**
     * The interval of one sample. Default 10 seconds.
     *
     * @return the step
     */
    public Duration step() { return step; }
    /**
     * How far back each round looks. Default 5 minutes.
     *
     * @return the window
     */
    public Duration window() { return window; }

    @Override
    public String name() {
        return "baseline-comparison";
    }

    /** Reads only the rollout target's metric source: safe to run in a sealed simulation. */
    @Override
    public boolean selfContained() {
        return true;
    }

    @Override
    public Measurement measure(GateContext context) {
        Instant at = context.now();
        List<MetricJudgment> judged = new ArrayList<>();
        for (ComparedMetric metric : metrics) {
            MetricSamples candidate = context.metrics().samples(context.candidateQuery(window), metric.measure(), step);
            MetricSamples baseline = context.metrics().samples(context.baselineQuery(window), metric.measure(), step);
            if (candidate == null || baseline == null) {
                return new Measurement(name(), Verdict.ERROR, Double.NaN, "the metric source returned no answer for " + metric.name(), at);
            }
            String infinite = infinite(candidate, "candidate") + infinite(baseline, "baseline");
            if (!infinite.isEmpty()) {
                return new Measurement(name(), Verdict.ERROR, Double.NaN, metric.name() + ": " + infinite.trim(), at);
            }
            judged.add(MetricClassifier.classify(metric, candidate, baseline, confidence, tolerance));
        }
        return verdict(judged, at);
    }

    private Measurement verdict(List<MetricJudgment> judged, Instant at) {
        Map<String, double[]> groups = new LinkedHashMap<>(); // group -> {passing, counted, weight}
        List<String> critical = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (MetricJudgment j : judged) {
            ComparedMetric m = j.metric();
            double[] g = groups.computeIfAbsent(m.group(), k -> new double[] {0, 0, m.weight()});
            if (j.classification() == Classification.NODATA && !j.failing()) {
                if (m.missingData() == MissingData.INCONCLUSIVE) {
                    missing.add(m.name());
                }
                continue;
            }
            g[1]++;
            if (!j.failing()) {
                g[0]++;
            } else if (m.isCritical()) {
                critical.add(m.name());
            }
        }
        double weighted = 0;
        double weights = 0;
        for (double[] g : groups.values()) {
            if (g[1] > 0) {
                weighted += g[2] * 100 * g[0] / g[1];
                weights += g[2];
            }
        }
        String detail = judged.stream().map(MetricJudgment::toString).collect(Collectors.joining("; "));
        if (!critical.isEmpty()) {
            return new Measurement(name(), Verdict.FAILED, 0, "critical metric " + String.join(", ", critical)
                    + " failed, score 0; " + detail, at);
        }
        if (weights == 0) {
            return new Measurement(name(), Verdict.INCONCLUSIVE, Double.NaN, "no metric could be compared; " + detail, at);
        }
        double score = weighted / weights;
        Verdict v = score >= passThreshold ? Verdict.PASSED : score >= marginalThreshold ? Verdict.INCONCLUSIVE : Verdict.FAILED;
        String why = "score " + MetricJudgment.fmt(score) + (v == Verdict.PASSED ? " reaches pass " + passThreshold
                : v == Verdict.INCONCLUSIVE ? " is marginal (" + marginalThreshold + " to " + passThreshold + ")"
                : " is below marginal " + marginalThreshold);
        if (v == Verdict.PASSED && !missing.isEmpty()) {
            v = Verdict.INCONCLUSIVE;
            why += ", but " + String.join(", ", missing) + " had no data";
        }
        return new Measurement(name(), v, score, why + "; " + detail, at);
    }

    private static String infinite(MetricSamples samples, String side) {
        for (MetricSamples.Point p : samples.points()) {
            if (Double.isInfinite(p.value())) {
                return side + " sample at " + p.at() + " is " + p.value() + " ";
            }
        }
        return "";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BaselineComparison c && metrics.equals(c.metrics) && confidence == c.confidence
                && tolerance == c.tolerance && marginalThreshold == c.marginalThreshold && passThreshold == c.passThreshold
                && step.equals(c.step) && window.equals(c.window);
    }

    @Override
    public int hashCode() {
        return Objects.hash(metrics, confidence, tolerance, marginalThreshold, passThreshold, step, window);
    }

    @Override
    public String toString() {
        return name() + " " + metrics + " at confidence " + confidence + ", tolerance " + tolerance + ", thresholds "
                + marginalThreshold + "/" + passThreshold + ", step " + step + " over " + window;
    }

    /** Builds a {@link BaselineComparison}; the defaults are listed on the class. */
    public static final class Builder {
        private final List<ComparedMetric> metrics = new ArrayList<>();
        private double confidence = 0.98;
        private double tolerance = 0.25;
        private double marginalThreshold = 75;
        private double passThreshold = 95;
        private Duration step = Duration.ofSeconds(10);
        private Duration window = Gates.DEFAULT_WINDOW;

        private Builder() { }

        /**
         * Adds a metric to compare; its weight and direction come with it.
         *
         * @param metric the metric
         * @return this builder
         */
        public Builder metric(ComparedMetric metric) {
            metrics.add(Objects.requireNonNull(metric, "metric"));
            return this;
        }

        /**
         * The confidence level of the shift's interval, in (0.5, 1); the significance level is one minus it.
         *
         * @param confidence strictly between 0.5 and 1
         * @return this builder
         */
        public Builder confidence(double confidence) {
            if (!(confidence > 0.5 && confidence < 1)) {
                throw new IllegalArgumentException("confidence must be strictly between 0.5 and 1: " + confidence);
            }
            this.confidence = confidence;
            return this;
        }

        /**
         * The share of the shift's estimate the whole interval must clear before a difference counts, in [0, 1).
         *
         * @param tolerance at least 0, below 1
         * @return this builder
         */
        public Builder tolerance(double tolerance) {
            if (!(tolerance >= 0 && tolerance < 1)) {
                throw new IllegalArgumentException("tolerance must be in [0, 1): " + tolerance);
            }
            this.tolerance = tolerance;
            return this;
        }

        /**
         * Scores (0-100) from which a judgment is marginal (INCONCLUSIVE) and from which it passes.
         *
         * @param marginal the marginal score, 0 to 100
         * @param pass     the passing score, from {@code marginal} to 100
         * @return this builder
         */
        public Builder thresholds(double marginal, double pass) {
            if (!(marginal >= 0 && marginal <= 100)) {
                throw new IllegalArgumentException("marginal threshold must be in [0, 100]: " + marginal);
            }
            if (!(pass >= marginal && pass <= 100)) {
                throw new IllegalArgumentException("pass threshold must be in [marginal " + marginal + ", 100]: " + pass);
            }
            this.marginalThreshold = marginal;
            this.passThreshold = pass;
            return this;
        }

        /**
         * The interval of one sample.
         *
         * @param step above zero, at most the window
         * @return this builder
         */
        public Builder step(Duration step) {
            this.step = Checks.positive("step", step);
            return this;
        }

        /**
         * How far back each round looks.
         *
         * @param window above zero
         * @return this builder
         */
        public Builder window(Duration window) {
            this.window = Checks.positive("window", window);
            return this;
        }

        /**
         * Builds the comparison.
         *
         * @return the gate
         * @throws IllegalArgumentException if no metric was given or the step is longer than the window
         */
        public BaselineComparison build() {
            if (metrics.isEmpty()) {
                throw new IllegalArgumentException("metrics must not be empty: a baseline comparison needs at least one metric");
            }
            if (step.compareTo(window) > 0) {
                throw new IllegalArgumentException("step " + step + " must not exceed window " + window);
            }
            Map<String, Double> weights = new HashMap<>();
            Map<String, String> names = new HashMap<>();
            for (ComparedMetric m : metrics) {
                if (names.put(m.name(), m.name()) != null) {
                    throw new IllegalArgumentException("metric names must be unique: " + m.name() + " appears twice");
                }
                Double w = weights.putIfAbsent(m.group(), m.weight());
                if (w != null && w != m.weight()) {
                    throw new IllegalArgumentException("weight of group " + m.group() + " must be the same for every metric: "
                            + m.name() + " gives " + m.weight() + ", another " + w);
                }
            }
            return new BaselineComparison(this);
        }
    }
}
