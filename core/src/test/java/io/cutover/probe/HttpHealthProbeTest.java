package io.cutover.probe;

import static io.cutover.probe.Probes.http;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.cutover.spi.Health;
import io.cutover.spi.Revision;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpHealthProbeTest {

    private static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    private FlaskLikeService service;

    @BeforeEach
    void start() throws IOException {
        service = new FlaskLikeService();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void readyWhenHealthAndReadyAnswer200() {
        Health health = http(service.uri()).build().check(V2);

        assertThat(health.live()).isTrue();
        assertThat(health.ready()).isTrue();
        assertThat(health.detail()).contains("/ready answered 200");
        assertThat(service.seen()).extracting(FlaskLikeService.Seen::path).containsExactly("/health", "/ready");
        assertThat(service.seen()).extracting(FlaskLikeService.Seen::method).containsOnly("GET");
    }

    @Test
    void liveButNotReadyWhenTheDatabaseIsDown() {
        service.databaseDown("could not connect to server: Connection refused");

        Health health = http(service.uri()).build().check(V2);

        assertThat(health.live()).isTrue();
        assertThat(health.ready()).isFalse();
        assertThat(health.detail())
                .contains("/ready answered 503, expected 200")
                .contains("\"status\": \"unhealthy\"")
                .contains("could not connect to server");
    }

    @Test
    void notReadyWhenRedisIsDown() {
        service.redisDown("Error 111 connecting to redis:6379");

        Health health = http(service.uri()).build().check(V2);

        assertThat(health.ready()).isFalse();
        assertThat(health.detail()).contains("503").contains("redis");
    }

    @Test
    void notLiveAndNotAskedForReadinessWhenHealthFails() {
        service.respond("/health", 500, "{\"status\": \"broken\"}");

        Health health = http(service.uri()).build().check(V2);

        assertThat(health.live()).isFalse();
        assertThat(health.ready()).isFalse();
        assertThat(health.detail()).contains("/health answered 500, expected 200").contains("broken");
        assertThat(service.seen()).extracting(FlaskLikeService.Seen::path).containsExactly("/health");
    }

    @Test
    void wrongStatusIsNotReadyEvenWhen2xx() {
        service.respond("/ready", 204, "");

        Health health = http(service.uri()).build().check(V2);

        assertThat(health.ready()).isFalse();
        assertThat(health.detail()).contains("answered 204, expected 200");
    }

    @Test
    void aStatusRangeAcceptsEveryCodeInIt() {
        service.respond("/ready", 204, "");

        Health health = http(service.uri()).expectStatusIn(200, 299).build().check(V2);

        assertThat(health.ready()).isTrue();
    }

    @Test
    void aStatusSetAcceptsOnlyItsCodes() {
        service.respond("/health", 204, "").respond("/ready", 202, "");

        HttpHealthProbe probe = http(service.uri()).expectStatus(200, 204).build();

        Health health = probe.check(V2);
        assertThat(health.live()).isTrue();
        assertThat(health.ready()).isFalse();
        assertThat(health.detail()).contains("answered 202, expected 200, 204");
    }

    @Test
    void exactBodyIsComparedAfterTrimming() {
        service.respond("/health", 200, "ok\n").respond("/ready", 200, "  ok  ");

        Health health = http(service.uri()).expectBody("ok").build().check(V2);

        assertThat(health.ready()).isTrue();
    }

    @Test
    void bodyMismatchIsNotReadyAndShowsWhatWasSeen() {
        service.respond("/health", 200, "ok").respond("/ready", 200, "degraded");

        Health health = http(service.uri()).expectBody("ok").build().check(V2);

        assertThat(health.live()).isTrue();
        assertThat(health.ready()).isFalse();
        assertThat(health.detail()).contains("answered 200 with body 'degraded', expected body 'ok'");
    }

    @Test
    void bodyContainingMatchesPartOfTheBody() {
        HttpHealthProbe probe = http(service.uri()).expectBodyContaining("\"status\": \"healthy\"").build();

        assertThat(probe.check(V2).ready()).isTrue();

        service.respond("/ready", 200, "{\"status\": \"starting\"}");
        Health health = probe.check(V2);
        assertThat(health.ready()).isFalse();
        assertThat(health.detail()).contains("expected a body containing '\"status\": \"healthy\"'");
    }

    @Test
    void onlyTheFirst200CharactersOfABodyAreShown() {
        String body = "a".repeat(200) + "TAIL" + "z".repeat(800);
        service.respond("/ready", 503, body);

        Health health = http(service.uri()).build().check(V2);

        assertThat(health.detail()).contains("a".repeat(200)).doesNotContain("TAIL").doesNotContain("z");
    }

    @Test
    void aHugeBodyIsReadOnlyUpToTheCap() {
        HttpHealthProbe probe = http(service.uri()).readinessPath("/health").expectBodyContaining("needle").build();
        service.respond("/health", 200, "x".repeat(HttpHealthProbe.BODY_CAP - 6) + "needle" + "y".repeat(1_000_000));
        assertThat(probe.check(V2).live()).isTrue();

        service.respond("/health", 200, "x".repeat(HttpHealthProbe.BODY_CAP) + "needle" + "y".repeat(1_000_000));
        Health health = probe.check(V2);

        assertThat(health.live()).isFalse();
        assertThat(health.detail()).contains("expected a body containing 'needle'").contains("x".repeat(200) + "...");
    }

    @Test
    void theBodyIsDecodedInTheCharsetTheServerNames() {
        service.respond("/health", 200, "text/plain; charset=ISO-8859-1", "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1))
                .respond("/ready", 200, "text/plain", "caf\u00e9".getBytes(StandardCharsets.UTF_8));

        Health health = http(service.uri()).expectBody("caf\u00e9").build().check(V2);

        assertThat(health.ready()).as(health.detail()).isTrue();
    }

    @Test
    void aSlowEndpointTimesOutIntoNotReadyWithoutThrowing() {
        service.hang("/ready");
        HttpHealthProbe probe = http(service.uri()).timeout(Duration.ofMillis(300)).build();

        Health health = probe.check(V2);

        assertThat(health.live()).isTrue();
        assertThat(health.ready()).isFalse();
        assertThat(health.detail()).contains("GET " + service.uri() + "/ready timed out after 300ms");
    }

    @Test
    void aRefusedConnectionIsNotLiveAndNamesTheException() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        Health health = http(URI.create("http://127.0.0.1:" + closedPort)).build().check(V2);

        assertThat(health.live()).isFalse();
        assertThat(health.ready()).isFalse();
        assertThat(health.detail()).contains("GET http://127.0.0.1:" + closedPort + "/health failed: ConnectException");
    }

    @Test
    void extraHeadersAreSentButTheirValuesNeverShown() {
        HttpHealthProbe probe = http(service.uri())
                .header("Authorization", "Bearer s3cr3t-token")
                .header("X-Probe", "cutover")
                .build();

        Health health = probe.check(V2);

        assertThat(service.seen()).hasSize(2).allSatisfy(seen -> {
            assertThat(seen.headers().getFirst("Authorization")).isEqualTo("Bearer s3cr3t-token");
            assertThat(seen.headers().getFirst("X-Probe")).isEqualTo("cutover");
        });
        assertThat(probe.toString()).contains("Authorization").doesNotContain("s3cr3t");
        assertThat(probe.toBuilder().build().toString()).doesNotContain("s3cr3t");
        assertThat(health.detail()).doesNotContain("s3cr3t");
    }

    @Test
    void eachRevisionCanBeProbedAtItsOwnAddress() throws IOException {
        try (FlaskLikeService other = new FlaskLikeService().databaseDown("timeout")) {
            HttpHealthProbe probe = http(service.uri())
                    .address(r -> r.name().equals("v2.0.0") ? other.uri() : service.uri())
                    .build();

            Health candidate = probe.check(V2);
            Health stable = probe.check(Revision.of("v1.0.0", "myapp:v1.0.0"));

            assertThat(candidate.ready()).isFalse();
            assertThat(candidate.detail()).contains(other.uri().toString());
            assertThat(stable.ready()).isTrue();
            assertThat(other.seen()).hasSize(2);
            assertThat(service.seen()).hasSize(2);
        }
    }

    @Test
    void anAddressFunctionThatFailsGivesDownNotAnException() {
        HttpHealthProbe probe = http(service.uri())
                .address(r -> {
                    throw new IllegalStateException("no pod for " + r.name());
                })
                .build();

        Health health = probe.check(V2);

        assertThat(health.live()).isFalse();
        assertThat(health.detail()).contains("no address to probe revision v2.0.0").contains("no pod for v2.0.0");
        assertThat(service.seen()).isEmpty();
    }

    @Test
    void anAddressWithCredentialsIsRefusedAtCheckTime() {
        HttpHealthProbe probe = http(service.uri()).address(r -> URI.create("http://user:pw@127.0.0.1:1")).build();

        Health health = probe.check(V2);

        assertThat(health.live()).isFalse();
        assertThat(health.detail()).contains("must not carry credentials").doesNotContain("pw");
    }

    @Test
    void aBasePathPrefixesTheProbePaths() {
        service.respond("/app/health", 200, "ok").respond("/app/ready", 200, "ok");

        Health health = http(service.uri().resolve("/app/")).build().check(V2);

        assertThat(health.ready()).isTrue();
        assertThat(service.seen()).extracting(FlaskLikeService.Seen::path).containsExactly("/app/health", "/app/ready");
    }

    @Test
    void oneRequestWhenLivenessAndReadinessShareAPath() {
        Health health = http(service.uri()).readinessPath("/health").build().check(V2);

        assertThat(health.ready()).isTrue();
        assertThat(service.seen()).hasSize(1);
    }

    @Test
    void anInterruptedCheckReturnsAndKeepsTheInterruptFlag() {
        HttpHealthProbe probe = http(service.uri()).build();
        Thread.currentThread().interrupt();
        try {
            Health[] health = new Health[1];
            assertThatCode(() -> health[0] = probe.check(V2)).doesNotThrowAnyException();

            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(health[0].ready()).isFalse();
            assertThat(health[0].detail()).isEqualTo("probe interrupted: GET " + service.uri() + "/health was interrupted");
        } finally {
            Thread.interrupted();
        }
    }
}
