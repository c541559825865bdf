package io.cutover.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.cutover.prometheus.Answers.AT;
import static io.cutover.prometheus.Answers.vector;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.gate.GateContext;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A hostile application name reaches the server as one escaped string: the query keeps its structure. */
class InjectionWireMockTest {

    static final String HOSTILE = "\"} or vector(1) #";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private PrometheusMetricSource source;

    @BeforeEach
    void setUp() {
        server.stubFor(any(urlPathEqualTo("/api/v1/query")).willReturn(okJson(vector())));
        source = PrometheusMetricSource.builder(PrometheusClient.builder(URI.create(server.baseUrl())).build()).build();
    }

    private String received() {
        List<String> queries = server.findAll(anyRequestedFor(urlPathEqualTo("/api/v1/query"))).stream()
                .map(r -> r.queryParameter("query").firstValue()).toList();
        assertThat(queries).hasSize(1);
        return queries.get(0);
    }

    @Test
    void aHostileApplicationNameStaysInsideItsLabelValue() {
        MetricQuery q = new MetricQuery(HOSTILE, Revision.of("v2", "img"), Role.CANDIDATE, Duration.ofMinutes(5), AT);
        source.requestRate(q);
        assertThat(received()).isEqualTo(
                "sum(rate(http_requests_total{cutover_io_application=\"\\\"} or vector(1) #\",cutover_io_revision=\"v2\"}[5m]))");
    }

    @Test
    void aHostileValueInARegexMatchesOnlyItself() {
        PromQlGate gate = PromQlGate.builder("sum(rate(http_requests_total{service=~\"${app}\"}[5m]))").atLeast(0).build();
        Measurement m = gate.measure(new GateContext("r", ".*|" + HOSTILE, Revision.of("v2", "img"), AT, source, HealthProbe.NONE));
        assertThat(received()).isEqualTo(
                "sum(rate(http_requests_total{service=~\"\\\\.\\\\*\\\\|\\\"\\\\} or vector\\\\(1\\\\) #\"}[5m]))");
        assertThat(m.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void aHostileValueOutsideAStringIsNeverSent() {
        PromQlGate gate = PromQlGate.builder("sum(rate(${metric}[5m]))").variable("metric", "up[5m]) or vector(1) #").atLeast(0).build();
        Measurement m = gate.measure(new GateContext("r", "myapp", Revision.of("v2", "img"), AT, source, HealthProbe.NONE));
        assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(m.detail()).contains("'metric'");
        assertThat(server.findAll(anyRequestedFor(urlPathEqualTo("/api/v1/query")))).isEmpty();
    }
}
