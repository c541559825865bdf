package io.cutover.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.spi.Health;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSource;
import io.cutover.spi.MetricValue;
import io.cutover.spi.Revision;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What every answer a metric source can give becomes. Only a finite number meeting the condition passes. */
class GateSemanticsTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");

    static GateContext context(MetricValue value) {
        MetricSource source = new MetricSource() {
            @Override public MetricValue successRate(MetricQuery q) { return value; }
            @Override public MetricValue errorRate(MetricQuery q) { return value; }
            @Override public MetricValue latency(MetricQuery q, double quantile) { return value; }
            @Override public MetricValue requestRate(MetricQuery q) { return value; }
            @Override public MetricValue query(String expression, Instant at) { return value; }
        };
        return new GateContext("r", "app", Revision.of("v2", "app:v2"), NOW, source, HealthProbe.NONE);
    }

    static Verdict verdict(Gate gate, MetricValue value) {
        return gate.measure(context(value)).verdict();
    }

    @Test
    void realNumbersAreHeldToTheCondition() {
        assertThat(verdict(Gates.successRate(0.95), MetricValue.of(0.99))).isEqualTo(Verdict.PASSED);
        assertThat(verdict(Gates.successRate(0.95), MetricValue.of(0.95))).isEqualTo(Verdict.PASSED);
        assertThat(verdict(Gates.successRate(0.95), MetricValue.of(0.9499))).isEqualTo(Verdict.FAILED);
        assertThat(verdict(Gates.errorRate(0.01), MetricValue.of(0.02))).isEqualTo(Verdict.FAILED);
        assertThat(verdict(Gates.latency(0.99, Duration.ofMillis(300)), MetricValue.of(0.25))).isEqualTo(Verdict.PASSED);
        assertThat(verdict(Gates.latency(0.99, Duration.ofMillis(300)), MetricValue.of(0.31))).isEqualTo(Verdict.FAILED);
        assertThat(verdict(Gates.query("up", Condition.between(1, 3)), MetricValue.of(4))).isEqualTo(Verdict.FAILED);
    }

    @Test
    void nanAndEmptyAreInconclusiveNeverPassed() {
        Measurement nan = Gates.successRate(0.95).measure(context(MetricValue.of(Double.NaN)));
        assertThat(nan.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(nan.detail()).contains("NaN");
        Measurement empty = Gates.successRate(0.95).measure(context(MetricValue.noData("empty vector")));
        assertThat(empty.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(empty.detail()).isEqualTo("no data: empty vector");
        assertThat(Double.isNaN(empty.value())).isTrue();
    }

    @Test
    void infinitiesNeverPass() {
        // +Inf latency (the quantile fell in the +Inf bucket) misses any maximum
        assertThat(verdict(Gates.latency(0.99, Duration.ofMillis(300)), MetricValue.of(Double.POSITIVE_INFINITY))).isEqualTo(Verdict.FAILED);
        // +Inf would meet "at least 0.95", but it is no success rate: an error, not a pass
        assertThat(verdict(Gates.successRate(0.95), MetricValue.of(Double.POSITIVE_INFINITY))).isEqualTo(Verdict.ERROR);
        assertThat(verdict(Gates.errorRate(0.01), MetricValue.of(Double.NEGATIVE_INFINITY))).isEqualTo(Verdict.ERROR);
        assertThat(verdict(Gates.successRate(0.95), MetricValue.of(Double.NEGATIVE_INFINITY))).isEqualTo(Verdict.FAILED);
    }

    @Test
    void aPassingMeasurementCannotHoldANonNumber() {
        assertThatThrownBy(() -> new Measurement("g", Verdict.PASSED, Double.NaN, "x", NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot pass");
    }

    @Test
    void healthFollowsReadiness() {
        GateContext ready = new GateContext("r", "app", Revision.of("v2", "app:v2"), NOW, MetricSource.NONE, rev -> Health.ready("ok"));
        GateContext notReady = new GateContext("r", "app", Revision.of("v2", "app:v2"), NOW, MetricSource.NONE, rev -> Health.notReady("503"));
        assertThat(Gates.health().measure(ready).verdict()).isEqualTo(Verdict.PASSED);
        assertThat(Gates.health().measure(notReady).verdict()).isEqualTo(Verdict.FAILED);
        assertThat(Gates.health().measure(notReady).detail()).isEqualTo("503");
    }

    @Test
    void thresholdsAreCheckedWhereTheyAreGiven() {
        assertThatThrownBy(() -> Gates.successRate(1.5)).hasMessage("successRate threshold must be within 0..1: 1.5");
        assertThatThrownBy(() -> Gates.successRate(Double.NaN)).hasMessage("successRate threshold must be within 0..1: NaN");
        assertThatThrownBy(() -> Gates.errorRate(-0.1)).hasMessage("errorRate threshold must be within 0..1: -0.1");
        assertThatThrownBy(() -> Gates.latency(1.0, Duration.ofMillis(1))).hasMessage("latency quantile must be strictly between 0 and 1: 1.0");
        assertThatThrownBy(() -> Gates.latency(0.99, Duration.ZERO)).hasMessage("latency max must be positive: PT0S");
        assertThatThrownBy(() -> Gates.query(" ", Condition.atLeast(1))).hasMessage("query expression must not be blank");
        assertThatThrownBy(() -> Condition.between(2, 1)).hasMessage("condition lower bound 2.0 is above upper bound 1.0");
        assertThatThrownBy(() -> GatePolicy.builder().count(0)).hasMessage("count must be at least 1: 0");
        assertThatThrownBy(() -> GatePolicy.builder().interval(Duration.ZERO)).hasMessage("interval must be positive: PT0S");
        assertThatThrownBy(() -> GatePolicy.builder().noData(Verdict.PASSED)).hasMessage("noData must be INCONCLUSIVE or ERROR: PASSED");
    }

    @Test
    void policyDefaultsAreDocumented() {
        GatePolicy p = GatePolicy.DEFAULT;
        assertThat(p.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.count()).isEqualTo(3);
        assertThat(p.initialDelay()).isZero();
        assertThat(p.window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.failureLimit()).isZero();
        assertThat(p.consecutiveErrorLimit()).isEqualTo(4);
        assertThat(p.inconclusiveLimit()).isZero();
        assertThat(p.noData()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(p.toBuilder().build()).isEqualTo(p);
    }

    @Test
    void aThrowingSourceIsNotCaughtByTheGateButByTheEngine() {
        MetricSource broken = new MetricSource() {
            @Override public MetricValue successRate(MetricQuery q) { throw CutoverException.transientFailure("query", "503 from prometheus", null); }
            @Override public MetricValue errorRate(MetricQuery q) { return null; }
            @Override public MetricValue latency(MetricQuery q, double quantile) { return null; }
            @Override public MetricValue requestRate(MetricQuery q) { return null; }
            @Override public MetricValue query(String expression, Instant at) { return null; }
        };
        GateContext ctx = new GateContext("r", "app", Revision.of("v2", "app:v2"), NOW, broken, HealthProbe.NONE);
        assertThatThrownBy(() -> Gates.successRate(0.9).measure(ctx)).hasMessage("503 from prometheus");
    }
}
