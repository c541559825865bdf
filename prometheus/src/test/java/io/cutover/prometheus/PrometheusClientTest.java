package io.cutover.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.cutover.prometheus.Answers.AT;
import static io.cutover.prometheus.Answers.matrix;
import static io.cutover.prometheus.Answers.sample;
import static io.cutover.prometheus.Answers.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cutover.CutoverException.Kind;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the client sends, and what it never shows. */
class PrometheusClientTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @BeforeEach
    void answerOneSample() {
        server.stubFor(any(urlPathEqualTo("/api/v1/query")).willReturn(okJson(vector(sample("{\"job\":\"api\"}", "0.99")))));
    }

    private PrometheusClient.Builder client() {
        return PrometheusClient.builder(URI.create(server.baseUrl()));
    }

    private static LoggedRequest only() {
        List<LoggedRequest> requests = server.findAll(anyRequestedFor(urlPathEqualTo("/api/v1/query")));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    @Test
    void anInstantQueryIsAGetWithQueryAndTime() {
        QueryResponse r = client().build().query("sum(rate(http_requests_total[5m]))", Instant.parse("2026-01-01T00:30:00.250Z"));

        server.verify(getRequestedFor(urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", equalTo("sum(rate(http_requests_total[5m]))"))
                .withQueryParam("time", equalTo("1767227400.25"))
                .withQueryParam("timeout", absent())
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("Authorization", absent()));
        QueryResult.Sample s = ((QueryResult.Vector) r.result()).samples().get(0);
        assertThat(s.labels()).isEqualTo(Map.of("job", "api"));
        assertThat(s.value()).isEqualTo(0.99);
        assertThat(s.time()).isEqualTo(Instant.parse("2026-01-01T00:30:00.123Z"));
    }

    @Test
    void theQueryTimeoutIsSentAsAPromQlDuration() {
        client().queryTimeout(Duration.ofMillis(2500)).build().query("up", AT);
        server.verify(getRequestedFor(urlPathEqualTo("/api/v1/query")).withQueryParam("timeout", equalTo("2500ms")));
    }

    @Test
    void aLongQueryGoesAsAPostForm() {
        String longQuery = "sum(rate(http_requests_total{service=\"" + "a".repeat(3000) + "\"}[5m]))";
        client().build().query(longQuery, AT);

        LoggedRequest r = only();
        assertThat(r.getMethod().getName()).isEqualTo("POST");
        assertThat(r.getHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(form(r.getBodyAsString())).containsEntry("query", longQuery).containsEntry("time", "1767227400");
        assertThat(r.getUrl()).isEqualTo("/api/v1/query");
    }

    @Test
    void aThresholdOfZeroPostsEveryQuery() {
        client().postThreshold(0).build().query("up", AT);
        server.verify(postRequestedFor(urlPathEqualTo("/api/v1/query")));
    }

    @Test
    void aRangeQuerySendsStartEndAndStep() {
        server.stubFor(any(urlPathEqualTo("/api/v1/query_range")).willReturn(okJson(matrix("{\"job\":\"api\"}", "1", "NaN", "+Inf"))));
        QueryResponse r = client().build().queryRange("up", AT, AT.plusSeconds(120), Duration.ofSeconds(60));

        server.verify(getRequestedFor(urlPathEqualTo("/api/v1/query_range"))
                .withQueryParam("start", equalTo("1767227400"))
                .withQueryParam("end", equalTo("1767227520"))
                .withQueryParam("step", equalTo("60")));
        List<QueryResult.Point> points = ((QueryResult.Matrix) r.result()).series().get(0).points();
        assertThat(points).extracting(QueryResult.Point::value).containsExactly(1.0, Double.NaN, Double.POSITIVE_INFINITY);
        assertThat(points.get(1).time()).isEqualTo(AT.plusSeconds(60));
    }

    @Test
    void aRangeTooFineForPrometheusIsRefusedBeforeSending() {
        assertThatThrownBy(() -> client().build().queryRange("up", AT, AT.plus(Duration.ofDays(1)), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 11000");
    }

    @Test
    void theBearerTokenIsAskedForBeforeEveryRequestSoItCanRotate() {
        AtomicInteger n = new AtomicInteger();
        PrometheusClient c = client().bearerToken(() -> "token-" + n.incrementAndGet()).build();
        c.query("up", AT);
        c.query("up", AT);

        List<LoggedRequest> requests = server.findAll(anyRequestedFor(urlPathEqualTo("/api/v1/query")));
        assertThat(requests).extracting(r -> r.getHeader("Authorization")).containsExactly("Bearer token-1", "Bearer token-2");
    }

    @Test
    void basicAuthAndExtraHeadersAreSent() {
        client().basicAuth("reader", "s3cret").header("X-Scope-OrgID", "team-a").build().query("up", AT);
        LoggedRequest r = only();
        assertThat(r.getHeader("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("reader:s3cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.getHeader("X-Scope-OrgID")).isEqualTo("team-a");
    }

    @Test
    void aPathPrefixIsKept() {
        server.stubFor(any(urlPathEqualTo("/prometheus/api/v1/query")).willReturn(okJson(vector(sample("1")))));
        PrometheusClient.builder(URI.create(server.baseUrl() + "/prometheus/")).build().query("up", AT);
        server.verify(getRequestedFor(urlPathEqualTo("/prometheus/api/v1/query")));
    }

    @Test
    void secretsNeverAppearInToStringOrErrorsEvenWhenTheServerEchoesThem() {
        server.stubFor(any(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(401)
                .withBody("invalid token tok-SECRET-123 for user; header was Bearer tok-SECRET-123")));
        PrometheusClient bearer = client().bearerToken("tok-SECRET-123").build();
        PrometheusException e = catchThrowableOfType(PrometheusException.class, () -> bearer.query("up", AT));
        assertThat(e.getMessage()).doesNotContain("SECRET").contains("[redacted]");
        assertThat(bearer.toString()).doesNotContain("SECRET").contains("auth=bearer");

        String basic = Base64.getEncoder().encodeToString("reader:pw-SECRET".getBytes(StandardCharsets.UTF_8));
        server.stubFor(any(urlPathEqualTo("/api/v1/query")).willReturn(okJson(
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"bad credentials pw-SECRET " + basic + "\"}")
                .withStatus(400)));
        PrometheusClient withPassword = client().basicAuth("reader", "pw-SECRET").build();
        PrometheusException e2 = catchThrowableOfType(PrometheusException.class, () -> withPassword.query("up", AT));
        assertThat(e2.getMessage()).doesNotContain("SECRET").doesNotContain(basic);
        assertThat(withPassword.toString()).doesNotContain("SECRET").contains("auth=basic");
    }

    @Test
    void secretsEchoedInWarningsReachNeitherTheLogNorTheAnswer() {
        server.stubFor(any(urlPathEqualTo("/api/v1/query")).willReturn(okJson(
                Answers.withWarnings(vector(sample("1")), "warnings", "token tok-SECRET-9 is deprecated"))));
        PrometheusClient c = client().bearerToken("tok-SECRET-9").build();
        QueryResponse[] answer = new QueryResponse[1];
        String log = StdErr.during(() -> answer[0] = c.query("up", AT));
        assertThat(log).contains("is deprecated").doesNotContain("SECRET");
        assertThat(answer[0].warnings()).containsExactly("token [redacted] is deprecated");
    }

    @Test
    void aFailingTokenSupplierDoesNotLeakItsMessage() {
        PrometheusClient c = client().bearerToken(() -> {
            throw new IllegalStateException("could not read tok-SECRET");
        }).build();
        PrometheusException e = catchThrowableOfType(PrometheusException.class, () -> c.query("up", AT));
        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.getMessage()).contains("supplier failed").doesNotContain("SECRET");
        assertThat(server.findAll(anyRequestedFor(urlPathEqualTo("/api/v1/query")))).isEmpty();
    }

    @Test
    void anEmptyTokenIsRefusedWithoutSending() {
        PrometheusClient c = client().bearerToken(() -> " ").build();
        PrometheusException e = catchThrowableOfType(PrometheusException.class, () -> c.query("up", AT));
        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(server.findAll(anyRequestedFor(urlPathEqualTo("/api/v1/query")))).isEmpty();
    }

    @Test
    void anInterruptedCallerGetsATransientErrorAndKeepsItsInterruptFlag() {
        Thread.currentThread().interrupt();
        try {
            PrometheusException e = catchThrowableOfType(PrometheusException.class, () -> client().build().query("up", AT));
            assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(e.getMessage()).contains("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> PrometheusClient.builder(URI.create("ftp://prometheus:9090")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUri");
        assertThatThrownBy(() -> PrometheusClient.builder(URI.create("http://user:pw@prometheus:9090")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credentials").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> client().timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> client().queryTimeout(Duration.ofMinutes(2)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queryTimeout PT2M must not exceed timeout PT30S");
        assertThatThrownBy(() -> client().header("Authorization", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bearerToken");
        assertThatThrownBy(() -> client().header("X-Tenant", "a\r\nInjected: 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X-Tenant");
        assertThatThrownBy(() -> client().header("bad header", "v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad header");
        assertThatThrownBy(() -> client().bearerToken("t").basicAuth("u", "p").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bearerToken and basicAuth");
        assertThatThrownBy(() -> client().postThreshold(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postThreshold");
        assertThatThrownBy(() -> client().build().query(" ", AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expression");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
