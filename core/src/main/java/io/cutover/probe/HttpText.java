package io.cutover.probe;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** Checks and wording shared by the probe's builder and its details. */
final class HttpText {

    static final int BODY_CHARS = 200;

    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private HttpText() { }

    /** A base URI: absolute http(s) with a host, and no credentials, query or fragment. */
    static URI base(String name, URI uri) {
        if (uri == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(name + " must not carry credentials (send them with header(...)): "
                    + display(uri));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(name + " must be an absolute http or https URI with a host: " + uri);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(name + " must have no query or fragment: " + display(uri));
        }
        return uri;
    }

    static String path(String name, String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException(name + " must start with '/': " + path);
        }
        try {
            URI parsed = new URI("http://host" + path);
            if (parsed.getRawFragment() != null) {
                throw new IllegalArgumentException(name + " must have no fragment: " + path);
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(name + " is not a valid URI path: " + path, e);
        }
        return path;
    }

    static URI resolve(URI base, String path) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        if (basePath.endsWith("/")) {
            basePath = basePath.substring(0, basePath.length() - 1);
        }
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + basePath + path);
    }

    /** A URI as shown in details and logs: no credentials, no query. */
    static String display(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + (uri.getHost() == null ? "" : uri.getHost())
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path;
    }

    static void header(String name, String value) {
        if (name == null || !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw new IllegalArgumentException("header name must be a valid HTTP header name: '" + name + "'");
        }
        if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("header " + name + " is set by the HTTP client and cannot be given");
        }
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
}
