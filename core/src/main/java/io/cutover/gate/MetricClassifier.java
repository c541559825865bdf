package io.cutover.gate;

import io.cutover.spi.MetricSamples;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.statistics.inference.AlternativeHypothesis;

/** Classifies one metric's candidate samples against its baseline samples: every rule of the judge's per-metric step. */
final class MetricClassifier {

    private MetricClassifier() { }

    static MetricJudgment classify(ComparedMetric metric, MetricSamples candidateSamples, MetricSamples baselineSamples,
                                   double confidence, double tolerance) {
        if (candidateSamples.isEmpty() || baselineSamples.isEmpty()) {
            String why = candidateSamples.isEmpty() ? "candidate: " + candidateSamples.noDataReason()
                    : "baseline: " + baselineSamples.noDataReason();
            return noData(metric, 0, 0, "no data (" + why + ")");
        }
        // the same intervals on both sides, without intervals that measured nothing
        Map<Instant, Double> base = new HashMap<>();
        for (MetricSamples.Point p : baselineSamples.points()) {
            base.put(p.at(), p.value());
        }
        double[] c = new double[candidateSamples.points().size()];
        double[] b = new double[c.length];
        int n = 0;
        int dropped = 0;
        for (MetricSamples.Point p : candidateSamples.points()) {
            Double other = base.get(p.at());
            if (other == null) {
                continue;
            }
            if (Double.isNaN(p.value()) || Double.isNaN(other)) {
                dropped++;
                continue;
            }
            c[n] = p.value();
            b[n] = other;
            n++;
        }
        c = Arrays.copyOf(c, n);
        b = Arrays.copyOf(b, n);
        String nan = dropped == 0 ? "" : ", " + dropped + " NaN intervals left out";
        if (n == 0) {
            return noData(metric, 0, 0, "no interval with values on both sides" + nan);
        }
        double[] sortedC = c.clone();
        double[] sortedB = b.clone();
        Arrays.sort(sortedC);
        Arrays.sort(sortedB);
        double ratio = ratio(mean(c), mean(b));
        if (Arrays.equals(sortedC, sortedB)) {
            return new MetricJudgment(metric, Classification.PASS, false, 1, 0, 0, 0, ratio, n, n, "identical samples" + nan);
        }
        AlternativeHypothesis alternative = switch (metric.direction()) {
            case HIGHER_IS_WORSE -> AlternativeHypothesis.GREATER_THAN;
            case LOWER_IS_WORSE -> AlternativeHypothesis.LESS_THAN;
            case EITHER -> AlternativeHypothesis.TWO_SIDED;
        };
        MannWhitneyShift.Result r = MannWhitneyShift.test(c, b, alternative, confidence);
        String method = r.exact() ? "exact" : "normal approximation";
        if (!r.intervalBounded()) {
            return new MetricJudgment(metric, Classification.NODATA, metric.missingData() == MissingData.FAIL, r.pValue(),
                    r.estimate(), r.lower(), r.upper(), ratio, n, n,
                    "too few samples (" + n + " a side) for a " + confidence + " interval" + nan);
        }
        double alpha = 1 - confidence;
        double bound = tolerance * Math.abs(r.estimate());
        boolean significant = r.pValue() < alpha;
        boolean mayBeHigh = metric.direction() != Direction.LOWER_IS_WORSE;
        boolean mayBeLow = metric.direction() != Direction.HIGHER_IS_WORSE;
        if (mayBeHigh && significant && r.lower() > bound && ratio >= metric.allowedIncrease()) {
            return judged(metric, Classification.HIGH, true, r, ratio, n, "higher: interval above +" + MetricJudgment.fmt(bound)
                    + ", p " + MetricJudgment.fmt(r.pValue()) + " < " + MetricJudgment.fmt(alpha) + " (" + method + ")" + nan);
        }
        if (mayBeLow && significant && r.upper() < -bound && ratio <= metric.allowedDecrease()) {
            return judged(metric, Classification.LOW, true, r, ratio, n, "lower: interval below -" + MetricJudgment.fmt(bound)
                    + ", p " + MetricJudgment.fmt(r.pValue()) + " < " + MetricJudgment.fmt(alpha) + " (" + method + ")" + nan);
        }
        String why;
        if (!significant) {
            why = "no significant difference: p " + MetricJudgment.fmt(r.pValue()) + " >= " + MetricJudgment.fmt(alpha);
        } else if (mayBeHigh && r.lower() > bound) {
            why = "higher, but the mean ratio " + MetricJudgment.fmt(ratio) + " is within the allowed x" + metric.allowedIncrease();
        } else if (mayBeLow && r.upper() < -bound) {
            why = "lower, but the mean ratio " + MetricJudgment.fmt(ratio) + " is within the allowed x" + metric.allowedDecrease();
        } else {
            why = "the interval does not clear the tolerance of " + MetricJudgment.fmt(bound) + " in a harmful direction";
        }
        return judged(metric, Classification.PASS, false, r, ratio, n, why + " (" + method + ")" + nan);
    }

    private static MetricJudgment judged(ComparedMetric metric, Classification cls, boolean failing, MannWhitneyShift.Result r,
                                         double ratio, int n, String why) {
        return new MetricJudgment(metric, cls, failing, r.pValue(), r.estimate(), r.lower(), r.upper(), ratio, n, n, why);
    }

    private static MetricJudgment noData(ComparedMetric metric, int candidate, int baseline, String why) {
        return new MetricJudgment(metric, Classification.NODATA, metric.missingData() == MissingData.FAIL, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, candidate, baseline, why);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Kayenta's effect size: the candidate's mean over the baseline's; 1 when both are 0, +infinity over a 0 baseline. */
    static double ratio(double candidate, double baseline) {
        if (baseline == 0) {
            return candidate == 0 ? 1 : candidate > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }
        return candidate / baseline;
    }
}
