package io.cutover.gate;

import io.cutover.internal.Checks;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricValue;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Early detection: Wald's sequential probability ratio test on the candidate's errors against the live
 * stable revision's, so a candidate that is plainly broken is stopped as soon as the evidence is
 * overwhelming, long before a fixed-interval judgment.
 *
 * <pre>{@code
 * Deployment.canary().steps(10, 50)
 *         .analysis(GatePolicy.builder().interval(Duration.ofSeconds(5)).build())
 *         .gate(SequentialErrors.builder().build())
 * }</pre>
 *
 * <p>Each look reads both revisions' request and error counts over the window (request rate times the
 * window, times the error rate). Given the errors both made, the candidate's share of them is binomial:
 * with equal error rates (H0) it is the candidate's share of requests, with the candidate's rate
 * {@code ratio} times stable's (H1) it is larger. When the log-likelihood ratio of H1 to H0 reaches
 * log((1 - beta) / alpha), the verdict is FAILED: the chance that an equal candidate is stopped is at
 * most about {@code alpha} over any number of looks, and a candidate {@code ratio} times worse goes
 * unstopped with a chance of about {@code beta}. Otherwise it is PASSED, meaning only "not proven
 * worse": this test never argues for promotion; pair it with a judgment such as
 * {@link BaselineComparison}. No requests on a side, NaN or infinities are INCONCLUSIVE, a failing source ERROR.
 *
 * <p>Looks are cheap and do not inflate the error rates (that is what a sequential test is for), so
 * give it a short policy interval. The counts cover the window, so once a rollout runs longer than the
 * window the test sees a sliding window and its error rates hold only approximately.
 *
 * <p>Defaults: ratio 2, alpha 0.01, beta 0.05, window 1 hour.
 */
public final class SequentialErrors implements Gate {

    private final double ratio;
    private final double alpha;
    private final double beta;
    private final Duration window;

    private SequentialErrors(Builder b) {
        this.ratio = b.ratio;
        this.alpha = b.alpha;
        this.beta = b.beta;
        this.window = b.window;
    }

    /**
     * Starts a test with the defaults listed on the class.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How many times stable's error rate the test is built to catch. Default 2.
     *
     * @return the ratio, above 1
     */
    public double ratio() { return ratio; }
    /**
     * The chance of stopping a candidate as good as stable. Default 0.01.
     *
     * @return a number in (0, 0.5)
     */
    public double alpha() { return alpha; }
    /**
     * The chance of missing a candidate {@link #ratio()} times worse. Default 0.05.
     *
     * @return a number in (0, 0.5)
     */
    public double beta() { return beta; }
    /**
     * How far back the counts reach. Default 1 hour.
     *
     * @return the window
     */
    public Duration window() { return window; }

    /**
     * The log-likelihood ratio at which the candidate is stopped: log((1 - beta) / alpha).
     *
     * @return the boundary, above zero
     */
    public double abortBoundary() {
        return Math.log((1 - beta) / alpha);
    }

    @Override
    public String name() {
        return "sequential-errors";
    }

    /** Reads only the rollout target's metric source: safe to run in a sealed simulation. */
    @Override
    public boolean selfContained() {
        return true;
    }

    @Override
    public Measurement measure(GateContext context) {
        double[] candidate = counts(context, context.candidateQuery(window));
        double[] baseline = counts(context, context.baselineQuery(window));
        String missing = missing(candidate, "candidate") + missing(baseline, "baseline");
        if (!missing.isEmpty()) {
            return new Measurement(name(), Verdict.INCONCLUSIVE, Double.NaN, missing.trim(), context.now());
        }
        double llr = logLikelihoodRatio(candidate[0], candidate[1], baseline[0], baseline[1], ratio);
        String counts = String.format(Locale.ROOT, "candidate %.0f errors in %.0f requests, baseline %.0f in %.0f",
                candidate[1], candidate[0], baseline[1], baseline[0]);
        double a = abortBoundary();
        if (llr >= a) {
            return new Measurement(name(), Verdict.FAILED, llr, String.format(Locale.ROOT,
                    "log-likelihood ratio %.2f reached %.2f: the candidate's error rate is %s times stable's or worse "
                            + "(false-abort rate %s, miss rate %s); %s", llr, a, ratio, alpha, beta, counts), context.now());
        }
        return new Measurement(name(), Verdict.PASSED, llr, String.format(Locale.ROOT,
                "not proven worse: log-likelihood ratio %.2f below %.2f; %s", llr, a, counts), context.now());
    }

