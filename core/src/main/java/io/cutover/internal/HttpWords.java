package io.cutover.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** Checks and wording shared by the HTTP health probe and the webhook hook. */
public final class HttpWords {

    /** Characters of a response body quoted in a detail or message. */
    public static final int BODY_CHARS = 200;

    /** Headers the JDK HTTP client sets itself. */
    public static final Set<String> CLIENT_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private static final Redaction SHORT = Redaction.none().maxChars(BODY_CHARS);

    private HttpWords() { }

    /**
     * Checks a header a user gives: a valid name that {@code reserved} does not hold, and a value
     * without CR or LF. The value is never echoed: it may be a credential.
     */
    public static void header(String what, String name, String value, Set<String> reserved, String setBy) {
        headerName(what, name, reserved, setBy);
        if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("header " + name + " value must be non-null and free of CR and LF");
        }
    }

    /** Checks a header name: valid, and not one that {@code setBy} sets itself. */
    public static String headerName(String what, String name, Set<String> reserved, String setBy) {
        if (name == null || !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw new IllegalArgumentException(what + " must be a valid HTTP header name: '" + name + "'");
        }
        if (reserved.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(what + " " + name + " is set by the " + setBy + " and cannot be given");
        }
        return name;
    }

    public static String duration(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** A remote body as quoted in a detail: cleaned by {@link Redaction} and cut at {@value #BODY_CHARS} characters. */
    public static String shortBody(String body) {
        return SHORT.apply(body == null ? "" : body.strip());
    }

    /** A failure's type and its cleaned message. */
    public static String failure(Throwable e) {
        return SHORT.failure(e);
    }

    /**
     * Whether a header most likely carries a credential: {@code Authorization}, {@code Cookie}, or a
     * name containing token, key, secret, auth, password or session.
     */
    public static boolean credentialHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("cookie") || n.contains("auth") || n.contains("token") || n.contains("key")
                || n.contains("secret") || n.contains("password") || n.contains("session");
    }

    /**
     * Refuses credentials sent over plain {@code http://} to a host other than the loopback one, unless
     * {@code allowed}: anyone on the path would read them.
     */
    public static void credentialsOverHttp(String what, java.net.URI uri, java.util.Collection<String> credentials,
                                           boolean allowed) {
        if (allowed || credentials.isEmpty() || !"http".equalsIgnoreCase(uri.getScheme())) {
            return;
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1")) {
            return;
        }
        throw new IllegalArgumentException(what + " would send " + credentials + " over plain http to " + host
                + ": use https, or allowPlainHttp() to accept that anyone on the path can read them");
    }
}
