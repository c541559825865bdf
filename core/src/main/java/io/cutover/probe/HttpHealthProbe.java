package io.cutover.probe;

import io.cutover.internal.CappedBody;
import io.cutover.internal.Checks;
import io.cutover.internal.HttpWords;
import io.cutover.internal.Redaction;
import io.cutover.spi.Health;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.Revision;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a revision over HTTP whether it is alive ({@code GET /health}) and ready ({@code GET /ready}).
 * Made by {@link Probes#http(URI)}; immutable and safe to share between threads.
 *
 * <p>A revision is live when its liveness endpoint answers an expected status (and body, if one is
 * expected), and ready when its readiness endpoint does too; a revision that is not live is not
 * probed for readiness. {@link #check} never throws for what the endpoint does: a timeout, a refused
 * connection or an unexpected answer is reported in {@link Health#detail()}, with the status and the
 * first 200 characters of the body or the exception's type. Header values never appear in details,
 * logs or {@link #toString()}: what the endpoint answers is cleaned by {@link Redaction} (header values
 * and credential-looking text removed, CR/LF stripped). Credential headers are refused over plain
 * {@code http://} to another host than the loopback one, unless {@link Builder#allowPlainHttp()}.
 */
public final class HttpHealthProbe implements HealthProbe {

    private static final Logger LOG = LoggerFactory.getLogger(HttpHealthProbe.class);

    /** The most of a response body read; an expected body is looked for within it. */
    static final int BODY_CAP = CappedBody.DEFAULT_CAP;

    /** How a response body is compared with the expected text. */
    enum BodyMatch { EXACT, CONTAINS }

    private final URI base;
    private final String livenessPath;
    private final String readinessPath;
    private final ExpectedStatus expectedStatus;
    private final BodyMatch bodyMatch;
    private final String expectedBody;
    private final Duration timeout;
    private final Duration connectTimeout;
    private final Map<String, String> headers;
    private final Function<Revision, URI> address;
    private final HttpClient suppliedClient;
    private final HttpClient client;
    private final boolean plainHttpAllowed;
    private final Redaction redaction;

    private HttpHealthProbe(Builder b) {
        this.base = b.base;
        this.livenessPath = b.livenessPath;
        this.readinessPath = b.readinessPath;
        this.expectedStatus = b.expectedStatus;
        this.bodyMatch = b.bodyMatch;
        this.expectedBody = b.expectedBody;
        this.timeout = b.timeout;
        this.connectTimeout = b.connectTimeout == null ? b.timeout : b.connectTimeout;
        this.headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.address = b.address;
        this.suppliedClient = b.client;
        this.plainHttpAllowed = b.plainHttpAllowed;
        this.redaction = Redaction.of(headers.values()).maxChars(HttpWords.BODY_CHARS);
        this.client = b.client != null ? b.client : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .build();
    }

    static Builder builder(URI base) {
        return new Builder(HttpText.base("base", base));
    }

    @Override
    public Health check(Revision revision) {
        Objects.requireNonNull(revision, "revision");
        URI root;
        try {
            root = address == null ? base : HttpText.base("address of revision " + revision.name(), address.apply(revision));
            HttpWords.credentialsOverHttp("probe of revision " + revision.name(), root, credentialHeaders(headers.keySet()),
                    plainHttpAllowed);
        } catch (RuntimeException e) {
            return log(revision, Health.down("no address to probe revision " + revision.name() + ": " + redaction.failure(e)));
        }
        Answer live = get(root, livenessPath);
        if (live.interrupted) {
            return log(revision, Health.down("probe interrupted: " + live.detail));
        }
        if (!live.ok) {
            return log(revision, Health.down("not live: " + live.detail));
        }
        if (readinessPath.equals(livenessPath)) {
            return log(revision, Health.ready("live and ready: " + live.detail));
        }
        Answer ready = get(root, readinessPath);
        if (ready.interrupted) {
            return log(revision, Health.notReady("probe interrupted: " + ready.detail));
        }
        return log(revision, ready.ok
                ? Health.ready("live and ready: " + ready.detail)
                : Health.notReady("live but not ready: " + ready.detail));
    }

    private Health log(Revision revision, Health health) {
        LOG.debug("probe of {}: {}", revision.name(), health.detail());
        return health;
    }

    private record Answer(boolean ok, String detail, boolean interrupted) {

        Answer(boolean ok, String detail) {
            this(ok, detail, false);
        }
    }

    private Answer get(URI root, String path) {
        URI uri = HttpText.resolve(root, path);
        String what = "GET " + HttpText.display(uri);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        headers.forEach(request::header);
        CompletableFuture<HttpResponse<String>> call;
        try {
            call = client.sendAsync(request.build(), CappedBody.handler(BODY_CAP));
        } catch (RuntimeException e) {
            return new Answer(false, what + " could not be sent: " + redaction.failure(e));
        }
        try {
            // The request timeout covers the wait for headers; this bound also covers the body.
            return judge(what, call.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            call.cancel(true);
            return new Answer(false, what + " timed out after " + HttpWords.duration(timeout));
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return new Answer(false, what + " was interrupted", true);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                return new Answer(false, what + " could not connect within " + HttpWords.duration(connectTimeout));
            }
            if (cause instanceof HttpTimeoutException) {
                return new Answer(false, what + " timed out after " + HttpWords.duration(timeout));
            }
            return new Answer(false, what + " failed: " + redaction.failure(cause));
        }
    }

    private Answer judge(String what, HttpResponse<String> response) {
        int status = response.statusCode();
        String body = response.body();
        if (!expectedStatus.accepts(status)) {
            String shown = redaction.apply(body == null ? "" : body.strip());
            return new Answer(false, what + " answered " + status + ", expected " + expectedStatus
                    + (shown.isEmpty() ? "" : ": " + shown));
        }
        if (expectedBody != null) {
            String actual = body == null ? "" : body.strip();
            boolean matches = bodyMatch == BodyMatch.EXACT ? actual.equals(expectedBody) : actual.contains(expectedBody);
            if (!matches) {
                return new Answer(false, what + " answered " + status + " with body '" + redaction.apply(body == null ? "" : body.strip())
                        + "', expected " + (bodyMatch == BodyMatch.EXACT ? "body '" : "a body containing '") + expectedBody + "'");
            }
        }
        return new Answer(true, what + " answered " + status);
    }

    /**
     * The URI requests go to unless {@link Builder#address} gives each revision its own.
     *
     * @return the base URI
     */
    public URI base() {
        return base;
    }

    /**
     * The path answering whether the process is alive.
     *
     * @return the path, relative to the base URI
     */
    public String livenessPath() {
        return livenessPath;
    }

    /**
     * The path answering whether the revision can take traffic.
     *
     * @return the path, relative to the base URI
     */
    public String readinessPath() {
        return readinessPath;
    }

    /**
     * The longest wait for each request's answer.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The longest wait to open a connection.
     *
     * @return the connect timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The names of the extra headers sent; their values are not shown.
     *
     * @return the header names, in the order given
     */
    public List<String> headerNames() {
        return List.copyOf(headers.keySet());
    }

    /**
     * True when {@code status} is one this probe accepts.
     *
     * @param status an HTTP status code
     * @return {@code true} when it counts as healthy
     */
    public boolean accepts(int status) {
        return expectedStatus.accepts(status);
    }

    /**
     * A builder holding this probe's settings, to derive a changed copy.
     *
     * @return a new builder with this probe's settings
     */
    public Builder toBuilder() {
        Builder b = new Builder(base);
        b.livenessPath = livenessPath;
        b.readinessPath = readinessPath;
        b.expectedStatus = expectedStatus;
        b.bodyMatch = bodyMatch;
        b.expectedBody = expectedBody;
        b.timeout = timeout;
        b.connectTimeout = suppliedClient == null && !connectTimeout.equals(timeout) ? connectTimeout : null;
        b.headers.putAll(headers);
        b.address = address;
        b.client = suppliedClient;
        b.plainHttpAllowed = plainHttpAllowed;
        return b;
    }

    private static List<String> credentialHeaders(java.util.Collection<String> names) {
        return names.stream().filter(HttpWords::credentialHeader).toList();
    }

    @Override
    public String toString() {
        return "HttpHealthProbe{" + HttpText.display(base) + (address == null ? "" : " (per-revision address)")
                + ", liveness " + livenessPath + ", readiness " + readinessPath
                + ", expect " + expectedStatus
                + (expectedBody == null ? "" : (bodyMatch == BodyMatch.EXACT ? ", body '" : ", body containing '") + expectedBody + "'")
                + ", timeout " + HttpWords.duration(timeout) + ", connectTimeout " + HttpWords.duration(connectTimeout)
                + (headers.isEmpty() ? "" : ", headers " + headers.keySet()) + "}";
    }

    /**
     * Settings of an {@link HttpHealthProbe}. Defaults: liveness {@code /health}, readiness
     * {@code /ready}, status 200, any body, timeout 2 s, connect timeout equal to the timeout, no extra
     * headers, every revision probed at the base URI.
     */
    public static final class Builder {

        private final URI base;
        private String livenessPath = "/health";
        private String readinessPath = "/ready";
        private ExpectedStatus expectedStatus = ExpectedStatus.OK;
        private BodyMatch bodyMatch;
        private String expectedBody;
        private Duration timeout = Duration.ofSeconds(2);
        private Duration connectTimeout;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Function<Revision, URI> address;
        private HttpClient client;
        private boolean plainHttpAllowed;

        private Builder(URI base) {
            this.base = base;
        }

        /**
         * The path answering whether the process is alive, relative to the base URI. Default {@code /health}.
         *
         * @param path an absolute path, such as {@code /health}
         * @return this builder
         */
        public Builder livenessPath(String path) {
            this.livenessPath = HttpText.path("livenessPath", path);
            return this;
        }

        /**
         * The path answering whether the revision can take traffic. Default {@code /ready}.
         *
         * @param path an absolute path, such as {@code /ready}
         * @return this builder
         */
        public Builder readinessPath(String path) {
            this.readinessPath = HttpText.path("readinessPath", path);
            return this;
        }

        /**
         * The status codes that count as healthy. Default 200.
         *
         * @param codes one or more status codes, 100 to 599
         * @return this builder
         */
        public Builder expectStatus(int... codes) {
            this.expectedStatus = ExpectedStatus.of(codes);
            return this;
        }

        /**
         * Every status from {@code from} to {@code to} (inclusive) counts as healthy, e.g. 200..299.
         *
         * @param from the lowest healthy status
         * @param to   the highest healthy status
         * @return this builder
         */
        public Builder expectStatusIn(int from, int to) {
            this.expectedStatus = ExpectedStatus.range(from, to);
            return this;
        }

        /**
         * Both endpoints must answer exactly this body, leading and trailing whitespace ignored.
         *
         * @param body the expected body
         * @return this builder
         */
        public Builder expectBody(String body) {
            this.expectedBody = Checks.notBlank("expectBody", body).strip();
            this.bodyMatch = BodyMatch.EXACT;
            return this;
        }

        /**
         * Both endpoints must answer a body containing this text.
         *
         * @param text the expected text
         * @return this builder
         */
        public Builder expectBodyContaining(String text) {
            if (text == null || text.isEmpty()) {
                throw new IllegalArgumentException("expectBodyContaining must not be empty");
            }
            this.expectedBody = text;
            this.bodyMatch = BodyMatch.CONTAINS;
            return this;
        }

        /**
         * The longest wait for each request's answer. Default 2 s.
         *
         * @param timeout above zero
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive("timeout", timeout);
            return this;
        }

        /**
         * The longest wait to open a connection. Default: the {@link #timeout}.
         *
         * @param connectTimeout above zero
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive("connectTimeout", connectTimeout);
            return this;
        }

        /**
         * An extra header sent with every request, e.g. {@code Authorization}; its value is never shown.
         *
         * @param name  the header's name
         * @param value the header's value
         * @return this builder
         */
        public Builder header(String name, String value) {
            HttpWords.header("header", name, value, HttpWords.CLIENT_HEADERS, "HTTP client");
            headers.put(name, value);
            return this;
        }

        /**
         * Where each revision answers, e.g. {@code r -> URI.create("http://myapp-" + r.name() + ":8080")}. Default: the base URI.
         *
         * @param addressOfRevision the base URI of each revision
         * @return this builder
         */
        public Builder address(Function<Revision, URI> addressOfRevision) {
            this.address = Objects.requireNonNull(addressOfRevision, "address");
            return this;
        }

        /**
         * Sends through this client (its TLS, proxy and connect timeout) instead of one the probe builds.
         *
         * @param client the client to send through
         * @return this builder
         */
        public Builder withHttpClient(HttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Accepts sending credential headers over plain {@code http://} to a host other than the
         * loopback one. Default: refused (at {@link #build()} for the base URI, in the health detail for
         * a per-revision address), since anyone on the path could read them.
         *
         * @return this builder
         */
        public Builder allowPlainHttp() {
            this.plainHttpAllowed = true;
            return this;
        }

        /**
         * Builds the probe.
         *
         * @return an immutable probe
         * @throws IllegalArgumentException if credential headers would travel over plain HTTP to a remote base URI
         *         without {@link #allowPlainHttp()}
         */
        public HttpHealthProbe build() {
            if (address == null) {
                HttpWords.credentialsOverHttp("probe", base, credentialHeaders(headers.keySet()), plainHttpAllowed);
            }
            if (client != null && connectTimeout != null) {
                throw new IllegalArgumentException("connectTimeout " + HttpWords.duration(connectTimeout)
                        + " cannot apply to a client given with withHttpClient: set it on that client");
            }
            return new HttpHealthProbe(this);
        }
    }
}
