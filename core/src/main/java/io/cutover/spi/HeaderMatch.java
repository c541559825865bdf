package io.cutover.spi;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Requests whose header matches go to the candidate. A cookie is matched through the
 * {@code cookie} header, for example {@code HeaderMatch.regex("cookie", ".*canary=true.*")}.
 * A regex must be valid RE2, the syntax meshes and gateways evaluate: lookarounds, backreferences,
 * atomic groups and possessive quantifiers are refused here, not when a route is applied.
 */
public record HeaderMatch(String header, Kind kind, String value) {

    public enum Kind { EXACT, PREFIX, REGEX }

    public HeaderMatch {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        if (!header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw new IllegalArgumentException("header must be a valid HTTP header name: '" + header + "'");
        }
        if (kind == Kind.REGEX) {
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("header regex is invalid: " + e.getDescription(), e);
            }
            String unsupported = io.cutover.internal.Re2Syntax.unsupported(value);
            if (unsupported != null) {
                throw new IllegalArgumentException("header regex uses " + unsupported + ", which RE2 (Envoy, Istio, Gateway API "
                        + "implementations) does not support: '" + value + "'");
            }
        }
        header = header.toLowerCase(java.util.Locale.ROOT);
    }

    public static HeaderMatch exact(String header, String value) {
        return new HeaderMatch(header, Kind.EXACT, value);
    }

    public static HeaderMatch prefix(String header, String value) {
        return new HeaderMatch(header, Kind.PREFIX, value);
    }

    public static HeaderMatch regex(String header, String value) {
        return new HeaderMatch(header, Kind.REGEX, value);
    }

    /** Matches a cookie {@code name=value} through the {@code cookie} header. */
    public static HeaderMatch cookie(String name, String value) {
        return regex("cookie", "(^|.*;\\s*)" + Pattern.quote(name) + "=" + Pattern.quote(value) + "(;.*|$)");
    }

    public boolean matches(String headerValue) {
        if (headerValue == null) {
            return false;
        }
        return switch (kind) {
            case EXACT -> headerValue.equals(value);
            case PREFIX -> headerValue.startsWith(value);
            case REGEX -> headerValue.matches(value);
        };
    }
}
