package io.cutover.prometheus;

import static io.cutover.prometheus.server.TrafficDataset.APP;
import static io.cutover.prometheus.server.TrafficDataset.AT;
import static io.cutover.prometheus.server.TrafficDataset.BAD;
import static io.cutover.prometheus.server.TrafficDataset.DOWN;
import static io.cutover.prometheus.server.TrafficDataset.GOOD;
import static io.cutover.prometheus.server.TrafficDataset.IDLE;
import static io.cutover.prometheus.server.TrafficDataset.PERFECT;
import static io.cutover.prometheus.server.TrafficDataset.STABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cutover.CutoverException.Kind;
import io.cutover.gate.Condition;
import io.cutover.gate.Gate;
import io.cutover.gate.GateContext;
import io.cutover.gate.Gates;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.prometheus.server.PrometheusServer;
import io.cutover.prometheus.server.RealPrometheus;
import io.cutover.prometheus.server.TrafficDataset;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricValue;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The presets and the raw gate against a real Prometheus serving {@link TrafficDataset}: stable and a
 * good canary at 1% errors, a bad canary at 20% with slow responses.
 */
@ExtendWith(RealPrometheus.class)
class RealPrometheusTest {

    private static final Gate SUCCESS = Gates.successRate(0.95);
    private static final Gate ERRORS = Gates.errorRate(0.05);
    private static final Gate LATENCY = Gates.latency(0.99, Duration.ofMillis(300));
    private static final Gate TRAFFIC = Gates.requestRate(1);

    private static final String SEED_QUERY = "sum(rate(http_requests_total{service=\"myapp\",status=~\"2.*\"}[5m]))"
            + " / sum(rate(http_requests_total{service=\"myapp\"}[5m]))";

    private final PrometheusClient client;

    RealPrometheusTest(PrometheusServer server) {
        this.client = PrometheusClient.builder(server.uri()).build();
    }

    static List<Arguments> presets() {
        return List.of(
                Arguments.of("http_requests_total", Presets.httpRequestsTotal()),
                Arguments.of("micrometer", Presets.micrometer()),
                Arguments.of("istio", Presets.istio(TrafficDataset.NAMESPACE)));
    }

    private PrometheusMetricSource source(MetricTemplates templates) {
        return PrometheusMetricSource.builder(client).templates(templates).build();
    }

    private static MetricQuery query(String revision) {
        return new MetricQuery(APP, Revision.of(revision, APP + ":" + revision), Role.CANDIDATE, Duration.ofMinutes(5), AT);
    }

    private static Measurement measure(Gate gate, PrometheusMetricSource source, String revision) {
        return gate.measure(new GateContext("rollout", APP, Revision.of(revision, APP + ":" + revision), AT, source, HealthProbe.NONE));
    }

