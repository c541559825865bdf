package io.cutover.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.cutover.ecs.CloudWatchTest.ALB;
import static io.cutover.ecs.CloudWatchTest.BLUE_DIM;
import static io.cutover.ecs.CloudWatchTest.GREEN_DIM;
import static io.cutover.ecs.CloudWatchTest.NOW;
import static io.cutover.ecs.CloudWatchTest.V2;
import static io.cutover.ecs.Fixtures.BLUE;
import static io.cutover.ecs.Fixtures.GREEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.CutoverException;
import io.cutover.ecs.fake.AwsFake;
import io.cutover.gate.BaselineComparison;
import io.cutover.gate.ComparedMetric;
import io.cutover.gate.GateContext;
import io.cutover.gate.Gates;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.Measure;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSamples;
import io.cutover.spi.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CloudWatchSamplesTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;
    private CloudWatchAlbMetrics metrics;

    @BeforeEach
    void setUp() {
        metrics = CloudWatchAlbMetrics.of(server.clients().cloudWatch(), ALB, TargetGroupRoles.fixed(BLUE, GREEN));
    }

    private static MetricQuery query(Role role, Duration window) {
        return new MetricQuery("myapp", V2, role, window, NOW);
    }

    /** Datapoints at the starts of the minutes {@code 00:05 + i}, for the given values (null: no datapoint). */
    private static Map<Instant, Double> minutes(Double... values) {
        Map<Instant, Double> points = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                points.put(NOW.minus(Duration.ofMinutes(5 - i)), values[i]);
            }
        }
        return points;
    }

    private static Instant at(String hhmm) {
        return Instant.parse("2026-01-01T" + hhmm + ":00Z");
    }

    @Test
    void errorRateSamplesArePerMinuteFromOneCallOnTheRolesTargetGroupAndSkipMinutesWithoutRequests() {
        var cw = server.fake.cloudWatch();
        cw.series(GREEN_DIM, "RequestCount", "Sum", minutes(100.0, 50.0, null, 200.0, 100.0));
        cw.series(GREEN_DIM, "HTTPCode_Target_5XX_Count", "Sum", minutes(5.0, null, null, 20.0, null));
        cw.series(GREEN_DIM, "TargetConnectionErrorCount", "Sum", minutes(null, 1.0, null, null, null));
        cw.series(BLUE_DIM, "RequestCount", "Sum", minutes(1000.0, 1000.0, 1000.0, 1000.0, 1000.0));

        MetricSamples errors = metrics.samples(query(Role.CANDIDATE, Duration.ofMinutes(5)), Measure.errorRate(), MINUTE);

        assertThat(errors.points()).as("stamped with each interval's end; 00:07-00:08 had no request").containsExactly(
                new MetricSamples.Point(at("00:06"), 0.05), new MetricSamples.Point(at("00:07"), 0.02),
                new MetricSamples.Point(at("00:09"), 0.1), new MetricSamples.Point(at("00:10"), 0.0));
        List<Map<String, String>> calls = cw.metricRequests();
        assertThat(calls).hasSize(1);
        Map<String, String> call = calls.get(0);
        assertThat(call).containsEntry("StartTime", "2026-01-01T00:05:00Z").containsEntry("EndTime", "2026-01-01T00:10:00Z")
                .containsEntry("ScanBy", "TimestampAscending");
        String[] names = {"HTTPCode_Target_5XX_Count", "TargetConnectionErrorCount", "RequestCount"};
        for (int i = 1; i <= 3; i++) {
            String m = "MetricDataQueries.member." + i + ".MetricStat.";
            assertThat(call).containsEntry(m + "Metric.MetricName", names[i - 1]).containsEntry(m + "Period", "60")
                    .containsEntry(m + "Stat", "Sum").containsEntry(m + "Metric.Namespace", "AWS/ApplicationELB")
                    .containsEntry(m + "Metric.Dimensions.member.1.Name", "LoadBalancer")
                    .containsEntry(m + "Metric.Dimensions.member.1.Value", "app/myapp/50dc6c495c0c9188")
                    .containsEntry(m + "Metric.Dimensions.member.2.Name", "TargetGroup")
                    .containsEntry(m + "Metric.Dimensions.member.2.Value", GREEN_DIM);
        }
        assertThat(call).as("the load-balancer-wide ELB 5xx are not part of samples")
                .doesNotContainKey("MetricDataQueries.member.4.Id");

        assertThat(metrics.samples(query(Role.CANDIDATE, Duration.ofMinutes(5)), Measure.successRate(), MINUTE).values())
                .containsExactly(0.95, 0.98, 0.9, 1.0);
        assertThat(metrics.samples(query(Role.CANDIDATE, Duration.ofMinutes(5)), Measure.requestRate(), MINUTE).values())
                .containsExactly(100.0 / 60, 50.0 / 60, 200.0 / 60, 100.0 / 60);
        MetricSamples stable = metrics.samples(query(Role.STABLE, Duration.ofMinutes(5)), Measure.errorRate(), MINUTE);
        assertThat(stable.values()).containsExactly(0.0, 0.0, 0.0, 0.0, 0.0);
        assertThat(cw.metricRequests().get(3)).containsEntry("MetricDataQueries.member.3.MetricStat.Metric.Dimensions.member.2.Value", BLUE_DIM);
    }

    @Test
    void latencySamplesAskForThePercentileStatisticWithThePeriodOfTheStepOnWholeSteps() {
        var cw = server.fake.cloudWatch();
        Map<Instant, Double> points = new LinkedHashMap<>();
        points.put(at("00:00"), 0.30);
        points.put(at("00:02"), 0.31);
        points.put(at("00:04"), 0.45);
        points.put(at("00:06"), 0.29);
        points.put(at("00:08"), 0.33);
        cw.series(GREEN_DIM, "TargetResponseTime", "p99.9", points);
        MetricQuery late = new MetricQuery("myapp", V2, Role.CANDIDATE, Duration.ofMinutes(7), NOW.plusSeconds(50));

        MetricSamples latency = metrics.samples(late, Measure.latency(0.999), Duration.ofMinutes(2));

        assertThat(latency.points()).as("whole two-minute steps inside 00:03:50-00:10:50: 00:04-00:10")
                .containsExactly(new MetricSamples.Point(at("00:06"), 0.45), new MetricSamples.Point(at("00:08"), 0.29),
                        new MetricSamples.Point(at("00:10"), 0.33));
        assertThat(cw.metricRequests().get(0)).containsEntry("StartTime", "2026-01-01T00:04:00Z")
                .containsEntry("EndTime", "2026-01-01T00:10:00Z")
                .containsEntry("MetricDataQueries.member.1.MetricStat.Metric.MetricName", "TargetResponseTime")
                .containsEntry("MetricDataQueries.member.1.MetricStat.Stat", "p99.9")
                .containsEntry("MetricDataQueries.member.1.MetricStat.Period", "120");
    }

    @Test
    void aLongWindowIsReadAcrossEveryPageCloudWatchAnswers() {
        var cw = server.fake.cloudWatch();
        cw.pageSize(2);
        cw.series(GREEN_DIM, "RequestCount", "Sum", minutes(100.0, 100.0, 100.0, 100.0, 100.0));
        cw.series(GREEN_DIM, "HTTPCode_Target_5XX_Count", "Sum", minutes(1.0, 2.0, 3.0, 4.0, 5.0));

        MetricSamples errors = metrics.samples(query(Role.CANDIDATE, Duration.ofMinutes(5)), Measure.errorRate(), MINUTE);

        assertThat(errors.values()).containsExactly(0.01, 0.02, 0.03, 0.04, 0.05);
        List<Map<String, String>> calls = cw.metricRequests();
        assertThat(calls).hasSize(3);
        assertThat(calls.get(2)).containsEntry("NextToken", "page-4")
                .containsEntry("StartTime", calls.get(0).get("StartTime")).containsEntry("EndTime", calls.get(0).get("EndTime"));
    }

    @Test
    void noRequestsInAnyIntervalIsNoDataNeverAZeroErrorRate() {
        server.fake.cloudWatch().series(GREEN_DIM, "HTTPCode_Target_5XX_Count", "Sum", minutes(3.0, null, null, null, null));

        for (Measure m : List.of(Measure.errorRate(), Measure.successRate(), Measure.requestRate(), Measure.latency(0.99))) {
            MetricSamples s = metrics.samples(query(Role.CANDIDATE, Duration.ofMinutes(5)), m, MINUTE);
            assertThat(s.isEmpty()).as(m.toString()).isTrue();
            assertThat(s.noDataReason()).contains(GREEN_DIM);
        }
        assertThat(metrics.samples(query(Role.CANDIDATE, Duration.ofSeconds(59)), Measure.errorRate(), MINUTE).noDataReason())
                .contains("no whole step");
    }

    @Test
    void cloudWatchErrorsAndUntrustworthyDatapointsThrowAndTheJudgeNeverPasses() {
        server.fake.cloudWatch().series(GREEN_DIM, "RequestCount", "Sum", minutes(100.0, -4.0, 100.0, 100.0, 100.0));
        assertThatThrownBy(() -> metrics.samples(query(Role.CANDIDATE, Duration.ofMinutes(5)), Measure.errorRate(), MINUTE))
                .isInstanceOf(CutoverException.class).hasMessageContaining("requests is -4.0");

        assertThatThrownBy(() -> metrics.samples(query(Role.CANDIDATE, Duration.ofMinutes(5)), Measure.errorRate(),
                Duration.ofSeconds(10))).isInstanceOf(CutoverException.class).hasMessageContaining("step")
                .hasMessageContaining("PT10S");

        wireMock.stubFor(post(anyUrl()).atPriority(1).withRequestBody(containing("Action=GetMetricData"))
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "text/xml")
                        .withBody(AwsFake.queryErrorBody("AccessDenied", "not authorized to perform cloudwatch:GetMetricData"))));
        assertThatThrownBy(() -> metrics.samples(query(Role.STABLE, Duration.ofMinutes(5)), Measure.latency(0.99), MINUTE))
                .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.kind()).isEqualTo(CutoverException.Kind.PERMANENT))
                .hasMessageContaining("GetMetricData").hasMessageContaining("AccessDenied");
    }

    @Test
    void theBaselineComparisonFailsACandidateWhoseP99Is20PercentWorseThanStableAndPassesAnEqualOne() {
        SplittableRandom random = new SplittableRandom(12);
        Map<Instant, Double> stable = new LinkedHashMap<>();
        Map<Instant, Double> worse = new LinkedHashMap<>();
        Map<Instant, Double> equal = new LinkedHashMap<>();
        Map<Instant, Double> requests = new LinkedHashMap<>();
        for (int i = 1; i <= 30; i++) {
            Instant minute = NOW.minus(Duration.ofMinutes(i));
            stable.put(minute, 0.300 * (1 + 0.03 * random.nextGaussian()));
            worse.put(minute, 0.360 * (1 + 0.03 * random.nextGaussian()));
            equal.put(minute, 0.300 * (1 + 0.03 * random.nextGaussian()));
            requests.put(minute, 600.0);
        }
        var cw = server.fake.cloudWatch();
        cw.series(BLUE_DIM, "TargetResponseTime", "p99", stable);
        cw.series(BLUE_DIM, "RequestCount", "Sum", requests);
        cw.series(GREEN_DIM, "TargetResponseTime", "p99", worse);
        cw.series(GREEN_DIM, "RequestCount", "Sum", requests);
        BaselineComparison judge = Gates.compare(
                ComparedMetric.of("p99", Measure.latency(0.99)).higherIsWorse(),
                ComparedMetric.of("errors", Measure.errorRate()).higherIsWorse().critical())
                .toBuilder().step(MINUTE).window(Duration.ofMinutes(30)).build();
        GateContext context = new GateContext("myapp-rollout", "myapp", V2, NOW, metrics, HealthProbe.NONE, "v1");

        Measurement regressed = judge.measure(context);
        assertThat(regressed.verdict()).as(regressed.detail()).isEqualTo(Verdict.FAILED);
        assertThat(regressed.detail()).contains("p99").contains("HIGH");

        cw.series(GREEN_DIM, "TargetResponseTime", "p99", equal);
        Measurement same = judge.measure(context);
        assertThat(same.verdict()).as(same.detail()).isEqualTo(Verdict.PASSED);
    }
}
