package io.cutover.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cutover.gate.BaselineComparison;
import io.cutover.gate.ComparedMetric;
import io.cutover.gate.Gate;
import io.cutover.gate.GateContext;
import io.cutover.gate.Gates;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.prometheus.server.JudgeDataset;
import io.cutover.prometheus.server.PrometheusServer;
import io.cutover.prometheus.server.RealPrometheus;
import io.cutover.prometheus.server.TrafficDataset;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.Measure;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSamples;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The baseline comparison against a real Prometheus through range queries, on {@link JudgeDataset}: stable
 * and a candidate drawn from the same latency distribution, and a candidate whose p99 is half again as slow
 * with the same error rate.
 */
@ExtendWith(RealPrometheus.class)
class RealPrometheusBaselineTest {

    static final String APP = TrafficDataset.APP;
    static final MetricTemplates TEMPLATES = MetricTemplates.builder()
            .latency("histogram_quantile(${quantile}, sum by (le) (rate(judge_request_duration_seconds_bucket{service=\"${app}\","
                    + "version=\"${revision}\"}[${window}])))")
            .errorRate("sum(rate(judge_requests_total{service=\"${app}\",version=\"${revision}\",code=~\"5..\"}[${window}]))"
                    + " / sum(rate(judge_requests_total{service=\"${app}\",version=\"${revision}\"}[${window}]))")
            .build();
    static final Gate JUDGE = BaselineComparison.builder()
            .metric(ComparedMetric.of("p99", Measure.latency(0.99)).higherIsWorse())
            .metric(ComparedMetric.of("errors", Measure.errorRate()).higherIsWorse())
            .step(Duration.ofMinutes(1)).window(Duration.ofMinutes(30)).build();

    private final PrometheusMetricSource source;

    RealPrometheusBaselineTest(PrometheusServer server) {
        this.source = PrometheusMetricSource.builder(PrometheusClient.builder(server.uri()).build()).templates(TEMPLATES).build();
    }

    private Measurement judge(Gate gate, String candidate) {
        return gate.measure(new GateContext("rollout", APP, Revision.of(candidate, APP + ":" + candidate), TrafficDataset.AT,
                source, HealthProbe.NONE, JudgeDataset.STABLE));
    }

    @Test
    void aRangeQueryGivesOneValuePerWholeStepInsideTheWindowOnTheStepsInstants() {
        MetricQuery q = new MetricQuery(APP, Revision.of(JudgeDataset.STABLE, "x"), Role.STABLE, Duration.ofMinutes(30),
                TrafficDataset.AT.plusSeconds(20));
        MetricSamples p99 = source.samples(q, Measure.latency(0.99), Duration.ofMinutes(1));
        // 20 s past the minute: the minutes ending AT-28m .. AT lie wholly inside the 30 minutes
        assertThat(p99.points()).hasSize(29);
        assertThat(p99.points().get(28).at()).isEqualTo(TrafficDataset.AT);
        assertThat(p99.points().get(0).at()).isEqualTo(TrafficDataset.AT.minus(Duration.ofMinutes(28)));
        double mean = java.util.Arrays.stream(p99.values()).average().orElseThrow();
        assertThat(mean).isCloseTo(0.2, within(0.03));
        assertThat(java.util.Arrays.stream(p99.values()).distinct().count()).as("the minutes vary").isGreaterThan(20);
        MetricSamples errors = source.samples(q, Measure.errorRate(), Duration.ofMinutes(1));
        assertThat(java.util.Arrays.stream(errors.values()).average().orElseThrow()).isCloseTo(0.01, within(0.003));
    }

    @Test
    void aCandidateWithASlowerTailPassesTheThresholdButTheJudgeFailsIt() {
        Measurement threshold = Gates.latency(0.99, Duration.ofMillis(400))
                .measure(new GateContext("rollout", APP, Revision.of(JudgeDataset.SLOWER, "x"), TrafficDataset.AT, source, HealthProbe.NONE));
        assertThat(threshold.verdict()).as(threshold.detail()).isEqualTo(Verdict.PASSED);

        Measurement m = judge(JUDGE, JudgeDataset.SLOWER);
        assertThat(m.verdict()).as(m.detail()).isEqualTo(Verdict.FAILED);
        assertThat(m.detail()).contains("p99 HIGH (fails)", "errors PASS", "n=30/30");
    }

    @Test
    void aCandidateDrawnFromStablesDistributionPasses() {
        Measurement m = judge(JUDGE, JudgeDataset.SAME);
        assertThat(m.verdict()).as(m.detail()).isEqualTo(Verdict.PASSED);
        assertThat(m.value()).isEqualTo(100);
    }

    @Test
    void aRevisionWithoutSeriesIsNoDataAndNeverPasses() {
        Measurement m = judge(JUDGE, "v9-absent");
        assertThat(m.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(m.detail()).contains("no series");
    }

    @Test
    void theDataStaysOutsideTheWindowBeforeTheFirstScrape() {
        MetricQuery q = new MetricQuery(APP, Revision.of(JudgeDataset.STABLE, "x"), Role.STABLE, Duration.ofMinutes(30),
                TrafficDataset.START.minus(Duration.ofHours(2)));
        MetricSamples none = source.samples(q, Measure.latency(0.99), Duration.ofMinutes(1));
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.noDataReason()).contains("no series");
    }
}