    /**
     * The log-likelihood ratio of "the candidate errs {@code ratio} times as often" against "as often", from the
     * candidate's share of all errors given each side's requests.
     */
    static double logLikelihoodRatio(double candidateRequests, double candidateErrors, double baselineRequests,
                                     double baselineErrors, double ratio) {
        double share0 = candidateRequests / (candidateRequests + baselineRequests);
        double share1 = ratio * candidateRequests / (ratio * candidateRequests + baselineRequests);
        return candidateErrors * Math.log(share1 / share0) + baselineErrors * Math.log((1 - share1) / (1 - share0));
    }

    /** {requests, errors} over the window, or NaNs when the source has none. */
    private static double[] counts(GateContext context, MetricQuery query) {
        MetricValue rate = context.metrics().requestRate(query);
        MetricValue errors = context.metrics().errorRate(query);
        double r = rate instanceof MetricValue.Sample s ? s.value() : Double.NaN;
        double e = errors instanceof MetricValue.Sample s ? s.value() : Double.NaN;
        double requests = r * query.window().toNanos() / 1e9;
        return new double[] {requests, requests * e};
    }

    private static String missing(double[] counts, String side) {
        if (!Double.isFinite(counts[0]) || !Double.isFinite(counts[1]) || counts[1] < 0) {
            return "no usable counts for the " + side + " (" + counts[0] + " requests, " + counts[1] + " errors) ";
        }
        return counts[0] > 0 ? "" : "no requests to the " + side + " in " + "the window ";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequentialErrors t && ratio == t.ratio && alpha == t.alpha && beta == t.beta && window.equals(t.window);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ratio, alpha, beta, window);
    }

    @Override
    public String toString() {
        return name() + " ratio " + ratio + " alpha " + alpha + " beta " + beta + " over " + window;
    }

    /** Builds a {@link SequentialErrors}; defaults on the class. */
    public static final class Builder {
        private double ratio = 2;
        private double alpha = 0.01;
        private double beta = 0.05;
        private Duration window = Duration.ofHours(1);

        private Builder() { }

        /**
         * How many times stable's error rate the test is built to catch; above 1.
         *
         * @param ratio above 1
         * @return this builder
         */
        public Builder ratio(double ratio) {
            if (!(ratio > 1) || Double.isInfinite(ratio)) {
                throw new IllegalArgumentException("ratio must be a number above 1: " + ratio);
            }
            this.ratio = ratio;
            return this;
        }

        /**
         * The chance of stopping a candidate as good as stable, in (0, 0.5).
         *
         * @param alpha strictly between 0 and 0.5
         * @return this builder
         */
        public Builder alpha(double alpha) {
            if (!(alpha > 0 && alpha < 0.5)) {
                throw new IllegalArgumentException("alpha must be in (0, 0.5): " + alpha);
            }
            this.alpha = alpha;
            return this;
        }

        /**
         * The chance of missing a candidate {@code ratio} times worse, in (0, 0.5).
         *
         * @param beta strictly between 0 and 0.5
         * @return this builder
         */
        public Builder beta(double beta) {
            if (!(beta > 0 && beta < 0.5)) {
                throw new IllegalArgumentException("beta must be in (0, 0.5): " + beta);
            }
            this.beta = beta;
            return this;
        }

        /**
         * How far back the counts reach; longer than the rollout keeps the test exact.
         *
         * @param window above zero
         * @return this builder
         */
        public Builder window(Duration window) {
            this.window = Checks.positive("window", window);
            return this;
        }

        /**
         * Builds the test.
         *
         * @return the gate
         */
        public SequentialErrors build() {
            return new SequentialErrors(this);
        }
    }
}
