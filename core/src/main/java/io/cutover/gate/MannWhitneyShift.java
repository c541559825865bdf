package io.cutover.gate;

import java.util.Arrays;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.ContinuityCorrection;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * The Mann-Whitney U test of a candidate sample against a baseline sample, with the Hodges-Lehmann
 * estimate of the location shift (candidate minus baseline) and its confidence interval.
 *
 * <p>The U statistic and its p-value come from Apache Commons Statistics, with the tie correction and the
 * continuity correction. The method is exact when neither sample reaches 50 values and there are no ties,
 * the normal approximation otherwise (when every value is tied, the p-value is 1, as SciPy's); the interval uses the same method as the p-value: the order
 * statistics of the pairwise differences whose ranks the U distribution (exact or approximated) gives.
 */
final class MannWhitneyShift {

    /** Below this many values in each sample, and without ties, p-values and intervals are exact. */
    static final int EXACT_BELOW = 50;

    private MannWhitneyShift() { }

    /**
     * The outcome for one pair of samples.
     *
     * @param u          the U statistic of the candidate
     * @param pValue     the p-value under the alternative asked for
     * @param exact      whether the exact distribution was used
     * @param estimate   the Hodges-Lehmann estimate of the shift: the median of the pairwise differences
     * @param lower      the lower end of the shift's confidence interval; -infinity when the samples are too small for it
     * @param upper      the upper end; +infinity when the samples are too small for it
     */
    record Result(double u, double pValue, boolean exact, double estimate, double lower, double upper) {

        boolean intervalBounded() {
            return Double.isFinite(lower) && Double.isFinite(upper);
        }
    }

    static Result test(double[] candidate, double[] baseline, AlternativeHypothesis alternative, double confidence) {
        int m = candidate.length;
        int n = baseline.length;
        if (m == 0 || n == 0) {
            throw new IllegalArgumentException("both samples need values: candidate " + m + ", baseline " + n);
        }
        boolean ties = hasTies(candidate, baseline);
        boolean exact = !ties && m < EXACT_BELOW && n < EXACT_BELOW;
        MannWhitneyUTest.Result r = MannWhitneyUTest.withDefaults()
                .with(alternative)
                .with(exact ? PValueMethod.EXACT : PValueMethod.ASYMPTOTIC)
                .with(ContinuityCorrection.ENABLED)
                .test(candidate, baseline);
        double[] diffs = new double[m * n];
        int k = 0;
        for (double c : candidate) {
            for (double b : baseline) {
                diffs[k++] = c - b;
            }
        }
        Arrays.sort(diffs);
        int len = diffs.length;
        double estimate = len % 2 == 1 ? diffs[len / 2] : (diffs[len / 2 - 1] + diffs[len / 2]) / 2;
        double alpha = 1 - confidence;
        int rank = exact ? exactRank(m, n, alpha / 2) : approximateRank(candidate, baseline, alpha / 2);
        double lower = rank >= 1 ? diffs[rank - 1] : Double.NEGATIVE_INFINITY;
        double upper = rank >= 1 ? diffs[len - rank] : Double.POSITIVE_INFINITY;
        // every value tied: the normal approximation has no variance and Commons answers NaN; there is no evidence of a shift
        double p = Double.isNaN(r.getPValue()) && diffs[0] == 0 && diffs[len - 1] == 0 ? 1 : r.getPValue();
        return new Result(r.getStatistic(), p, exact, estimate, lower, upper);
    }

    /**
     * The rank k (1-based) of the interval's lower end: the largest k with P(U &lt; k) at most {@code tail},
     * from the exact null distribution of U; 0 when even k = 1 exceeds it.
     */
    static int exactRank(int m, int n, double tail) {
        double[] p = exactDistribution(m, n);
        double cumulative = 0;
        int k = 0;
        while (k < p.length) {
            cumulative += p[k];
            if (cumulative > tail * (1 + 1e-12)) {
                break;
            }
            k++;
        }
        return k;
    }

    /** The probabilities P(U = u), u = 0..mn, for samples of m and n values without ties. */
    static double[] exactDistribution(int m, int n) {
        int max = m * n;
        // coefficients of the Gaussian binomial [m+n choose m]_q, built as the product over i of (1 - q^(n+i)) / (1 - q^i)
        double[] c = new double[max + 1];
        c[0] = 1;
        int degree = 0;
        for (int i = 1; i <= m; i++) {
            int mult = n + i;
            degree += n;
            for (int u = Math.min(degree + i, max); u >= mult; u--) {
                c[u] -= c[u - mult];
            }
            for (int u = i; u <= max; u++) {
                c[u] += c[u - i];
            }
        }
        double total = 0;
        for (double v : c) {
            total += v;
        }
        for (int u = 0; u <= max; u++) {
            c[u] = Math.max(0, c[u]) / total;
        }
        return c;
    }

    /**
     * The rank k from the normal approximation of U with the tie-corrected variance and the continuity
     * correction: the largest k with Phi((k - 1 + 0.5 - mn/2) / sd) at most {@code tail}.
     */
    static int approximateRank(double[] candidate, double[] baseline, double tail) {
        int m = candidate.length;
        int n = baseline.length;
        double total = m + n;
        double[] all = new double[m + n];
        System.arraycopy(candidate, 0, all, 0, m);
        System.arraycopy(baseline, 0, all, m, n);
        Arrays.sort(all);
        double tieSum = 0;
        for (int i = 0; i < all.length; ) {
            int j = i;
            while (j < all.length && all[j] == all[i]) {
                j++;
            }
            double t = j - i;
            tieSum += t * t * t - t;
            i = j;
        }
        double variance = (double) m * n / 12.0 * ((total + 1) - tieSum / (total * (total - 1)));
        if (!(variance > 0)) {
            return 0;
        }
        double z = NormalDistribution.of(0, 1).inverseSurvivalProbability(tail);
        double k = Math.floor((double) m * n / 2 - z * Math.sqrt(variance) + 0.5);
        return (int) Math.max(0, Math.min(k, (double) m * n / 2));
    }

    static boolean hasTies(double[] candidate, double[] baseline) {
        double[] all = new double[candidate.length + baseline.length];
        System.arraycopy(candidate, 0, all, 0, candidate.length);
        System.arraycopy(baseline, 0, all, candidate.length, baseline.length);
        Arrays.sort(all);
        for (int i = 1; i < all.length; i++) {
            if (all[i] == all[i - 1]) {
                return true;
            }
        }
        return false;
    }
}