    private static double value(MetricValue v) {
        assertThat(v).isInstanceOf(MetricValue.Sample.class);
        return ((MetricValue.Sample) v).value();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void eachPresetReadsTheRatesThatWereServed(String name, MetricTemplates templates) {
        PrometheusMetricSource s = source(templates);
        assertThat(value(s.successRate(query(STABLE)))).isCloseTo(0.99, within(1e-9));
        assertThat(value(s.successRate(query(GOOD)))).isCloseTo(0.99, within(1e-9));
        assertThat(value(s.successRate(query(BAD)))).isCloseTo(0.8, within(1e-9));
        assertThat(value(s.errorRate(query(BAD)))).isCloseTo(0.2, within(1e-9));
        assertThat(value(s.requestRate(query(STABLE)))).isCloseTo(100, within(1e-6));
        assertThat(value(s.requestRate(query(GOOD)))).isCloseTo(10, within(1e-6));
        assertThat(value(s.latency(query(GOOD), 0.99))).isCloseTo(TrafficDataset.FAST_P99, within(1e-9));
        assertThat(value(s.latency(query(BAD), 0.99))).isCloseTo(TrafficDataset.SLOW_P99, within(1e-9));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void eachPresetPassesTheGoodCanaryAndFailsTheBadOne(String name, MetricTemplates templates) {
        PrometheusMetricSource s = source(templates);
        for (Gate gate : List.of(SUCCESS, ERRORS, LATENCY, TRAFFIC)) {
            assertThat(measure(gate, s, GOOD).verdict()).as(gate + " on the good canary").isEqualTo(Verdict.PASSED);
        }
        for (Gate gate : List.of(SUCCESS, ERRORS, LATENCY)) {
            assertThat(measure(gate, s, BAD).verdict()).as(gate + " on the bad canary").isEqualTo(Verdict.FAILED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void noErrorsReadsZeroAndNoSuccessesReadsZeroNotNoData(String name, MetricTemplates templates) {
        PrometheusMetricSource s = source(templates);
        assertThat(s.errorRate(query(PERFECT))).isEqualTo(MetricValue.of(0));
        assertThat(measure(ERRORS, s, PERFECT).verdict()).isEqualTo(Verdict.PASSED);
        assertThat(s.successRate(query(DOWN))).isEqualTo(MetricValue.of(0));
        assertThat(measure(SUCCESS, s, DOWN).verdict()).isEqualTo(Verdict.FAILED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void aRevisionWithoutTrafficIsInconclusiveNeverPassed(String name, MetricTemplates templates) {
        PrometheusMetricSource s = source(templates);
        assertThat(value(s.successRate(query(IDLE)))).isNaN();
        assertThat(measure(SUCCESS, s, IDLE).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(measure(LATENCY, s, IDLE).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(measure(TRAFFIC, s, IDLE).verdict()).isEqualTo(Verdict.FAILED);

        assertThat(s.successRate(query("v9-unknown"))).isInstanceOf(MetricValue.NoData.class);
        assertThat(measure(SUCCESS, s, "v9-unknown").verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(measure(TRAFFIC, s, "v9-unknown").verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void theSeedsQueryVerbatimJudgesAllOfMyapp() {
        PrometheusMetricSource s = source(Presets.httpRequestsTotal());
        // every revision of myapp together: 2xx 125.9/s of 140/s (the down canary's 503s and the 404s count against it)
        Measurement strict = measure(PromQlGate.builder(SEED_QUERY).name("success-rate").atLeast(0.95).build(), s, GOOD);
        assertThat(strict.verdict()).as(strict.detail()).isEqualTo(Verdict.FAILED);
        assertThat(strict.value()).isCloseTo(125.9 / 140, within(1e-9));
        Measurement loose = measure(PromQlGate.builder(SEED_QUERY).name("success-rate").atLeast(0.85).build(), s, GOOD);
        assertThat(loose.verdict()).isEqualTo(Verdict.PASSED);
    }

    @Test
    void theSeedsQueryPerRevisionTellsTheCanariesApart() {
        PrometheusMetricSource s = source(Presets.httpRequestsTotal());
        PromQlGate perRevision = PromQlGate.builder(
                "sum(rate(http_requests_total{service=\"${app}\",version=\"${revision}\",status=~\"2.*\"}[${window}]))"
                        + " / sum(rate(http_requests_total{service=\"${app}\",version=\"${revision}\"}[${window}]))")
                .name("success-rate").atLeast(0.95).build();
        assertThat(measure(perRevision, s, GOOD).verdict()).isEqualTo(Verdict.PASSED);
        assertThat(measure(perRevision, s, BAD).verdict()).isEqualTo(Verdict.FAILED);
        assertThat(measure(PromQlGate.builder("sum(rate(http_requests_total{version=\"${revision}\"}[5m]))").between(9, 11).build(),
                s, BAD).verdict()).isEqualTo(Verdict.PASSED);
        assertThat(measure(PromQlGate.builder("sum(rate(http_requests_total{version=\"${revision}\"}[5m]))").atMost(5).build(),
                s, BAD).verdict()).isEqualTo(Verdict.FAILED);
    }

    @Test
    void answersThatAreNotOneNumberAreErrors() {
        PrometheusMetricSource s = source(Presets.httpRequestsTotal());
        Map<String, String> expected = Map.of(
                "rate(http_requests_total{version=\"v1\"}[5m])", "3 series",
                "http_requests_total{version=\"v1\",code=\"200\"}[5m]", "range vector",
                "\"0.99\"", "a string");
        expected.forEach((expr, detail) -> {
            Measurement m = measure(PromQlGate.of(expr, Condition.atLeast(0)), s, GOOD);
            assertThat(m.verdict()).as(expr).isEqualTo(Verdict.ERROR);
            assertThat(m.detail()).as(expr).contains(detail);
        });
        assertThat(measure(PromQlGate.of("scalar(sum(rate(http_requests_total{version=\"v1\"}[5m])))", Condition.atLeast(99)), s, GOOD)
                .verdict()).isEqualTo(Verdict.PASSED);
    }

    @Test
    void theServersErrorsAreErrorsWithItsMessage() {
        PrometheusException parse = org.assertj.core.api.Assertions.catchThrowableOfType(PrometheusException.class,
                () -> client.query("sum(rate(http_requests_total[5m])", AT));
        assertThat(parse.errorType()).isEqualTo("bad_data");
        assertThat(parse.statusCode()).isEqualTo(400);
        assertThat(parse.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(parse.getMessage()).contains("parse error");

        PrometheusException execution = org.assertj.core.api.Assertions.catchThrowableOfType(PrometheusException.class,
                () -> client.query("rate(http_requests_total[5m]) + on(service) rate(http_requests_total[5m])", AT));
        assertThat(execution.errorType()).isEqualTo("execution");
        assertThat(execution.statusCode()).isEqualTo(422);
        assertThat(execution.getMessage()).contains("duplicate series");

        Measurement m = measure(PromQlGate.of("sum(", Condition.atLeast(0)), source(Presets.httpRequestsTotal()), GOOD);
        assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(m.detail()).contains("bad_data").contains("parse error");
    }

    @Test
    void aRangeQueryReturnsTheSeriesOverTime() {
        QueryResponse r = client.queryRange("sum(rate(http_requests_total{version=\"v2-bad\",code=\"500\"}[5m]))",
                AT.minus(Duration.ofMinutes(10)), AT, Duration.ofMinutes(1));
        QueryResult.Matrix m = (QueryResult.Matrix) r.result();
        assertThat(m.series()).hasSize(1);
        assertThat(m.series().get(0).points()).hasSize(11)
                .allSatisfy(p -> assertThat(p.value()).isCloseTo(2.0, within(1e-9)));
        assertThat(m.series().get(0).points().get(10).time()).isEqualTo(AT);
    }

    @Test
    void aLongQueryGoesAsAPostAndStillAnswers() {
        String padding = " + 0".repeat(700);
        PrometheusClient c = client;
        QueryResponse r = c.query("sum(rate(http_requests_total{version=\"v1\"}[5m]))" + padding, AT);
        assertThat(PrometheusMetricSource.single(r.result(), "")).isEqualTo(MetricValue.of(100));
    }
}
