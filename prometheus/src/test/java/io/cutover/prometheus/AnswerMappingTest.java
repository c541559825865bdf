package io.cutover.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.cutover.prometheus.Answers.AT;
import static io.cutover.prometheus.Answers.error;
import static io.cutover.prometheus.Answers.matrix;
import static io.cutover.prometheus.Answers.sample;
import static io.cutover.prometheus.Answers.scalar;
import static io.cutover.prometheus.Answers.string;
import static io.cutover.prometheus.Answers.vector;
import static io.cutover.prometheus.Answers.withWarnings;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.CutoverException.Kind;
import io.cutover.gate.Condition;
import io.cutover.gate.Gate;
import io.cutover.gate.GateContext;
import io.cutover.gate.Gates;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricValue;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kind of answer Prometheus (or a proxy in front of it) can give, and the measurement each maps to.
 * Only a real number that meets the condition passes.
 */
class AnswerMappingTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final Revision CANARY = Revision.of("v2", "myapp:v2");
    private static final MetricQuery QUERY = new MetricQuery("myapp", CANARY, Role.CANDIDATE, Duration.ofMinutes(5), AT);

    private PrometheusClient client(Duration timeout) {
        return PrometheusClient.builder(URI.create(server.baseUrl())).timeout(timeout).build();
    }

    private PrometheusMetricSource source(WarningPolicy warnings) {
        return PrometheusMetricSource.builder(client(Duration.ofSeconds(5))).warnings(warnings).build();
    }

    private PrometheusMetricSource source() {
        return source(WarningPolicy.NO_DATA);
    }

    private Measurement raw(Condition condition) {
        return raw(condition, source());
    }

    private Measurement raw(Condition condition, PrometheusMetricSource source) {
        Gate gate = PromQlGate.builder("sum(rate(http_requests_total[5m]))").name("raw").condition(condition).build();
        return gate.measure(new GateContext("myapp", "myapp", CANARY, AT, source, HealthProbe.NONE));
    }

    private Measurement preset(Gate gate) {
        return gate.measure(new GateContext("myapp", "myapp", CANARY, AT, source(), HealthProbe.NONE));
    }

    private static void answer(ResponseDefinitionBuilder response) {
        server.stubFor(any(urlPathEqualTo("/api/v1/query")).willReturn(response));
    }

    private static void answer(String json) {
        answer(okJson(json));
    }

    private PrometheusException failure(Runnable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call::run);
        assertThat(thrown).isInstanceOf(PrometheusException.class);
        return (PrometheusException) thrown;
    }

    @Nested
    class Numbers {
        @Test
        void aRealNumberThatMeetsTheConditionPasses() {
            answer(vector(sample("0.99")));
            Measurement m = raw(Condition.atLeast(0.95));
            assertThat(m.verdict()).isEqualTo(Verdict.PASSED);
            assertThat(m.value()).isEqualTo(0.99);
            assertThat(preset(Gates.successRate(0.95)).verdict()).isEqualTo(Verdict.PASSED);
        }

        @Test
        void aRealNumberThatMissesTheConditionFails() {
            answer(vector(sample("0.8")));
            assertThat(raw(Condition.atLeast(0.95)).verdict()).isEqualTo(Verdict.FAILED);
            assertThat(preset(Gates.successRate(0.95)).verdict()).isEqualTo(Verdict.FAILED);
            assertThat(raw(Condition.between(0.5, 0.9)).verdict()).isEqualTo(Verdict.PASSED);
            assertThat(raw(Condition.atMost(0.5)).verdict()).isEqualTo(Verdict.FAILED);
        }

        @Test
        void aScalarIsANumberToo() {
            answer(scalar("0.97"));
            assertThat(raw(Condition.atLeast(0.95)).verdict()).isEqualTo(Verdict.PASSED);
            assertThat(source().query("scalar(up)", AT)).isEqualTo(MetricValue.of(0.97));
        }

        @Test
        void numbersInExponentFormAreRead() {
            answer(vector(sample("2.5e-1")));
            assertThat(source().query("x", AT)).isEqualTo(MetricValue.of(0.25));
        }

        @Test
        void nanIsInconclusiveNeverPassed() {
            answer(vector(sample("NaN")));
            Measurement m = raw(Condition.atLeast(0.95));
            assertThat(m.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
            assertThat(m.detail()).contains("NaN");
            assertThat(preset(Gates.successRate(0.95)).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
            assertThat(preset(Gates.errorRate(0.05)).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        }

        @Test
        void plusInfinityNeverPasses() {
            answer(vector(sample("+Inf")));
            assertThat(raw(Condition.atLeast(0.95)).verdict()).isEqualTo(Verdict.ERROR);
            assertThat(raw(Condition.atMost(0.3)).verdict()).isEqualTo(Verdict.FAILED);
            assertThat(preset(Gates.latency(0.99, Duration.ofMillis(300))).verdict()).isEqualTo(Verdict.FAILED);
        }

        @Test
        void minusInfinityNeverPasses() {
            answer(vector(sample("-Inf")));
            assertThat(raw(Condition.atLeast(0.95)).verdict()).isEqualTo(Verdict.FAILED);
            assertThat(raw(Condition.atMost(0.3)).verdict()).isEqualTo(Verdict.ERROR);
        }

        @Test
        void aValueThatIsNotANumberIsAnError() {
            answer(vector(sample("0x1p3")));
            Measurement m = raw(Condition.atLeast(0.95));
            assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
            assertThat(m.detail()).contains("not a number");
        }

        @Test
        void aShareOutsideZeroToOneIsAnErrorOfTheTemplate() {
            answer(vector(sample("1.5")));
            PrometheusException e = failure(() -> source().successRate(QUERY));
            assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
            assertThat(e.getMessage()).contains("outside 0..1");
        }

        @Test
        void aNegativeLatencyIsAnErrorOfTheTemplate() {
            answer(vector(sample("-0.2")));
            assertThat(failure(() -> source().latency(QUERY, 0.99)).getMessage()).contains("negative");
        }
    }

    @Nested
    class Shapes {
        @Test
        void anEmptyResultIsNoDataSoInconclusive() {
            answer(vector());
            Measurement m = raw(Condition.atLeast(0.95));
            assertThat(m.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
            assertThat(m.detail()).contains("no series");
            assertThat(source().successRate(QUERY)).isInstanceOf(MetricValue.NoData.class);
            assertThat(preset(Gates.successRate(0.95)).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        }

        @Test
        void severalSeriesWhereOneWasExpectedIsAnError() {
            answer(vector(sample("{\"pod\":\"a\"}", "0.99"), sample("{\"pod\":\"b\"}", "0.5")));
            Measurement m = raw(Condition.atLeast(0.95));
            assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
            assertThat(m.detail()).contains("2 series").contains("pod=a").contains("sum(");
            assertThat(failure(() -> source().successRate(QUERY)).kind()).isEqualTo(Kind.PERMANENT);
        }

        @Test
        void aMatrixIsAnError() {
            answer(matrix("{}", "0.99", "0.98"));
            Measurement m = raw(Condition.atLeast(0.95));
            assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
            assertThat(m.detail()).contains("range vector");
        }

        @Test
        void aStringIsAnError() {
            answer(string("0.99"));
            Measurement m = raw(Condition.atLeast(0.95));
            assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
            assertThat(m.detail()).contains("string");
        }

        @Test
        void aNativeHistogramIsAnError() {
            answer(Answers.success("{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"histogram\":[" + Answers.TS
                    + ",{\"count\":\"3\",\"sum\":\"1\",\"buckets\":[]}]}]}"));
            Measurement m = raw(Condition.atLeast(0.95));
            assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
            assertThat(m.detail()).contains("native histogram");
        }

        @Test
        void aSuccessWithoutDataIsAnError() {
            answer("{\"status\":\"success\"}");
            Measurement m = raw(Condition.atLeast(0.95));
            assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
            assertThat(m.detail()).contains("malformed").contains("data");
        }

        @Test
        void anUnknownStatusIsAnError() {
            answer("{\"status\":\"partial\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
            assertThat(raw(Condition.atLeast(0.95)).verdict()).isEqualTo(Verdict.ERROR);
        }
    }

    @Nested
    class ServerErrors {
        @ParameterizedTest(name = "{0} (HTTP {1}) is ERROR, {2}")
        @CsvSource({
            "bad_data, 400, PERMANENT",
            "execution, 422, PERMANENT",
            "timeout, 503, TRANSIENT",
            "canceled, 503, TRANSIENT",
            "unavailable, 503, TRANSIENT",
            "internal, 500, TRANSIENT",
            "not_found, 404, PERMANENT",
            "not_acceptable, 406, PERMANENT",
            "something_new, 502, TRANSIENT",
            "something_new, 400, PERMANENT",
        })
        void eachErrorTypeIsAnErrorWithTheServersMessage(String type, int status, Kind kind) {
            answer(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                    .withBody(error(type, "1:5: parse error: unexpected <by>")));
            Measurement m = raw(Condition.atLeast(0.95));
            assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
            assertThat(m.detail()).contains("1:5: parse error: unexpected <by>").contains(type);

            PrometheusException e = failure(() -> source().successRate(QUERY));
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.errorType()).isEqualTo(type);
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.operation()).isEqualTo("GET /api/v1/query");
        }

        @Test
        void anErrorOnHttp200IsStillAnError() {
            answer(error("execution", "query processing would load too many samples into memory"));
            Measurement m = raw(Condition.atLeast(0.95));
            assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
            assertThat(m.detail()).contains("too many samples");
        }
    }

    @Nested
    class Warnings {
        private final String warned = withWarnings(vector(sample("0.99")), "warnings", "remote store eu-1 did not answer");

        @Test
        void aNumberWithWarningsIsNoDataByDefault() {
            answer(warned);
            Measurement m = raw(Condition.atLeast(0.95));
            assertThat(m.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
            assertThat(m.detail()).contains("remote store eu-1 did not answer");
        }

        @Test
        void warningsCanBeAcceptedOrMadeErrors() {
            answer(warned);
            assertThat(raw(Condition.atLeast(0.95), source(WarningPolicy.USE_VALUE)).verdict()).isEqualTo(Verdict.PASSED);
            Measurement error = raw(Condition.atLeast(0.95), source(WarningPolicy.ERROR));
            assertThat(error.verdict()).isEqualTo(Verdict.ERROR);
            assertThat(error.detail()).contains("remote store eu-1 did not answer");
        }

        @Test
        void warningsNeverTurnAFailureIntoAPass() {
            answer(withWarnings(vector(sample("0.5")), "warnings", "partial"));
            assertThat(raw(Condition.atLeast(0.95), source(WarningPolicy.USE_VALUE)).verdict()).isEqualTo(Verdict.FAILED);
        }

        @Test
        void infosLeaveTheNumberStanding() {
            answer(withWarnings(vector(sample("0.99")), "infos", "metric might not be a counter"));
            assertThat(raw(Condition.atLeast(0.95)).verdict()).isEqualTo(Verdict.PASSED);
            QueryResponse r = client(Duration.ofSeconds(5)).query("x", AT);
            assertThat(r.infos()).containsExactly("metric might not be a counter");
            assertThat(r.warnings()).isEmpty();
        }
    }

    @Nested
    class ProxiesAndNetworks {
        @Test
        void anHtmlPageOn200IsAPermanentError() {
            answer(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                    .withBody("<html><body>Please sign in</body></html>"));
            Measurement m = raw(Condition.atLeast(0.95));
            assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
            assertThat(m.detail()).contains("not a Prometheus answer").contains("text/html").contains("Please sign in");
            assertThat(failure(() -> source().successRate(QUERY)).kind()).isEqualTo(Kind.PERMANENT);
        }

        @Test
        void aBadGatewayPageIsTransient() {
            answer(aResponse().withStatus(502).withHeader("Content-Type", "text/html").withBody("<h1>502 Bad Gateway</h1>"));
            PrometheusException e = failure(() -> source().successRate(QUERY));
            assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(e.statusCode()).isEqualTo(502);
            assertThat(raw(Condition.atLeast(0.95)).verdict()).isEqualTo(Verdict.ERROR);
        }

        @Test
        void throttlingIsTransient() {
            answer(aResponse().withStatus(429).withBody("Too Many Requests"));
            assertThat(failure(() -> source().successRate(QUERY)).kind()).isEqualTo(Kind.TRANSIENT);
        }

        @Test
        void anUnauthorizedAnswerIsPermanentWithAHint() {
            answer(aResponse().withStatus(401).withBody("Unauthorized"));
            PrometheusException e = failure(() -> source().successRate(QUERY));
            assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
            assertThat(e.getMessage()).contains("bearer token or basic auth");
        }

        @ParameterizedTest(name = "HTTP {0}")
        @CsvSource({"403, credentials' permissions", "404, path prefix"})
        void forbiddenAndNotFoundArePermanentWithAHint(int status, String hint) {
            answer(aResponse().withStatus(status).withHeader("Content-Type", "text/plain").withBody("nope"));
            PrometheusException e = failure(() -> source().successRate(QUERY));
            assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
            assertThat(e.getMessage()).contains(hint).contains("HTTP " + status);
        }

        @Test
        void aRedirectIsNotFollowed() {
            answer(aResponse().withStatus(302).withHeader("Location", "https://login.example/"));
            PrometheusException e = failure(() -> source().successRate(QUERY));
            assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
            assertThat(e.getMessage()).contains("https://login.example/");
        }

        @Test
        void truncatedJsonIsTransient() {
            String whole = vector(sample("0.99"));
            answer(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody(whole.substring(0, whole.length() / 2)));
            PrometheusException e = failure(() -> source().successRate(QUERY));
            assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(e.getMessage()).contains("truncated");
            assertThat(raw(Condition.atLeast(0.95)).verdict()).isEqualTo(Verdict.ERROR);
        }

        @Test
        void anEmptyBodyIsTransient() {
            answer(aResponse().withStatus(200));
            assertThat(failure(() -> source().successRate(QUERY)).kind()).isEqualTo(Kind.TRANSIENT);
        }

        @Test
        void trailingGarbageAfterTheAnswerIsAnError() {
            answer(aResponse().withStatus(200).withBody(vector(sample("0.99")) + "{}"));
            assertThat(raw(Condition.atLeast(0.95)).verdict()).isEqualTo(Verdict.ERROR);
        }

        @Test
        void aSlowServerIsATransientTimeout() {
            answer(okJson(vector(sample("0.99"))).withFixedDelay(3_000));
            PrometheusMetricSource slow = PrometheusMetricSource.builder(client(Duration.ofMillis(300))).build();
            PrometheusException e = failure(() -> slow.successRate(QUERY));
            assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(e.getMessage()).contains("within PT0.3S");
        }

        @Test
        void aBodyThatTricklesInIsATransientTimeout() {
            answer(okJson(vector(sample("0.99"))).withChunkedDribbleDelay(20, 3_000));
            PrometheusMetricSource slow = PrometheusMetricSource.builder(client(Duration.ofMillis(400))).build();
            PrometheusException e = failure(() -> slow.successRate(QUERY));
            assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        }

        @Test
        void aRefusedConnectionIsTransient() throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            PrometheusClient nobody = PrometheusClient.builder(URI.create("http://127.0.0.1:" + port)).build();
            PrometheusException e = failure(() -> PrometheusMetricSource.builder(nobody).build().successRate(QUERY));
            assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(e.getMessage()).contains("refused");
            Gate gate = PromQlGate.of("up", Condition.atLeast(1));
            Measurement m = gate.measure(new GateContext("r", "myapp", CANARY, AT,
                    PrometheusMetricSource.builder(nobody).build(), HealthProbe.NONE));
            assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
        }

        @ParameterizedTest
        @EnumSource(value = Fault.class, names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "MALFORMED_RESPONSE_CHUNK",
            "RANDOM_DATA_THEN_CLOSE"})
        void aBrokenConnectionIsTransient(Fault fault) {
            answer(aResponse().withFault(fault));
            PrometheusException e = failure(() -> source().successRate(QUERY));
            assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(raw(Condition.atLeast(0.95)).verdict()).isEqualTo(Verdict.ERROR);
        }

        @Test
        void aBodyLargerThanTheLimitIsRefused() {
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                many.append(i == 0 ? "" : ",").append(sample("{\"pod\":\"p" + i + "\"}", "1"));
            }
            answer(vector(many.toString()));
            PrometheusClient small = PrometheusClient.builder(URI.create(server.baseUrl())).maxResponseBytes(4096).build();
            PrometheusException e = failure(() -> small.query("up", AT));
            assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
            assertThat(e.getMessage()).contains("larger than 4096 bytes");
        }
    }
}
