package io.cutover.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.cutover.prometheus.Answers.AT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.gate.Condition;
import io.cutover.gate.GateContext;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.Revision;
import java.net.URI;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Finding: "A 302 whose Location echoed credentials put the Prometheus token and basic-auth pair into an
 * exception message. A 5 MB Prometheus error became a 5-million-character measurement detail."
 */
class PrometheusEchoesTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String TOKEN = "tok-3f9a-s3cret-77";
    private static final String PAIR = Base64.getEncoder().encodeToString("deployer:pa55-s3cret".getBytes());

    private static void assertClean(String text) {
        assertThat(text).doesNotContain("s3cret").doesNotContain(PAIR).doesNotContain("\n").doesNotContain("\r");
    }

    private static Measurement measure(PrometheusClient client) {
        PromQlGate gate = PromQlGate.builder("sum(rate(http_requests_total[5m]))").name("raw")
                .condition(Condition.atLeast(0.95)).build();
        return gate.measure(new GateContext("myapp", "myapp", Revision.of("v2", "myapp:v2"), AT,
                PrometheusMetricSource.builder(client).build(), HealthProbe.NONE));
    }

    @Test
    void aRedirectEchoingTheBasicAuthPairAndTokenPutsNeitherIntoTheException() {
        server.stubFor(any(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "https://deployer:pa55-s3cret@login.example/?access_token=" + TOKEN + "&auth=" + PAIR)));
        PrometheusClient basic = PrometheusClient.builder(URI.create(server.baseUrl())).basicAuth("deployer", "pa55-s3cret").build();
        PrometheusClient bearer = PrometheusClient.builder(URI.create(server.baseUrl())).bearerToken(TOKEN).build();

        assertThatThrownBy(() -> basic.query("up", AT)).isInstanceOf(PrometheusException.class)
                .hasMessageContaining("302 redirect to https://[redacted]@login.example/")
                .satisfies(e -> assertClean(e.getMessage()));
        assertThatThrownBy(() -> bearer.query("up", AT)).satisfies(e -> assertClean(e.getMessage()));
    }

    @Test
    void aFiveMegabyteErrorEchoingTheTokenBecomesAShortCleanDetail() {
        String huge = "Authorization: Bearer " + TOKEN + "\\r\\nforged line\\r\\n" + "x".repeat(5_000_000);
        server.stubFor(any(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(Answers.error("bad_data", huge))));
        PrometheusClient client = PrometheusClient.builder(URI.create(server.baseUrl())).bearerToken(TOKEN).build();

        Measurement m = measure(client);

        assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(m.detail()).contains("bad_data").hasSizeLessThan(1_000);
        assertClean(m.detail());
    }

    @Test
    void credentialsOverPlainHttpToAnotherHostAreRefusedUnlessAllowed() {
        URI remote = URI.create("http://prometheus.monitoring.example:9090");

        assertThatThrownBy(() -> PrometheusClient.builder(remote).bearerToken(TOKEN).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[bearerToken]").hasMessageContaining("plain http").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> PrometheusClient.builder(remote).basicAuth("deployer", "pa55-s3cret").build())
                .hasMessageContaining("[basicAuth]");
        assertThat(PrometheusClient.builder(remote).bearerToken(TOKEN).allowPlainHttp().build()).isNotNull();
        assertThat(PrometheusClient.builder(remote).build()).as("no credentials, nothing to refuse").isNotNull();
    }

    @Test
    void aGateWithItsOwnPrometheusIsNotSelfContainedAndOneOnTheTargetsSourceIs() {
        PrometheusClient client = PrometheusClient.builder(URI.create(server.baseUrl())).build();

        assertThat(PromQlGate.builder("up").condition(Condition.atLeast(1)).build().selfContained()).isTrue();
        assertThat(PromQlGate.builder("up").condition(Condition.atLeast(1))
                .source(PrometheusMetricSource.builder(client).build()).build().selfContained()).isFalse();
    }
}
