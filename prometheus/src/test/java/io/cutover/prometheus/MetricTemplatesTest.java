package io.cutover.prometheus;

import static io.cutover.prometheus.Answers.AT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.prometheus.MetricTemplates.Measure;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The PromQL each preset runs, written out in full, and the rules for custom templates. */
class MetricTemplatesTest {

    private static final MetricQuery Q = new MetricQuery("myapp", Revision.of("v2.0.0", "myapp:v2.0.0"), Role.CANDIDATE,
            Duration.ofMinutes(5), AT);

    @Test
    void theGenericPresetReadsHttpRequestsTotalWithACodeLabel() {
        MetricTemplates t = Presets.httpRequestsTotal();
        String all = "sum(rate(http_requests_total{cutover_io_application=\"myapp\",cutover_io_revision=\"v2.0.0\"}[5m]))";
        assertThat(t.render(Measure.SUCCESS_RATE, Q, 0)).isEqualTo(
                "(sum(rate(http_requests_total{cutover_io_application=\"myapp\",cutover_io_revision=\"v2.0.0\",code!~\"5..\"}[5m])) or vector(0)) / " + all);
        assertThat(t.render(Measure.ERROR_RATE, Q, 0)).isEqualTo(
                "(sum(rate(http_requests_total{cutover_io_application=\"myapp\",cutover_io_revision=\"v2.0.0\",code=~\"5..\"}[5m])) or vector(0)) / " + all);
        assertThat(t.render(Measure.REQUEST_RATE, Q, 0)).isEqualTo(all);
        assertThat(t.render(Measure.LATENCY, Q, 0.99)).isEqualTo(
                "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{cutover_io_application=\"myapp\",cutover_io_revision=\"v2.0.0\"}[5m])))");
    }

    @Test
    void theGenericPresetTakesOtherLabelNamesButChecksThem() {
        assertThat(Presets.httpRequestsTotal("job", "rev").render(Measure.REQUEST_RATE, Q, 0))
                .isEqualTo("sum(rate(http_requests_total{job=\"myapp\",rev=\"v2.0.0\"}[5m]))");
        assertThatThrownBy(() -> Presets.httpRequestsTotal("job=\"x\"} or vector(1) #", "rev"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label name");
        assertThatThrownBy(() -> Presets.httpRequestsTotal("job", "job")).hasMessageContaining("differ");
    }

    @Test
    void theMicrometerPresetReadsSpringsServerRequests() {
        MetricTemplates t = Presets.micrometer();
        assertThat(t.render(Measure.ERROR_RATE, Q, 0)).isEqualTo(
                "(sum(rate(http_server_requests_seconds_count{application=\"myapp\",version=\"v2.0.0\",status=~\"5..\"}[5m])) or vector(0))"
                        + " / sum(rate(http_server_requests_seconds_count{application=\"myapp\",version=\"v2.0.0\"}[5m]))");
        assertThat(t.render(Measure.LATENCY, Q, 0.95)).isEqualTo(
                "histogram_quantile(0.95, sum by (le) (rate(http_server_requests_seconds_bucket{application=\"myapp\",version=\"v2.0.0\"}[5m])))");
    }

    @Test
    void theIstioPresetSelectsTheDestinationWorkloadAndConvertsMilliseconds() {
        MetricTemplates t = Presets.istio("shop");
        String sel = "reporter=\"destination\",destination_workload=\"myapp-v2.0.0\",destination_workload_namespace=\"shop\"";
        assertThat(t.render(Measure.SUCCESS_RATE, Q, 0)).isEqualTo(
                "(sum(rate(istio_requests_total{" + sel + ",response_code!~\"5..\"}[5m])) or vector(0))"
                        + " / sum(rate(istio_requests_total{" + sel + "}[5m]))");
        assertThat(t.render(Measure.LATENCY, Q, 0.99)).isEqualTo(
                "histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{" + sel + "}[5m]))) / 1000");
    }

    @Test
    void theIstioWorkloadComesFromTheRevisionAttributeWhenSet() {
        MetricQuery q = new MetricQuery("myapp", Revision.of("v2", "img").withAttribute(Presets.WORKLOAD_ATTRIBUTE, "myapp-canary"),
                Role.CANDIDATE, Duration.ofSeconds(90), AT);
        assertThat(Presets.istio().render(Measure.REQUEST_RATE, q, 0))
                .isEqualTo("sum(rate(istio_requests_total{reporter=\"destination\",destination_workload=\"myapp-canary\"}[90s]))");
        MetricTemplates own = Presets.istio().toBuilder().variable("workload", x -> "wl-" + x.role().name().toLowerCase()).build();
        assertThat(own.render(Measure.REQUEST_RATE, q, 0)).contains("destination_workload=\"wl-candidate\"");
    }

    @Test
    void theIstioWorkloadIsTheDeploymentTheWorkloadsAdapterSaysServesTheRole() {
        MetricQuery q = new MetricQuery("myapp", Revision.of("v2.0.0", "myapp:v2.0.0"), Role.CANDIDATE, Duration.ofMinutes(5), AT)
                .withIdentity(new io.cutover.spi.WorkloadIdentity("shop", "myapp-canary", java.util.Map.of("cutover.io/track", "canary")));
        assertThat(Presets.istio().render(Measure.REQUEST_RATE, q, 0))
                .isEqualTo("sum(rate(istio_requests_total{reporter=\"destination\",destination_workload=\"myapp-canary\"}[5m]))");
    }

    @Test
    void customTemplatesUseNamedVariables() {
        MetricTemplates t = MetricTemplates.builder()
                .successRate("sum(rate(reqs{app=\"${app}\",rev=\"${revision}\",role=\"${role}\",cluster=\"${cluster}\",ok=\"true\"}[${window}]))"
                        + " / sum(rate(reqs{app=\"${app}\",rev=\"${revision}\"}[${window}]))")
                .variable("cluster", "eu-1")
                .build();
        assertThat(t.render(Measure.SUCCESS_RATE, Q, 0)).isEqualTo(
                "sum(rate(reqs{app=\"myapp\",rev=\"v2.0.0\",role=\"candidate\",cluster=\"eu-1\",ok=\"true\"}[5m]))"
                        + " / sum(rate(reqs{app=\"myapp\",rev=\"v2.0.0\"}[5m]))");
        assertThatThrownBy(() -> t.render(Measure.LATENCY, Q, 0.99)).hasMessageContaining("no latency template");
    }

    @Test
    void customTemplatesAreCheckedWhenBuilt() {
        assertThatThrownBy(() -> MetricTemplates.builder().successRate("up{a=\"${nope}\"}").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown variable 'nope'");
        assertThatThrownBy(() -> MetricTemplates.builder().latency("histogram_quantile(0.99, x)"))
                .hasMessageContaining("must use ${quantile}");
        assertThatThrownBy(() -> MetricTemplates.builder().errorRate("x * ${quantile}"))
                .hasMessageContaining("only has a value in the latency template");
        assertThatThrownBy(() -> MetricTemplates.builder().variable("app", "x")).hasMessageContaining("built in");
        assertThatThrownBy(() -> MetricTemplates.builder().variable("a-b", "x")).hasMessageContaining("variable name");
        assertThatThrownBy(() -> MetricTemplates.builder().build()).hasMessageContaining("at least one");
    }
}
