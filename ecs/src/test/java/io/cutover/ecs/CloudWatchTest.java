package io.cutover.ecs;

import static io.cutover.ecs.Fixtures.BLUE;
import static io.cutover.ecs.Fixtures.GREEN;
import static io.cutover.ecs.Fixtures.LB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.gate.GateContext;
import io.cutover.gate.Gates;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricValue;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

class CloudWatchTest {

    static final String ALB = LB + "loadbalancer/app/myapp/50dc6c495c0c9188";
    static final String BLUE_DIM = "targetgroup/myapp-blue/73e2d6bc24d8a067";
    static final String GREEN_DIM = "targetgroup/myapp-green/2453ed029918f21f";
    static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    static final Revision V2 = Revision.of("v2", "myapp:2");

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;
    private CloudWatchClient cw;
    private CloudWatchAlbMetrics metrics;

    @BeforeEach
    void setUp() {
        cw = server.clients().cloudWatch();
        metrics = CloudWatchAlbMetrics.of(cw, ALB, TargetGroupRoles.fixed(BLUE, GREEN));
    }

    private GateContext context() {
        return new GateContext("myapp-rollout", "myapp", V2, NOW, metrics, HealthProbe.NONE);
    }

    private static MetricQuery candidate(Duration window) {
        return new MetricQuery("myapp", V2, Role.CANDIDATE, window, NOW);
    }

