package io.cutover.hook;

import io.cutover.internal.CappedBody;
import io.cutover.internal.Checks;
import io.cutover.internal.HttpWords;
import io.cutover.internal.Redaction;
import io.cutover.spi.Hook;
import io.cutover.spi.HookContext;
import io.cutover.spi.HookResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * POSTs the rollout's {@link HookContext} as JSON to a URL and passes when the answer is 2xx. Made by
 * {@link Hooks#webhook(URI)}; immutable and safe to share between threads.
 *
 * <p>The body ({@code Content-Type: application/json}):
 * <pre>{@code
 * {"rollout":"myapp","application":"myapp","stage":"AFTER_TRAFFIC",
 *  "candidate":{"name":"v2.0.0","artifact":"myapp:v2.0.0"},"stableRevision":"v1.0.0",
 *  "split":{"candidateWeight":25,"stableWeight":75,"mirrorPercent":0,
 *           "headerMatches":[{"header":"x-canary","kind":"EXACT","value":"always"}]},
 *  "timestamp":"2026-01-01T00:05:00Z"}
 * }</pre>
 * {@code stableRevision} is null on a first rollout. When signed, the signature header reads
 * {@code t=<epoch seconds>,sha256=<hex>}: the HMAC-SHA256, keyed with the shared secret, of the
 * timestamp, a dot and the raw body bytes. A receiver checks it with
 * {@link Hooks#verify(byte[], String, byte[], java.time.Instant, Duration)}, which compares in constant
 * time and refuses a stale timestamp (a replayed call).
 *
 * <p>Any status other than 2xx (redirects are not followed), a timeout or a failed
 * connection fails the hook with a message saying what was seen; {@link #run} does not throw for what
 * the server does. At most {@value io.cutover.internal.CappedBody#DEFAULT_CAP} bytes of the answer are
 * read. Messages, logs and {@link #toString()} show only the scheme, host and port of the URL
 * (a webhook's path often is its secret) and never a header value or the signing secret: what the
 * receiver answers is cleaned by {@link Redaction} (header values, the signing secret and anything that
 * looks like a credential removed, CR/LF stripped, 200 characters at most). Credential headers are
 * refused over plain {@code http://} to another host than the loopback one, unless
 * {@link Builder#allowPlainHttp()}.
 */
public final class WebhookHook implements Hook {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookHook.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** The header carrying the signature unless {@link Builder#signatureHeader} names another. */
    public static final String DEFAULT_SIGNATURE_HEADER = "X-Cutover-Signature";

    private final URI uri;
    private final String name;
    private final Duration timeout;
    private final Map<String, String> headers;
    private final byte[] secret;
    private final String signatureHeader;
    private final HttpClient suppliedClient;
    private final HttpClient client;
    private final boolean plainHttpAllowed;
    private final Redaction redaction;

    private WebhookHook(Builder b) {
        this.uri = b.uri;
        this.name = b.name != null ? b.name : "POST " + WebhookText.display(b.uri);
        this.timeout = b.timeout;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.secret = b.secret == null ? null : b.secret.clone();
        this.signatureHeader = b.signatureHeader;
        this.suppliedClient = b.client;
        this.plainHttpAllowed = b.plainHttpAllowed;
        List<String> known = new ArrayList<>(headers.values());
        if (secret != null) {
            known.add(new String(secret, StandardCharsets.UTF_8));
        }
        this.redaction = Redaction.of(known).maxChars(HttpWords.BODY_CHARS);
        this.client = b.client != null ? b.client : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
    }

    static Builder builder(URI uri) {
        return new Builder(WebhookText.target(uri));
    }

    @Override
    public HookResult run(HookContext context) {
        Objects.requireNonNull(context, "context");
        String what = "webhook " + name;
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(WebhookPayload.of(context));
        } catch (RuntimeException e) {
            return HookResult.fail(what + ": could not write the payload: " + redaction.failure(e));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        if (secret != null) {
            request.header(signatureHeader, WebhookText.timedSignature(secret, body, context.at()));
        }
        HookResult result = send(what, request.build());
        LOG.debug("{} at {}: {}", context.stage(), Redaction.text(context.rollout()), result.message());
        return result;
    }

    private HookResult send(String what, HttpRequest request) {
        CompletableFuture<HttpResponse<String>> call;
        try {
            call = client.sendAsync(request, CappedBody.handler(CappedBody.DEFAULT_CAP));
        } catch (RuntimeException e) {
            return HookResult.fail(what + " could not be sent: " + redaction.failure(e));
        }
        try {
            // The request timeout covers the wait for headers; this bound also covers the body.
            HttpResponse<String> response = call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            int status = response.statusCode();
            String shown = redaction.apply(response.body() == null ? "" : response.body().strip());
            String message = what + " answered " + status + (shown.isEmpty() ? "" : ": " + shown);
            return status >= 200 && status < 300 ? HookResult.pass(message) : HookResult.fail(message);
        } catch (TimeoutException e) {
            call.cancel(true);
            return HookResult.fail(what + " timed out after " + HttpWords.duration(timeout));
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return HookResult.fail(what + " was interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                return HookResult.fail(what + " could not connect within " + HttpWords.duration(timeout));
            }
            if (cause instanceof HttpTimeoutException) {
                return HookResult.fail(what + " timed out after " + HttpWords.duration(timeout));
            }
            return HookResult.fail(what + " failed: " + redaction.failure(cause));
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration timeout() {
        return timeout;
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
     * The header carrying the body's signature, or {@code null} when the body is not signed.
     *
     * @return the header's name, or {@code null}
     */
    public String signatureHeader() {
        return secret == null ? null : signatureHeader;
    }

    /**
     * A builder holding this hook's settings, to derive a changed copy.
     *
     * @return a new builder with this hook's settings
     */
    public Builder toBuilder() {
        Builder b = new Builder(uri);
        b.name = name.equals("POST " + WebhookText.display(uri)) ? null : name;
        b.timeout = timeout;
        b.headers.putAll(headers);
        b.secret = secret == null ? null : secret.clone();
        b.signatureHeader = signatureHeader;
        b.client = suppliedClient;
        b.plainHttpAllowed = plainHttpAllowed;
        return b;
    }

    @Override
    public String toString() {
        return "WebhookHook{" + name + ", timeout " + HttpWords.duration(timeout)
                + (headers.isEmpty() ? "" : ", headers " + headers.keySet())
                + (secret == null ? "" : ", signed in " + signatureHeader) + "}";
    }

    /**
     * Settings of a {@link WebhookHook}. Defaults: timeout 10 s (for connecting too), no extra headers,
     * unsigned, shown as {@code POST scheme://host:port}, credential headers refused over plain http.
     */
    public static final class Builder {

        private final URI uri;
        private String name;
        private Duration timeout = Duration.ofSeconds(10);
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] secret;
        private String signatureHeader = DEFAULT_SIGNATURE_HEADER;
        private boolean signatureHeaderSet;
        private HttpClient client;
        private boolean plainHttpAllowed;

        private Builder(URI uri) {
            this.uri = uri;
        }

        /**
         * How messages and logs name this webhook, e.g. {@code "deploy-bot"}. Default: {@code POST scheme://host:port}.
         *
         * @param name a non-blank name
         * @return this builder
         */
        public Builder named(String name) {
            this.name = Checks.notBlank("name", name);
            return this;
        }

        /**
         * The longest wait for connecting and for the answer. Default 10 s.
         *
         * @param timeout above zero
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive("timeout", timeout);
            return this;
        }

        /**
         * An extra header sent with every call, e.g. {@code Authorization}; its value is never shown.
         *
         * @param name  the header's name
         * @param value the header's value
         * @return this builder
         */
        public Builder header(String name, String value) {
            HttpWords.header("header", name, value, WebhookText.RESERVED, "webhook");
            headers.put(name, value);
            return this;
        }

        /**
         * Signs each body with HMAC-SHA256 keyed with {@code secret} (its UTF-8 bytes), sent as
         * {@code sha256=<lower-case hex>} in the signature header, so the receiver can check who sent it.
         *
         * @param secret the shared secret, not blank
         * @return this builder
         */
        public Builder sign(String secret) {
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("signing secret must not be empty");
            }
            return sign(secret.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * {@link #sign(String)} with a secret given as bytes.
         *
         * @param secret the shared secret, not empty
         * @return this builder
         */
        public Builder sign(byte[] secret) {
            if (secret == null || secret.length == 0) {
                throw new IllegalArgumentException("signing secret must not be empty");
            }
            this.secret = secret.clone();
            return this;
        }

        /**
         * The header carrying the signature. Default {@value WebhookHook#DEFAULT_SIGNATURE_HEADER}.
         *
         * @param name the header's name
         * @return this builder
         */
        public Builder signatureHeader(String name) {
            this.signatureHeader = HttpWords.headerName("signatureHeader", name, WebhookText.RESERVED, "webhook");
            this.signatureHeaderSet = true;
            return this;
        }

        /**
         * Sends through this client (its TLS, proxy and connect timeout) instead of one the hook builds.
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
         * loopback one. Default: refused at {@link #build()}, since anyone on the path could read them.
         *
         * @return this builder
         */
        public Builder allowPlainHttp() {
            this.plainHttpAllowed = true;
            return this;
        }

        /**
         * Builds the hook.
         *
         * @return an immutable hook
         * @throws IllegalArgumentException if credential headers or a signature would travel over plain HTTP to a
         *         remote host without {@link #allowPlainHttp()}
         */
        public WebhookHook build() {
            HttpWords.credentialsOverHttp("webhook", uri,
                    headers.keySet().stream().filter(HttpWords::credentialHeader).toList(), plainHttpAllowed);
            if (signatureHeaderSet && secret == null) {
                throw new IllegalArgumentException("signatureHeader " + signatureHeader + " is set but nothing signs: call sign(secret)");
            }
            if (secret != null && headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase(signatureHeader))) {
                throw new IllegalArgumentException("header " + signatureHeader + " would be replaced by the signature");
            }
            return new WebhookHook(this);
        }
    }
}
