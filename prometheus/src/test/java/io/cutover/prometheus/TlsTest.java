package io.cutover.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.cutover.prometheus.Answers.AT;
import static io.cutover.prometheus.Answers.sample;
import static io.cutover.prometheus.Answers.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.CutoverException.Kind;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TLS is verified (certificate and host name) unless turned off explicitly. The test certificate names only localhost. */
class TlsTest {

    private static final String STORE = "/tls-localhost.p12";
    private static final char[] PASSWORD = "changeit".toCharArray();

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort().dynamicHttpsPort()
            .keystorePath(storePath()).keystoreType("PKCS12").keystorePassword("changeit").keyManagerPassword("changeit")).build();

    @BeforeEach
    void answer() {
        server.stubFor(any(urlPathEqualTo("/api/v1/query")).willReturn(okJson(vector(sample("1")))));
    }

    private static URI https(String host) {
        return URI.create("https://" + host + ":" + server.getHttpsPort());
    }

    @Test
    void theJvmsTrustRefusesAnUnknownCertificate() {
        PrometheusClient c = PrometheusClient.builder(https("localhost")).build();
        PrometheusException e = catchThrowableOfType(PrometheusException.class, () -> c.query("up", AT));
        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e.getMessage()).contains("not trusted");
    }

    @Test
    void aGivenSslContextIsTrusted() throws Exception {
        PrometheusClient c = PrometheusClient.builder(https("localhost")).sslContext(trusting()).build();
        assertThat(c.query("up", AT).result()).isInstanceOf(QueryResult.Vector.class);
    }

    @Test
    void theHostNameIsCheckedEvenWithATrustedCertificate() throws Exception {
        PrometheusClient c = PrometheusClient.builder(https("127.0.0.1")).sslContext(trusting()).build();
        PrometheusException e = catchThrowableOfType(PrometheusException.class, () -> c.query("up", AT));
        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e.getMessage()).contains("not trusted").containsIgnoringCase("subject alternative names");
    }

    @Test
    void turningVerificationOffIsExplicitAndShows() {
        PrometheusClient[] built = new PrometheusClient[1];
        String log = StdErr.during(() -> built[0] = PrometheusClient.builder(https("127.0.0.1")).insecureSkipTlsVerify().build());
        PrometheusClient c = built[0];
        String queries = StdErr.during(() -> {
            c.query("up", AT);
            c.query("up", AT);
        });
        assertThat(c.query("up", AT).result()).isInstanceOf(QueryResult.Vector.class);
        assertThat(log).containsOnlyOnce("TLS verification is OFF").contains("WARN");
        assertThat(queries).doesNotContain("TLS verification is OFF");
        assertThat(c.toString()).contains("tls verification OFF");
    }

    private static SSLContext trusting() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = TlsTest.class.getResourceAsStream(STORE)) {
            keys.load(in, PASSWORD);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("test-ca", keys.getCertificate("prometheus-test"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static String storePath() {
        try {
            return Path.of(TlsTest.class.getResource(STORE).toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
