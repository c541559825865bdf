package io.cutover.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cutover.spi.HealthProbe;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSource;
import io.cutover.spi.MetricValue;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SequentialErrorsTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    /** Request rate and error rate per role; NaN means no data. */
    static MetricSource source(double candidateRps, double candidateErrors, double stableRps, double stableErrors) {
        return new MetricSource() {
            MetricValue v(double x) {
                return Double.isNaN(x) ? MetricValue.noData("none") : MetricValue.of(x);
            }
            @Override public MetricValue successRate(MetricQuery q) { return MetricValue.noData("-"); }
            @Override public MetricValue errorRate(MetricQuery q) { return v(q.role() == Role.CANDIDATE ? candidateErrors : stableErrors); }
            @Override public MetricValue latency(MetricQuery q, double quantile) { return MetricValue.noData("-"); }
            @Override public MetricValue requestRate(MetricQuery q) { return v(q.role() == Role.CANDIDATE ? candidateRps : stableRps); }
            @Override public MetricValue query(String expression, Instant at) { return MetricValue.noData("-"); }
        };
    }

    static Measurement measure(Gate gate, MetricSource source) {
        return gate.measure(new GateContext("r", "app", Revision.of("v2", "app:v2"), NOW, source, HealthProbe.NONE, "v1"));
    }

    static final SequentialErrors ONE_MINUTE = SequentialErrors.builder().window(Duration.ofMinutes(1)).build();

    @Test
    void theLogLikelihoodRatioWeighsTheCandidatesShareOfAllErrors() {
        // 100 requests each: under H0 the candidate's share of errors is 1/2, under H1 (ratio 2) 2/3
        double llr = SequentialErrors.logLikelihoodRatio(100, 10, 100, 5, 2);
        assertThat(llr).isCloseTo(10 * Math.log((2.0 / 3) / 0.5) + 5 * Math.log((1.0 / 3) / 0.5), within(1e-12));
        assertThat(SequentialErrors.logLikelihoodRatio(100, 5, 100, 5, 2)).isNegative();
        assertThat(ONE_MINUTE.abortBoundary()).isCloseTo(Math.log(0.95 / 0.01), within(1e-12));
    }

    @Test
    void overwhelmingEvidenceFailsAndTheDetailStatesTheErrorRates() {
        // one minute: candidate 20 rps at 20% errors (240), stable 180 rps at 1% (108)
        Measurement m = measure(ONE_MINUTE, source(20, 0.2, 180, 0.01));
        assertThat(m.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(m.value()).isGreaterThan(ONE_MINUTE.abortBoundary());
        assertThat(m.detail()).contains("2.0 times stable's", "false-abort rate 0.01", "miss rate 0.05",
                "candidate 240 errors in 1200 requests, baseline 108 in 10800");
    }

    @Test
    void anEqualCandidateIsNotProvenWorse() {
        Measurement m = measure(ONE_MINUTE, source(20, 0.01, 180, 0.01));
        assertThat(m.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(m.value()).isNegative();
        assertThat(m.detail()).startsWith("not proven worse");
    }

    @Test
    void missingCountsAreInconclusive() {
        assertThat(measure(ONE_MINUTE, source(Double.NaN, 0.2, 180, 0.01)).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(measure(ONE_MINUTE, source(20, 0.2, 0, Double.NaN)).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        Measurement none = measure(ONE_MINUTE, source(0, 0, 180, 0.01));
        assertThat(none.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(none.detail()).contains("no requests to the candidate");
        assertThat(measure(ONE_MINUTE, source(20, Double.POSITIVE_INFINITY, 180, 0.01)).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void settingsAreValidatedWithTheirNamesAndMakeEqualGates() {
        assertThatThrownBy(() -> SequentialErrors.builder().ratio(1)).hasMessageContaining("ratio must be a number above 1: 1.0");
        assertThatThrownBy(() -> SequentialErrors.builder().alpha(0)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> SequentialErrors.builder().beta(0.5)).hasMessageContaining("beta");
        assertThatThrownBy(() -> SequentialErrors.builder().window(Duration.ZERO)).hasMessageContaining("window");
        assertThat(Gates.sequentialErrors()).isEqualTo(SequentialErrors.builder().build())
                .hasToString("sequential-errors ratio 2.0 alpha 0.01 beta 0.05 over PT1H");
    }
}
