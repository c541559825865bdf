package io.cutover.probe;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** Checks and wording shared by the probe's builder and its details. */
final class HttpText {



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




}
