package io.cutover.spi;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Requests whose header matches go to the candidate. A cookie is matched through the
 * {@code cookie} header, for example {@code HeaderMatch.regex("cookie", ".*canary=true.*")}.
 * A regex must be valid RE2, the syntax meshes and gateways evaluate: lookarounds, backreferences,
 * atomic groups and possessive quantifiers are refused here, not when a route is applied.
 *
 * @param header the header's name, lower-cased
 * @param kind   how its value is compared
 * @param value  the value, prefix or RE2 expression
 */
public record HeaderMatch(String header, Kind kind, String value) {

    /** How the header's value is compared. */
    public enum Kind {
        /** The whole value equals the match's value, case-sensitively. */
        EXACT,
        /** The value starts with the match's value. */
        PREFIX,
        /** The whole value matches the match's RE2 regular expression. */
        REGEX
    }

    /**
     * Checks the header name and, for a regex, that it compiles and stays within RE2; lower-cases the header name.
     *
     * @param header the header's name, as HTTP allows it
     * @param kind   how its value is compared
     * @param value  the value, prefix or RE2 expression
     */
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

    /**
     * Requests whose {@code header} equals {@code value}.
     *
     * @param header the header's name
     * @param value  the exact value
     * @return the match
     */
    public static HeaderMatch exact(String header, String value) {
        return new HeaderMatch(header, Kind.EXACT, value);
    }

    /**
     * Requests whose {@code header} starts with {@code value}.
     *
     * @param header the header's name
     * @param value  the prefix
     * @return the match
     */
    public static HeaderMatch prefix(String header, String value) {
        return new HeaderMatch(header, Kind.PREFIX, value);
    }

    /**
     * Requests whose {@code header} matches {@code value} whole.
     *
     * @param header the header's name
     * @param value  an RE2 regular expression
     * @return the match
     * @throws IllegalArgumentException if the expression is invalid or uses what RE2 lacks
     */
    public static HeaderMatch regex(String header, String value) {
        return new HeaderMatch(header, Kind.REGEX, value);
    }

    /**
     * Matches a cookie {@code name=value} through the {@code cookie} header.
     *
     * @param name  the cookie's name
     * @param value its exact value
     * @return a regex match on the {@code cookie} header
     */
    public static HeaderMatch cookie(String name, String value) {
        return regex("cookie", "(^|.*;\\s*)" + Pattern.quote(name) + "=" + Pattern.quote(value) + "(;.*|$)");
    }

    /**
     * Whether a request whose header has {@code headerValue} goes to the candidate.
     *
     * @param headerValue the header's value, or {@code null} when the request lacks it
     * @return {@code true} when it matches
     */
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
