package io.cutover.probe;

import static io.cutover.probe.Probes.http;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpHealthProbeBuilderTest {

    private static final URI BASE = URI.create("http://myapp:8080");

    @Test
    void defaultsFollowTheKubernetesProbesOfTheGuide() {
        HttpHealthProbe probe = http(BASE).build();

        assertThat(probe.base()).isEqualTo(BASE);
        assertThat(probe.livenessPath()).isEqualTo("/health");
        assertThat(probe.readinessPath()).isEqualTo("/ready");
        assertThat(probe.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(probe.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(probe.accepts(200)).isTrue();
        assertThat(probe.accepts(204)).isFalse();
        assertThat(probe.headerNames()).isEmpty();
        assertThat(probe.toString()).isEqualTo("HttpHealthProbe{http://myapp:8080, liveness /health, readiness /ready, "
                + "expect 200, timeout 2s, connectTimeout 2s}");
    }

    @Test
    void toBuilderDerivesAChangedCopy() {
        HttpHealthProbe probe = http(BASE).readinessPath("/readyz").timeout(Duration.ofMillis(500)).build();

        HttpHealthProbe changed = probe.toBuilder().livenessPath("/livez").build();

        assertThat(changed.livenessPath()).isEqualTo("/livez");
        assertThat(changed.readinessPath()).isEqualTo("/readyz");
        assertThat(changed.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(probe.livenessPath()).isEqualTo("/health");
    }

    @Test
    void pathsMustStartWithASlash() {
        assertThatThrownBy(() -> http(BASE).readinessPath("ready").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("readinessPath must start with '/': ready");
        assertThatThrownBy(() -> http(BASE).livenessPath("").build())
                .hasMessage("livenessPath must start with '/': ");
        assertThatThrownBy(() -> http(BASE).livenessPath("/a b").build())
                .hasMessageStartingWith("livenessPath is not a valid URI path: /a b");
    }

    @Test
    void timeoutsMustBePositive() {
        assertThatThrownBy(() -> http(BASE).timeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be positive: PT0S");
        assertThatThrownBy(() -> http(BASE).connectTimeout(Duration.ofSeconds(-1)).build())
                .hasMessage("connectTimeout must be positive: PT-1S");
        assertThatThrownBy(() -> http(BASE).timeout(null).build())
                .hasMessage("timeout must not be null");
    }

    @Test
    void statusCodesMustBeWithin100To599() {
        assertThatThrownBy(() -> http(BASE).expectStatus(200, 99).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expectStatus must be an HTTP status code within 100..599: 99");
        assertThatThrownBy(() -> http(BASE).expectStatusIn(200, 600).build())
                .hasMessage("expectStatusIn to must be an HTTP status code within 100..599: 600");
        assertThatThrownBy(() -> http(BASE).expectStatusIn(299, 200).build())
                .hasMessage("expectStatusIn range must not be empty: 299..200");
        assertThatThrownBy(() -> http(BASE).expectStatus().build())
                .hasMessage("expectStatus must name at least one status code");
    }

    @Test
    void theBaseMustBeAPlainHttpUri() {
        assertThatThrownBy(() -> http((URI) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("base must not be null");
        assertThatThrownBy(() -> http(URI.create("ftp://myapp")))
                .hasMessage("base must be an absolute http or https URI with a host: ftp://myapp");
        assertThatThrownBy(() -> http(URI.create("/relative")))
                .hasMessage("base must be an absolute http or https URI with a host: /relative");
        assertThatThrownBy(() -> http(URI.create("http://admin:hunter2@myapp:8080")))
                .hasMessageContaining("must not carry credentials")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> http("http://myapp:8080?x=1"))
                .hasMessage("base must have no query or fragment: http://myapp:8080");
    }

    @Test
    void headersMustBeValidAndNotManagedByTheClient() {
        assertThatThrownBy(() -> http(BASE).header("Bad Header", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header must be a valid HTTP header name: 'Bad Header'");
        assertThatThrownBy(() -> http(BASE).header("Host", "other"))
                .hasMessage("header Host is set by the HTTP client and cannot be given");
        assertThatThrownBy(() -> http(BASE).header("Authorization", "Bearer secret\r\nX: y"))
                .hasMessage("header Authorization value must be non-null and free of CR and LF")
                .hasMessageNotContaining("secret");
    }

    @Test
    void bodyExpectationsMustNotBeEmpty() {
        assertThatThrownBy(() -> http(BASE).expectBody("  "))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("expectBody must not be blank");
        assertThatThrownBy(() -> http(BASE).expectBodyContaining(""))
                .hasMessage("expectBodyContaining must not be empty");
    }

    @Test
    void aConnectTimeoutCannotApplyToAGivenClient() {
        assertThatThrownBy(() -> http(BASE).withHttpClient(HttpClient.newHttpClient())
                .connectTimeout(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectTimeout 1s cannot apply to a client given with withHttpClient: set it on that client");
    }
}
