package io.cutover.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.cutover.prometheus.Answers.AT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cutover.CutoverException;
import io.cutover.spi.Measure;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSamples;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the metric source sends for samples, and what it accepts back. */
class RangeSamplesWireMockTest {

    static final String HOSTILE = "\"} or vector(1) #";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private PrometheusMetricSource source;

    @BeforeEach
    void setUp() {
        source = PrometheusMetricSource.builder(PrometheusClient.builder(URI.create(server.baseUrl())).build()).build();
    }

    static String matrix(String... series) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + String.join(",", series) + "]}}";
    }

    static String series(String labels, String values) {
        return "{\"metric\":{" + labels + "},\"values\":[" + values + "]}";
    }

    private void answer(String body) {
        server.stubFor(any(urlPathEqualTo("/api/v1/query_range")).willReturn(okJson(body)));
    }

    private LoggedRequest received() {
        List<LoggedRequest> all = server.findAll(anyRequestedFor(urlPathEqualTo("/api/v1/query_range")));
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static MetricQuery query(String revision, Role role) {
        return new MetricQuery("myapp", Revision.of(revision, "img"), role, Duration.ofMinutes(5), AT.plusSeconds(25));
    }

    @Test
    void theTemplateIsRenderedWithTheStepAsItsWindowAndAskedOverWholeStepsOfTheWindow() {
        long end = AT.getEpochSecond();
        answer(matrix(series("", "[" + (end - 10) + ",\"0.01\"],[" + end + ",\"NaN\"]")));
        MetricSamples s = source.samples(query("v2", Role.CANDIDATE), Measure.errorRate(), Duration.ofSeconds(10));
        LoggedRequest r = received();
        assertThat(r.queryParameter("query").firstValue()).contains("cutover_io_revision=\"v2\"").contains("[10s]").doesNotContain("[5m]");
        assertThat(r.queryParameter("end").firstValue()).isEqualTo(Long.toString(end + 20));
        // the window starts at AT - 4:35; the first whole 10-second interval in it ends at AT - 4:20
        assertThat(r.queryParameter("start").firstValue()).isEqualTo(Long.toString(end - 260));
        assertThat(r.queryParameter("step").firstValue()).isEqualTo("10");
        assertThat(s.values()).containsExactly(0.01, Double.NaN);
    }

    @Test
    void aHostileRevisionNameStaysInsideItsLabelValue() {
        answer(matrix());
        MetricSamples s = source.samples(new MetricQuery(HOSTILE, Revision.of("v2", "img"), Role.STABLE, Duration.ofMinutes(5), AT),
                Measure.requestRate(), Duration.ofSeconds(30));
        assertThat(received().queryParameter("query").firstValue())
                .isEqualTo("sum(rate(http_requests_total{cutover_io_application=\"\\\"} or vector(1) #\",cutover_io_revision=\"v2\"}[30s]))");
        assertThat(s.isEmpty()).isTrue();
        assertThat(s.noDataReason()).contains("no series");
    }

    @Test
    void severalSeriesOrAShareOutsideZeroToOneAreErrorsNotSamples() {
        answer(matrix(series("\"pod\":\"a\"", "[1,\"1\"]"), series("\"pod\":\"b\"", "[1,\"2\"]")));
        assertThatThrownBy(() -> source.samples(query("v2", Role.CANDIDATE), Measure.requestRate(), Duration.ofSeconds(10)))
                .isInstanceOf(CutoverException.class).hasMessageContaining("2 series where one was expected");
        server.resetAll();
        answer(matrix(series("", "[1,\"0.5\"],[2,\"1.5\"]")));
        assertThatThrownBy(() -> source.samples(query("v2", Role.CANDIDATE), Measure.successRate(), Duration.ofSeconds(10)))
                .isInstanceOf(CutoverException.class).hasMessageContaining("outside 0..1");
    }

    @Test
    void aServerWarningIsNoDataByDefault() {
        answer("{\"status\":\"success\",\"warnings\":[\"partial response\"],\"data\":{\"resultType\":\"matrix\",\"result\":["
                + series("", "[1,\"0.5\"]") + "]}}");
        MetricSamples s = source.samples(query("v2", Role.CANDIDATE), Measure.latency(0.99), Duration.ofSeconds(10));
        assertThat(s.isEmpty()).isTrue();
        assertThat(s.noDataReason()).contains("partial response");
    }

    @Test
    void aStepThatIsNotWholeSecondsIsRefused() {
        assertThatThrownBy(() -> source.samples(query("v2", Role.CANDIDATE), Measure.errorRate(), Duration.ofMillis(1500)))
                .hasMessageContaining("step must be a positive whole number of seconds");
    }
}
