package io.cutover.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.Measure;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSamples;
import io.cutover.spi.MetricSource;
import io.cutover.spi.MetricValue;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BaselineComparisonTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final ComparedMetric LATENCY = ComparedMetric.of("p99", Measure.latency(0.99)).higherIsWorse();
    static final ComparedMetric ERRORS = ComparedMetric.of("errors", Measure.errorRate()).higherIsWorse();

    /** A source answering samples per role and measure; everything else is no data. */
    static final class Samples implements MetricSource {
        final Map<String, MetricSamples> answers = new HashMap<>();
        final List<MetricQuery> asked = new ArrayList<>();

        Samples put(Role role, Measure measure, double... values) {
            List<MetricSamples.Point> points = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                points.add(new MetricSamples.Point(NOW.minusSeconds(10L * (values.length - i)), values[i]));
            }
            answers.put(role + " " + measure, values.length == 0 ? MetricSamples.noData("no series") : MetricSamples.of(points));
            return this;
        }

        @Override
        public MetricSamples samples(MetricQuery query, Measure measure, Duration step) {
            asked.add(query);
            return answers.getOrDefault(query.role() + " " + measure, MetricSamples.noData("nothing for " + query.role()));
        }

        @Override public MetricValue successRate(MetricQuery q) { return MetricValue.noData("-"); }
        @Override public MetricValue errorRate(MetricQuery q) { return MetricValue.noData("-"); }
        @Override public MetricValue latency(MetricQuery q, double quantile) { return MetricValue.noData("-"); }
        @Override public MetricValue requestRate(MetricQuery q) { return MetricValue.noData("-"); }
        @Override public MetricValue query(String expression, Instant at) { return MetricValue.noData("-"); }
    }

    static double[] noisy(double level, double spread, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = level * (1 + spread * r.nextGaussian());
        }
        return v;
    }

    static Measurement measure(Gate gate, MetricSource source) {
        return gate.measure(new GateContext("r", "app", Revision.of("v2", "app:v2"), NOW, source, HealthProbe.NONE, "v1"));
    }

    @Test
    void aCandidateClearlySlowerThanItsBaselineFailsAndTheDetailSaysWhy() {
        Samples s = new Samples().put(Role.CANDIDATE, LATENCY.measure(), noisy(0.24, 0.05, 30, 1))
                .put(Role.STABLE, LATENCY.measure(), noisy(0.20, 0.05, 30, 2));
        Measurement m = measure(Gates.compare(LATENCY), s);
        assertThat(m.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(m.value()).isZero();
        assertThat(m.detail()).contains("p99 HIGH (fails)", "p=", "ratio 1.2", "n=30/30", "score 0");
        assertThat(s.asked).extracting(MetricQuery::role).containsExactly(Role.CANDIDATE, Role.STABLE);
        assertThat(s.asked.get(1).revision().name()).isEqualTo("v1");
    }

    @Test
    void aCandidateLikeItsBaselinePassesWithScore100() {
        Samples s = new Samples().put(Role.CANDIDATE, LATENCY.measure(), noisy(0.20, 0.05, 30, 3))
                .put(Role.STABLE, LATENCY.measure(), noisy(0.20, 0.05, 30, 4));
        Measurement m = measure(Gates.compare(LATENCY), s);
        assertThat(m.verdict()).as(m.detail()).isEqualTo(Verdict.PASSED);
        assertThat(m.value()).isEqualTo(100);
        assertThat(m.detail()).contains("p99 PASS");
    }

    @Test
    void aChangeInTheHarmlessDirectionPassesAndInTheHarmfulOneFails() {
        Samples faster = new Samples().put(Role.CANDIDATE, LATENCY.measure(), noisy(0.15, 0.05, 30, 5))
                .put(Role.STABLE, LATENCY.measure(), noisy(0.20, 0.05, 30, 6));
        assertThat(measure(Gates.compare(LATENCY), faster).verdict()).isEqualTo(Verdict.PASSED);
        assertThat(measure(Gates.compare(LATENCY.direction(Direction.EITHER)), faster).detail()).contains("p99 LOW (fails)");
        ComparedMetric success = ComparedMetric.of("success", Measure.successRate()).lowerIsWorse();
        Samples worse = new Samples().put(Role.CANDIDATE, success.measure(), noisy(0.90, 0.01, 30, 7))
                .put(Role.STABLE, success.measure(), noisy(0.99, 0.01, 30, 8));
        assertThat(measure(Gates.compare(success), worse).verdict()).isEqualTo(Verdict.FAILED);
    }

    @Test
    void anIncreaseWithinTheAllowedMeanRatioPasses() {
        Samples s = new Samples().put(Role.CANDIDATE, LATENCY.measure(), noisy(0.22, 0.02, 30, 9))
                .put(Role.STABLE, LATENCY.measure(), noisy(0.20, 0.02, 30, 10));
        assertThat(measure(Gates.compare(LATENCY), s).verdict()).isEqualTo(Verdict.FAILED);
        Measurement m = measure(Gates.compare(LATENCY.allowedIncrease(1.2)), s);
        assertThat(m.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(m.detail()).contains("within the allowed x1.2");
    }

    @Test
    void groupsScoreTheirShareOfPassingMetricsWeighted() {
        Samples s = new Samples().put(Role.CANDIDATE, LATENCY.measure(), noisy(0.30, 0.05, 30, 11))
                .put(Role.STABLE, LATENCY.measure(), noisy(0.20, 0.05, 30, 12))
                .put(Role.CANDIDATE, ERRORS.measure(), noisy(0.01, 0.1, 30, 13))
                .put(Role.STABLE, ERRORS.measure(), noisy(0.01, 0.1, 30, 14));
        Measurement marginal = measure(Gates.compare(LATENCY.group("latency", 1), ERRORS.group("errors", 3)), s);
        assertThat(marginal.value()).isEqualTo(75);
        assertThat(marginal.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(marginal.detail()).contains("marginal");
        Measurement failed = measure(Gates.compare(LATENCY.group("latency", 1), ERRORS.group("errors", 1)), s);
        assertThat(failed.value()).isEqualTo(50);
        assertThat(failed.verdict()).isEqualTo(Verdict.FAILED);
        Measurement critical = measure(Gates.compare(LATENCY.group("latency", 1).critical(), ERRORS.group("errors", 3)), s);
        assertThat(critical.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(critical.detail()).startsWith("critical metric p99 failed, score 0");
    }

    @Test
    void missingDataNeverPasses() {
        Samples s = new Samples().put(Role.CANDIDATE, LATENCY.measure(), noisy(0.20, 0.05, 30, 15))
                .put(Role.STABLE, LATENCY.measure(), noisy(0.20, 0.05, 30, 16))
                .put(Role.CANDIDATE, ERRORS.measure());
        Measurement inconclusive = measure(Gates.compare(LATENCY, ERRORS), s);
        assertThat(inconclusive.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(inconclusive.detail()).contains("errors had no data", "errors NODATA", "no series");
        assertThat(measure(Gates.compare(LATENCY, ERRORS.missingData(MissingData.IGNORE)), s).verdict()).isEqualTo(Verdict.PASSED);
        assertThat(measure(Gates.compare(LATENCY, ERRORS.missingData(MissingData.FAIL)), s).verdict()).isEqualTo(Verdict.FAILED);
        assertThat(measure(Gates.compare(ERRORS.missingData(MissingData.IGNORE)), s).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void tooFewSamplesForTheConfidenceAreNoDataNotAPass() {
        Samples s = new Samples().put(Role.CANDIDATE, LATENCY.measure(), 0.5, 0.6, 0.7, 0.8)
                .put(Role.STABLE, LATENCY.measure(), 0.1, 0.11, 0.12, 0.13);
        Measurement m = measure(Gates.compare(LATENCY), s);
        assertThat(m.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(m.detail()).contains("too few samples (4 a side) for a 0.98 interval");
    }

    @Test
    void nanIntervalsAreLeftOutAndInfiniteSamplesAreAnError() {
        double[] candidate = noisy(0.20, 0.05, 30, 17);
        candidate[3] = Double.NaN;
        Samples s = new Samples().put(Role.CANDIDATE, LATENCY.measure(), candidate)
                .put(Role.STABLE, LATENCY.measure(), noisy(0.20, 0.05, 30, 18));
        Measurement m = measure(Gates.compare(LATENCY), s);
        assertThat(m.detail()).contains("1 NaN intervals left out", "n=29/29");
        candidate[3] = Double.POSITIVE_INFINITY;
        s.put(Role.CANDIDATE, LATENCY.measure(), candidate);
        Measurement inf = measure(Gates.compare(LATENCY), s);
        assertThat(inf.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(inf.detail()).contains("is Infinity");
    }

    @Test
    void aSourceWithoutSamplesOrAContextWithoutBaselineCannotPass() {
        MetricSource plain = MetricSource.NONE;
        assertThatThrownBy(() -> measure(Gates.compare(LATENCY), plain)).isInstanceOf(CutoverException.class)
                .hasMessageContaining("no per-interval samples");
        GateContext noBaseline = new GateContext("r", "app", Revision.of("v2", "x"), NOW, new Samples(), HealthProbe.NONE);
        assertThatThrownBy(() -> Gates.compare(LATENCY).measure(noBaseline)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stable revision is unknown");
    }

    @Test
    void settingsAreValidatedWithTheirNames() {
        assertThatThrownBy(() -> BaselineComparison.builder().build()).hasMessageContaining("metrics must not be empty");
        assertThatThrownBy(() -> BaselineComparison.builder().confidence(1.0)).hasMessageContaining("confidence").hasMessageContaining("1.0");
        assertThatThrownBy(() -> BaselineComparison.builder().tolerance(-0.1)).hasMessageContaining("tolerance");
        assertThatThrownBy(() -> BaselineComparison.builder().thresholds(80, 70)).hasMessageContaining("pass threshold");
        assertThatThrownBy(() -> BaselineComparison.builder().metric(LATENCY).step(Duration.ofMinutes(10)).build())
                .hasMessageContaining("step PT10M must not exceed window PT5M");
        assertThatThrownBy(() -> BaselineComparison.builder().metric(LATENCY).metric(LATENCY).build())
                .hasMessageContaining("metric names must be unique: p99");
        assertThatThrownBy(() -> Gates.compare(LATENCY.group("g", 1), ERRORS.group("g", 2)))
                .hasMessageContaining("weight of group g must be the same");
        assertThatThrownBy(() -> LATENCY.allowedIncrease(0.9)).hasMessageContaining("allowedIncrease of metric p99");
        assertThatThrownBy(() -> LATENCY.allowedDecrease(1.5)).hasMessageContaining("allowedDecrease of metric p99");
        assertThatThrownBy(() -> LATENCY.group("g", 0)).hasMessageContaining("weight of group g");
    }

    @Test
    void equalSettingsMakeEqualGatesWithAStableDescription() {
        BaselineComparison a = Gates.compare(LATENCY, ERRORS.critical());
        BaselineComparison b = BaselineComparison.builder().metric(LATENCY).metric(ERRORS.critical()).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).isEqualTo(b.toString()).contains("p99(latency-p99, higher-is-worse", "errors(error-rate", "critical",
                "confidence 0.98", "tolerance 0.25", "75.0/95.0", "step PT10S over PT5M");
        assertThat(a.toBuilder().confidence(0.99).build()).isNotEqualTo(a);
        assertThat(a.name()).isEqualTo("baseline-comparison");
    }
}
