package io.cutover.prometheus;

import io.cutover.CutoverException.Kind;
import io.cutover.prometheus.internal.LimitedBody;
import io.cutover.prometheus.internal.Redactor;
import io.cutover.prometheus.internal.ResponseParser;
import io.cutover.prometheus.internal.TransportFailures;
import io.cutover.prometheus.internal.TrustAll;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queries a Prometheus server (or anything speaking its HTTP API) over the JDK's HttpClient.
 *
 * <pre>{@code
 * PrometheusClient prometheus = PrometheusClient.builder(URI.create("https://prometheus.example:9090"))
 *         .bearerToken(() -> tokenFile.read())      // asked before every request, so it can rotate
 *         .queryTimeout(Duration.ofSeconds(10))
 *         .build();
 * QueryResponse answer = prometheus.query("sum(rate(http_requests_total[5m]))", clock.instant());
 * }</pre>
 *
 * <p>Defaults: request timeout 30 s (whole exchange, body included), connect timeout 5 s, no
 * server-side {@code timeout} parameter, POST form for queries whose form body exceeds 2048
 * characters (GET otherwise), at most 16 MiB of response body, the JVM's trust store with host name
 * verification, no redirects followed, no credentials.
 *
 * <p>Every failure is a {@link PrometheusException}: TRANSIENT for timeouts, refused or reset
 * connections, truncated bodies, 429 and 5xx, and the server's {@code timeout}, {@code canceled},
 * {@code unavailable} and {@code internal} errors; PERMANENT for everything else. Tokens and
 * passwords never appear in logs, exception messages or {@link #toString()}.
 */
public final class PrometheusClient {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusClient.class);
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> RESERVED_HEADERS = Set.of(
            "authorization", "host", "content-length", "content-type", "connection", "expect", "upgrade",
            "accept", "te", "trailer", "transfer-encoding");
    private static final int MAX_POINTS = 11_000;

    private final URI baseUri;
    private final Duration timeout;
    private final Duration queryTimeout;
    private final int postThreshold;
    private final long maxResponseBytes;
    private final Supplier<String> bearerToken;
    private final String basicUser;
    private final String basicPassword;
    private final Map<String, String> headers;
    private final boolean verifyTls;
    private final HttpClient http;

    private PrometheusClient(Builder b) {
        this.baseUri = b.baseUri;
        this.timeout = b.timeout;
        this.queryTimeout = b.queryTimeout;
        this.postThreshold = b.postThreshold;
        this.maxResponseBytes = b.maxResponseBytes;
        this.bearerToken = b.bearerToken;
        this.basicUser = b.basicUser;
        this.basicPassword = b.basicPassword;
        this.headers = Map.copyOf(b.headers);
        this.verifyTls = b.verifyTls;
        HttpClient.Builder http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(b.connectTimeout);
        if (!b.verifyTls) {
            http.sslContext(TrustAll.context());
            LOG.warn("TLS verification is OFF for Prometheus at {}: any certificate and host name is accepted", baseUri);
        } else if (b.sslContext != null) {
            http.sslContext(b.sslContext);
        }
        this.http = http.build();
    }

    /**
     * Starts a client for the server at {@code baseUri} ({@code http://prometheus:9090}, or with a path prefix).
     *
     * @param baseUri the server's root, {@code http} or {@code https}; a path prefix is kept
     * @return a builder with the defaults listed on {@link Builder}
     */
    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    /**
     * The server this client asks.
     *
     * @return the base URI given to {@link #builder(URI)}
     */
    public URI baseUri() {
        return baseUri;
    }

    /**
     * An instant query: {@code /api/v1/query} at {@code time}.
     *
     * @param expression the PromQL to evaluate
     * @param time       the evaluation instant
     * @return the parsed answer; an error answer throws {@link PrometheusException} instead
     */
    public QueryResponse query(String expression, Instant time) {
        checkExpression(expression);
        Objects.requireNonNull(time, "time");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", expression);
        form.put("time", seconds(time));
        return send("/api/v1/query", form);
    }

    /**
     * A range query: {@code /api/v1/query_range} from {@code start} to {@code end} every {@code step}.
     *
     * @param expression the PromQL to evaluate
     * @param start      the first evaluation instant
     * @param end        the last evaluation instant, not before {@code start}
     * @param step       the time between evaluations, above zero
     * @return the parsed matrix answer; an error answer throws {@link PrometheusException} instead
     */
    public QueryResponse queryRange(String expression, Instant start, Instant end, Duration step) {
        checkExpression(expression);
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
        if (step == null || step.isZero() || step.isNegative()) {
            throw new IllegalArgumentException("step must be positive: " + step);
        }
        long points = Duration.between(start, end).toNanos() / Math.max(1, step.toNanos()) + 1;
        if (points > MAX_POINTS) {
            throw new IllegalArgumentException("range " + start + ".." + end + " at step " + step + " has " + points
                    + " points; Prometheus allows at most " + MAX_POINTS);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", expression);
        form.put("start", seconds(start));
        form.put("end", seconds(end));
        form.put("step", new BigDecimal(step.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString());
        return send("/api/v1/query_range", form);
    }

    private QueryResponse send(String path, Map<String, String> form) {
        if (queryTimeout != null) {
            form.put("timeout", PromQl.duration(queryTimeout));
        }
        String encoded = encode(form);
        boolean post = encoded.length() > postThreshold;
        String operation = (post ? "POST " : "GET ") + path;
        URI uri = URI.create(baseUri + path + (post ? "" : "?" + encoded));
        String token = currentToken(operation);
        UnaryOperator<String> redact = Redactor.of(token, basicUser, basicPassword);

        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", "cutover-prometheus");
        headers.forEach(request::header);
        try {
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            } else if (basicUser != null) {
                request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (basicUser + ":" + basicPassword).getBytes(StandardCharsets.UTF_8)));
            }
        } catch (IllegalArgumentException e) {
            throw new PrometheusException(Kind.PERMANENT, operation, operation + ": the credentials are not a valid header value",
                    null, 0, null);
        }
        if (post) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(encoded, StandardCharsets.UTF_8));
        } else {
            request.GET();
        }
        LOG.debug("{} {} query={}", operation, baseUri, form.get("query"));
        HttpResponse<byte[]> response = exchange(operation, request.build());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        int status = response.statusCode();
        if (status / 100 == 3) {
            throw new PrometheusException(Kind.PERMANENT, operation, operation + ": HTTP " + status + " redirect to "
                    + redact.apply(response.headers().firstValue("Location").orElse("(no location)"))
                    + "; configure the final address as the base URI", null, status, null);
        }
        QueryResponse parsed = ResponseParser.parse(operation, status, contentType, response.body(), redact);
        // warnings and infos travel on into measurements and logs: no secret the server echoed goes with them
        QueryResponse answer = new QueryResponse(parsed.result(), redactAll(parsed.warnings(), redact),
                redactAll(parsed.infos(), redact));
        if (!answer.warnings().isEmpty()) {
            LOG.warn("{} answered with warnings {} for query {}", baseUri, answer.warnings(), form.get("query"));
        }
        if (!answer.infos().isEmpty()) {
            LOG.info("{} answered with infos {} for query {}", baseUri, answer.infos(), form.get("query"));
        }
        return answer;
    }

    private HttpResponse<byte[]> exchange(String operation, HttpRequest request) {
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request, LimitedBody.handler(maxResponseBytes));
        try {
            // The request timeout covers the headers; this bound covers a body that trickles in too.
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new PrometheusException(Kind.TRANSIENT, operation, operation + ": interrupted while waiting for "
                    + baseUri, null, 0, e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new PrometheusException(Kind.TRANSIENT, operation, operation + ": no complete answer from " + baseUri
                    + " within " + timeout, null, 0, e);
        } catch (ExecutionException e) {
            throw TransportFailures.translate(operation, baseUri, timeout, e.getCause() == null ? e : e.getCause());
        }
    }

    private String currentToken(String operation) {
        if (bearerToken == null) {
            return null;
        }
        String token;
        try {
            token = bearerToken.get();
        } catch (RuntimeException e) {
            throw new PrometheusException(Kind.TRANSIENT, operation, operation + ": the bearer token supplier failed: "
                    + e.getClass().getName(), null, 0, null);
        }
        if (token == null || token.isBlank()) {
            throw new PrometheusException(Kind.PERMANENT, operation, operation + ": the bearer token supplier gave no token",
                    null, 0, null);
        }
        return token.strip();
    }

    private static List<String> redactAll(List<String> texts, UnaryOperator<String> redact) {
        return texts.stream().map(redact).toList();
    }

    private static String encode(Map<String, String> form) {
        StringBuilder out = new StringBuilder();
        form.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    private static String seconds(Instant t) {
        return BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9))
                .stripTrailingZeros().toPlainString();
    }

    private static void checkExpression(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("expression must not be blank");
        }
    }

    @Override
    public String toString() {
        String auth = bearerToken != null ? "bearer" : basicUser != null ? "basic" : "none";
        return "PrometheusClient[" + baseUri + ", auth=" + auth + (verifyTls ? "" : ", tls verification OFF") + "]";
    }

    /** Builds a {@link PrometheusClient}; see the class documentation for the defaults. */
    public static final class Builder {
        private final URI baseUri;
        private Duration timeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration queryTimeout;
        private int postThreshold = 2048;
        private long maxResponseBytes = 16L * 1024 * 1024;
        private Supplier<String> bearerToken;
        private String basicUser;
        private String basicPassword;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private SSLContext sslContext;
        private boolean verifyTls = true;

        private boolean plainHttpAllowed;

        private Builder(URI baseUri) {
            this.baseUri = checkBase(baseUri);
        }

        private static URI checkBase(URI uri) {
            if (uri == null) {
                throw new IllegalArgumentException("baseUri must not be null");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("baseUri must be http or https: " + uri);
            }
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("baseUri must not hold credentials; use basicAuth(..) or bearerToken(..)");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("baseUri has no host: " + uri);
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("baseUri must not have a query or fragment: " + uri);
            }
            String s = uri.toString();
            while (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            return URI.create(s);
        }

        /**
         * Bound on one whole exchange, body included. Default 30 s.
         *
         * @param timeout above zero
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = positive("timeout", timeout);
            return this;
        }

        /**
         * Bound on opening a connection. Default 5 s.
         *
         * @param connectTimeout above zero
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive("connectTimeout", connectTimeout);
            return this;
        }

        /**
         * Sent as the {@code timeout} parameter: the server gives up evaluating after it. Default: the server's.
         *
         * @param queryTimeout above zero, sent in PromQL duration form
         * @return this builder
         */
        public Builder queryTimeout(Duration queryTimeout) {
            positive("queryTimeout", queryTimeout);
            PromQl.duration(queryTimeout);
            this.queryTimeout = queryTimeout;
            return this;
        }

        /**
         * Queries whose form body is longer than this many characters go as a POST form. 0 posts every query. Default 2048.
         *
         * @param characters the threshold, 0 or more
         * @return this builder
         */
        public Builder postThreshold(int characters) {
            if (characters < 0) {
                throw new IllegalArgumentException("postThreshold must not be negative: " + characters);
            }
            this.postThreshold = characters;
            return this;
        }

        /**
         * The largest response body accepted. Default 16 MiB.
         *
         * @param bytes the limit in bytes, above zero; a longer body fails the query
         * @return this builder
         */
        public Builder maxResponseBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 1024: " + bytes);
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /**
         * A bearer token asked for before every request, so a rotated token is picked up.
         *
         * @param token supplies the token for each request; never logged
         * @return this builder
         */
        public Builder bearerToken(Supplier<String> token) {
            this.bearerToken = Objects.requireNonNull(token, "bearerToken");
            return this;
        }

        /**
         * A fixed bearer token.
         *
         * @param token the token; never logged
         * @return this builder
         */
        public Builder bearerToken(String token) {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("bearerToken must not be blank");
            }
            return bearerToken(() -> token);
        }

        /**
         * HTTP basic authentication.
         *
         * @param username the user name
         * @param password the password; never logged
         * @return this builder
         */
        public Builder basicAuth(String username, String password) {
            if (username == null || username.isEmpty() || username.indexOf(':') >= 0) {
                throw new IllegalArgumentException("basicAuth username must not be empty or contain ':'");
            }
            this.basicUser = username;
            this.basicPassword = Objects.requireNonNull(password, "basicAuth password");
            return this;
        }

        /**
         * A header sent with every request (a tenant id, for example). Authorization goes through the auth setters.
         *
         * @param name  the header's name, not {@code Authorization}
         * @param value the header's value
         * @return this builder
         */
        public Builder header(String name, String value) {
            if (name == null || !HEADER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("header name is not a valid token: '" + name + "'");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header '" + name + "' is set by the client"
                        + (name.equalsIgnoreCase("authorization") ? "; use bearerToken(..) or basicAuth(..)" : ""));
            }
            if (value == null || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new IllegalArgumentException("header '" + name + "' value must not be null or contain CR, LF or NUL");
            }
            headers.put(name, value);
            return this;
        }

        /**
         * Trusts what {@code sslContext} trusts instead of the JVM's default trust store.
         *
         * @param sslContext the TLS context whose trust managers decide
         * @return this builder
         */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /**
         * Accepts any certificate and host name. For test servers only; the client logs a warning
         * when it is built.
         *
         * @return this builder
         */
        public Builder insecureSkipTlsVerify() {
            this.verifyTls = false;
            return this;
        }

        /**
         * Accepts sending the bearer token or basic-auth pair over plain {@code http://} to a host other
         * than the loopback one. Default: refused at {@link #build()}, since anyone on the path could read them.
         *
         * @return this builder
         */
        public Builder allowPlainHttp() {
            this.plainHttpAllowed = true;
            return this;
        }

        /**
         * Builds the client.
         *
         * @return a client with the settings of this builder
         * @throws IllegalArgumentException if both a bearer token and basic auth were given, if credentials
         *         would travel over plain HTTP to a remote host without {@link #allowPlainHttp()}, if an
         *         {@code sslContext} and {@code insecureSkipTlsVerify} were both chosen, or if the query
         *         timeout exceeds the exchange timeout
         */
        public PrometheusClient build() {
            if (bearerToken != null && basicUser != null) {
                throw new IllegalArgumentException("choose one of bearerToken and basicAuth, not both");
            }
            io.cutover.internal.HttpWords.credentialsOverHttp("prometheus client", baseUri,
                    bearerToken != null ? List.of("bearerToken") : basicUser != null ? List.of("basicAuth") : List.of(),
                    plainHttpAllowed);
            if (sslContext != null && !verifyTls) {
                throw new IllegalArgumentException("sslContext and insecureSkipTlsVerify contradict each other");
            }
            if (queryTimeout != null && queryTimeout.compareTo(timeout) > 0) {
                throw new IllegalArgumentException("queryTimeout " + queryTimeout + " must not exceed timeout " + timeout);
            }
            return new PrometheusClient(this);
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
