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

    static final int BODY_CHARS = 200;

    private static final Set<String> RESERVED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "content-type");

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

    static String headerName(String what, String name) {
        if (name == null || !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw new IllegalArgumentException(what + " must be a valid HTTP header name: '" + name + "'");
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(what + " " + name + " is set by the webhook and cannot be given");
        }
        return name;
    }

    static void headerValue(String name, String value) {
        if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            // The value is never echoed: it may be a credential.
            throw new IllegalArgumentException("header " + name + " value must be non-null and free of CR and LF");
        }
    }

    static String duration(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    static String shortBody(String body) {
        String s = body == null ? "" : body.strip();
        return s.length() <= BODY_CHARS ? s : s.substring(0, BODY_CHARS) + "...";
    }

    static String failure(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
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
