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

    public static String shortBody(String body) {
        String s = body == null ? "" : body.strip();
        return s.length() <= BODY_CHARS ? s : s.substring(0, BODY_CHARS) + "...";
    }

    public static String failure(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