    @Test
    void anAlarmInAlarmFailsTheGateAndAllOkPasses() {
        server.fake.cloudWatch().alarm("myapp-5xx", "OK", "fine");
        server.fake.cloudWatch().compositeAlarm("myapp-health", "OK");
        var gate = CloudWatchAlarmGate.alarms(cw, "myapp-5xx", "myapp-health");

        Measurement ok = gate.measure(context());
        assertThat(ok.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(ok.at()).isEqualTo(NOW);

        server.fake.cloudWatch().alarm("myapp-5xx", "ALARM", "Threshold Crossed: 3 datapoints were greater than 5");
        Measurement failed = gate.measure(context());
        assertThat(failed.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(failed.value()).isEqualTo(1);
        assertThat(failed.detail()).contains("myapp-5xx").contains("Threshold Crossed");

        server.fake.cloudWatch().compositeAlarm("myapp-health", "ALARM");
        assertThat(gate.measure(context()).value()).isEqualTo(2);
    }

    @Test
    void insufficientDataIsInconclusiveUnlessToldOtherwiseAndAMissingAlarmIsAnError() {
        server.fake.cloudWatch().alarm("myapp-5xx", "INSUFFICIENT_DATA", "no datapoints");
        var gate = CloudWatchAlarmGate.alarms(cw, "myapp-5xx");

        assertThat(gate.measure(context()).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(gate.insufficientDataPasses().measure(context()).verdict()).isEqualTo(Verdict.PASSED);
        Measurement missing = CloudWatchAlarmGate.alarms(cw, "myapp-5xx", "typo").measure(context());
        assertThat(missing.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(missing.detail()).contains("typo");
        assertThatThrownBy(() -> CloudWatchAlarmGate.alarms(cw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alarmNames");
    }

    @Test
    void anErrorRateWhoseErrorCountCameBackAsAnInternalErrorIsAFailureNotZeroErrors() {
        server.fake.cloudWatch().metric(GREEN_DIM, "RequestCount", "Sum", 200);
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/").atPriority(1)
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("Action=GetMetricData"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                        .withHeader("Content-Type", "text/xml")
                        .withBody("<GetMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"
                                + "<GetMetricDataResult><MetricDataResults>"
                                + result("errors", "", "InternalError") + result("connections", "", "Complete")
                                + result("requests", "<member>200</member>", "Complete")
                                + result("elb", "", "Complete") + result("all", "<member>1200</member>", "Complete")
                                + "</MetricDataResults><Messages></Messages></GetMetricDataResult>"
                                + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetMetricDataResponse>")));

        assertThatThrownBy(() -> metrics.errorRate(candidate(Duration.ofMinutes(5))))
                .isInstanceOf(io.cutover.CutoverException.class).hasMessageContaining("errors").hasMessageContaining("InternalError");
        assertThatThrownBy(() -> Gates.errorRate(0.05).measure(context()))
                .as("the gate has no value to pass on: the engine counts the failure as an ERROR measurement")
                .isInstanceOf(io.cutover.CutoverException.class);
    }

    private static String result(String id, String values, String status) {
        String times = values.isEmpty() ? "" : "<member>" + NOW + "</member>";
        return "<member><Id>" + id + "</Id><Label>" + id + "</Label><Timestamps>" + times + "</Timestamps><Values>" + values
                + "</Values><StatusCode>" + status + "</StatusCode></member>";
    }

    @Test
    void errorAndSuccessRatesComeFromTheCandidateTargetGroup() {
        server.fake.cloudWatch().metric(GREEN_DIM, "RequestCount", "Sum", 200);
        server.fake.cloudWatch().metric(GREEN_DIM, "HTTPCode_Target_5XX_Count", "Sum", 10);
        server.fake.cloudWatch().metric(BLUE_DIM, "RequestCount", "Sum", 1000);

        assertThat(metrics.errorRate(candidate(Duration.ofMinutes(5)))).isEqualTo(MetricValue.of(0.05));
        assertThat(metrics.successRate(candidate(Duration.ofMinutes(5)))).isEqualTo(MetricValue.of(0.95));
        assertThat(metrics.errorRate(new MetricQuery("myapp", V2, Role.STABLE, Duration.ofMinutes(5), NOW)))
                .as("no 5xx datapoint means no errors").isEqualTo(MetricValue.of(0.0));
        assertThat(metrics.requestRate(candidate(Duration.ofMinutes(5)))).isEqualTo(MetricValue.of(200.0 / 300));

        Map<String, String> call = server.fake.cloudWatch().metricRequests().get(0);
        assertThat(call).containsEntry("StartTime", "2026-01-01T00:05:00Z").containsEntry("EndTime", "2026-01-01T00:10:00Z")
                .containsEntry("MetricDataQueries.member.1.MetricStat.Period", "300")
                .containsEntry("MetricDataQueries.member.1.MetricStat.Metric.Namespace", "AWS/ApplicationELB")
                .containsEntry("MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value", "app/myapp/50dc6c495c0c9188");
        assertThat(Gates.judge("success-rate", io.cutover.gate.Condition.atLeast(0.99),
                metrics.successRate(candidate(Duration.ofMinutes(5))), NOW).verdict()).isEqualTo(Verdict.FAILED);
    }

    @Test
    void aCrashingCandidateReadsFailingThroughConnectionErrorsTheTasksNeverSent() {
        // The candidate's tasks refuse connections: they send no 5xx themselves, the ALB answers 502/503 instead.
        server.fake.cloudWatch().metric(GREEN_DIM, "RequestCount", "Sum", 200);
        server.fake.cloudWatch().metric(GREEN_DIM, "TargetConnectionErrorCount", "Sum", 30);
        server.fake.cloudWatch().metric(BLUE_DIM, "RequestCount", "Sum", 1000);
        server.fake.cloudWatch().metric(BLUE_DIM, "HTTPCode_Target_5XX_Count", "Sum", 2);

        assertThat(metrics.errorRate(candidate(Duration.ofMinutes(5)))).isEqualTo(MetricValue.of(0.15));
        assertThat(metrics.errorRate(new MetricQuery("myapp", V2, Role.STABLE, Duration.ofMinutes(5), NOW)))
                .isEqualTo(MetricValue.of(0.002));
    }

    @Test
    void loadBalancerGenerated5xxAboveTheBaselineCountAgainstTheCandidate() {
        server.fake.cloudWatch().metric(GREEN_DIM, "RequestCount", "Sum", 100);
        server.fake.cloudWatch().metric(GREEN_DIM, "HTTPCode_Target_5XX_Count", "Sum", 1);
        // Before the shift: 1 ALB 5xx per 1000 requests. In the window: 25 ALB 5xx out of 1000 requests.
        Instant windowStart = NOW.minus(Duration.ofMinutes(5));
        server.fake.cloudWatch().metricFrom(null, "HTTPCode_ELB_5XX_Count", "Sum", Instant.EPOCH, 1);
        server.fake.cloudWatch().metricFrom(null, "RequestCount", "Sum", Instant.EPOCH, 1000);
        server.fake.cloudWatch().metricFrom(null, "HTTPCode_ELB_5XX_Count", "Sum", windowStart, 25);

        // (1 + 25 - 1/1000 * 1000) / 100
        assertThat(metrics.errorRate(candidate(Duration.ofMinutes(5)))).isEqualTo(MetricValue.of(0.25));
        var calls = server.fake.cloudWatch().metricRequests();
        assertThat(calls.get(1)).as("the 30-minute baseline window ends where the query's starts")
                .containsEntry("StartTime", "2025-12-31T23:35:00Z").containsEntry("EndTime", "2026-01-01T00:05:00Z")
                .doesNotContainValue("TargetGroup");
        assertThat(calls.get(0)).containsEntry("MetricDataQueries.member.4.MetricStat.Metric.MetricName", "HTTPCode_ELB_5XX_Count")
                .doesNotContainKey("MetricDataQueries.member.4.MetricStat.Metric.Dimensions.member.2.Name");
    }

    @Test
    void elb5xxAtTheirUsualRateAreNotTheCandidatesFault() {
        server.fake.cloudWatch().metric(GREEN_DIM, "RequestCount", "Sum", 100);
        server.fake.cloudWatch().metricFrom(null, "HTTPCode_ELB_5XX_Count", "Sum", Instant.EPOCH, 3);
        server.fake.cloudWatch().metricFrom(null, "RequestCount", "Sum", Instant.EPOCH, 1000);

        assertThat(metrics.withElbErrorBaseline(Duration.ofMinutes(5)).errorRate(candidate(Duration.ofMinutes(5))))
                .isEqualTo(MetricValue.of(0.0));
        assertThatThrownBy(() -> metrics.withElbErrorBaseline(Duration.ofSeconds(90)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("elbErrorBaseline");
    }

    @Test
    void noRequestsIsNoDataNotAPass() {
        assertThat(metrics.errorRate(candidate(Duration.ofMinutes(1)))).isInstanceOf(MetricValue.NoData.class);
        assertThat(metrics.successRate(candidate(Duration.ofMinutes(1)))).isInstanceOf(MetricValue.NoData.class);
        assertThat(metrics.latency(candidate(Duration.ofMinutes(1)), 0.99)).isInstanceOf(MetricValue.NoData.class);
        assertThat(metrics.requestRate(candidate(Duration.ofMinutes(1)))).isEqualTo(MetricValue.of(0));
    }

    @Test
    void latencyAsksForThePercentileStatistic() {
        server.fake.cloudWatch().metric(GREEN_DIM, "TargetResponseTime", "p99", 0.42);
        server.fake.cloudWatch().metric(GREEN_DIM, "TargetResponseTime", "p99.9", 0.9);

        assertThat(metrics.latency(candidate(Duration.ofSeconds(90)), 0.99)).isEqualTo(MetricValue.of(0.42));
        assertThat(metrics.latency(candidate(Duration.ofSeconds(90)), 0.999)).isEqualTo(MetricValue.of(0.9));
        assertThat(server.fake.cloudWatch().metricRequests().get(0))
                .containsEntry("MetricDataQueries.member.1.MetricStat.Period", "120");
    }

    @Test
    void rawExpressionsReturnTheirLatestValue() {
        String expr = "SELECT SUM(RequestCount) FROM \"AWS/ApplicationELB\"";
        server.fake.cloudWatch().expression(expr, 1234);

        assertThat(metrics.query(expr, NOW)).isEqualTo(MetricValue.of(1234));
        assertThat(metrics.query("SELECT 1", NOW)).isInstanceOf(MetricValue.NoData.class);
    }

    @Test
    void theLoadBalancerArnIsChecked() {
        assertThatThrownBy(() -> CloudWatchAlbMetrics.of(cw, BLUE, TargetGroupRoles.fixed(BLUE, GREEN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loadBalancerArn");
    }
}
