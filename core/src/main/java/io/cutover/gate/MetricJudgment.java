package io.cutover.gate;

/**
 * How one metric of a {@link BaselineComparison} came out in one round.
 *
 * @param metric         the metric compared
 * @param classification what the comparison found
 * @param failing        whether it counts against the score: HIGH or LOW in a harmful direction, or no data under {@link MissingData#FAIL}
 * @param pValue         the Mann-Whitney p-value (one-sided in the harmful direction, two-sided for {@link Direction#EITHER}); NaN without data
 * @param shift          the Hodges-Lehmann estimate of candidate minus baseline; NaN without data
 * @param lower          the lower end of the shift's confidence interval
 * @param upper          the upper end of the shift's confidence interval
 * @param effectSize     the candidate's mean over the baseline's mean; NaN without data
 * @param candidateCount samples of the candidate used
 * @param baselineCount  samples of the baseline used
 * @param reason         why, in words
 */
public record MetricJudgment(ComparedMetric metric, Classification classification, boolean failing, double pValue,
                             double shift, double lower, double upper, double effectSize, int candidateCount,
                             int baselineCount, String reason) {

    @Override
    public String toString() {
        return metric.name() + " " + classification + (failing ? " (fails)" : "") + ": " + reason
                + " [p=" + fmt(pValue) + ", shift " + fmt(shift) + " in [" + fmt(lower) + ", " + fmt(upper) + "], ratio "
                + fmt(effectSize) + ", n=" + candidateCount + "/" + baselineCount + "]";
    }

    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }
}
