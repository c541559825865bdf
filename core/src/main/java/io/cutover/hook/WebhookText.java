package io.cutover.hook;

import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Checks, wording and signing for webhooks. */
final class WebhookText {


    /** Headers the webhook sets itself: the HTTP client's and the content type. */
    static final Set<String> RESERVED = java.util.stream.Stream.concat(
            io.cutover.internal.HttpWords.CLIENT_HEADERS.stream(), java.util.stream.Stream.of("content-type"))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private WebhookText() { }

    static URI target(URI uri) {
        if (uri == null) {
            throw new IllegalArgumentException("webhook uri must not be null");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("webhook uri must not carry credentials (send them with header(...)): "
                    + display(uri));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("webhook uri must be an absolute http or https URI with a host: "
                    + (uri.getHost() == null ? uri.getScheme() + ":..." : display(uri)));
        }
        return uri;
    }

    /** Scheme, host and port only: a webhook's path and query often are its secret. */
    static String display(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }






    /**
     * The signature header's value: {@code t=<epoch seconds>,sha256=<hex>}, the HMAC of the timestamp,
     * a dot and the body, so a receiver can refuse a replayed call.
     */
    static String timedSignature(byte[] secret, byte[] body, java.time.Instant at) {
        return "t=" + at.getEpochSecond() + "," + signature(secret, signedContent(at.getEpochSecond(), body));
    }

    static byte[] signedContent(long epochSecond, byte[] body) {
        byte[] prefix = (epochSecond + ".").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] content = java.util.Arrays.copyOf(prefix, prefix.length + body.length);
        System.arraycopy(body, 0, content, prefix.length, body.length);
        return content;
    }

    /** {@code sha256=} and the lower-case hex HMAC-SHA256 of {@code body} keyed with {@code secret}. */
    static String signature(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            // Every Java platform must offer HmacSHA256.
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
