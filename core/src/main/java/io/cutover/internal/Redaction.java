package io.cutover.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one cleaning of text that comes back from a remote party (a webhook receiver, a probed service,
 * Prometheus, the Kubernetes API, AWS) before it reaches a message, a measurement detail, an event,
 * the saved state or a log line. It removes the secrets it was told about (and their Base64 forms),
 * credential-looking values (Authorization and similar headers, {@code Bearer}/{@code Basic} values,
 * user info in URLs, token-like query parameters), replaces control characters (CR and LF included,
 * so an echo cannot forge a log line) with spaces, and caps the length.
 *
 * <p>Immutable and safe to share. {@link #text(String)} cleans with no known secrets.
 */
public final class Redaction {

    /** What a removed secret is replaced with. */
    public static final String MASK = "[redacted]";

    /** Characters kept by default; longer text is cut with a note of how much was dropped. */
    public static final int DEFAULT_MAX_CHARS = 500;

    /** Secrets shorter than this are not searched for: they would mask ordinary words. */
    private static final int MIN_SECRET_CHARS = 4;

    private static final Redaction NONE = new Redaction(List.of(), DEFAULT_MAX_CHARS);

    private static final Pattern SCHEME_VALUE = Pattern.compile(
            "(?i)\\b(bearer|basic|digest|negotiate|aws4-hmac-sha256)(\\s+)[A-Za-z0-9._~+/=:-]{6,}");
    private static final Pattern HEADER_VALUE = Pattern.compile(
            "(?i)\\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|x-auth-token"
                    + "|x-amz-security-token|private-token|password|passwd|secret|client[-_]?secret|access[-_]?token"
                    + "|refresh[-_]?token|id[-_]?token|session[-_]?token|token|auth|credentials?|signature"
                    + "|x-amz-signature|x-amz-credential)(\"?\\s*[:=]\\s*\"?)([^\\s\"',;&<>}]+)");
    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/\\s@?#]+@");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]");

    private final List<String> secrets;
    private final int maxChars;

    private Redaction(List<String> secrets, int maxChars) {
        this.secrets = secrets;
        this.maxChars = maxChars;
    }

    /** Cleans {@code text} with no known secrets and the default length. */
    public static String text(String text) {
        return NONE.apply(text);
    }

    /** The cleaning without known secrets, capped at {@link #DEFAULT_MAX_CHARS}. */
    public static Redaction none() {
        return NONE;
    }

    /**
     * A cleaning that also removes each of {@code secrets} (header values, tokens, passwords), in plain
     * text and Base64; blank and very short ones are ignored.
     */
    public static Redaction of(Collection<String> secrets) {
        Objects.requireNonNull(secrets, "secrets");
        List<String> kept = new ArrayList<>();
        for (String s : secrets) {
            if (s == null || s.strip().length() < MIN_SECRET_CHARS) {
                continue;
            }
            kept.add(s);
            kept.add(s.strip());
            kept.add(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
            kept.add(Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
            int space = s.indexOf(' ');
            if (space > 0 && s.length() - space - 1 >= MIN_SECRET_CHARS) {
                kept.add(s.substring(space + 1).strip());   // "Bearer abc" is also leaked as "abc"
            }
        }
        kept.sort(Comparator.comparingInt(String::length).reversed());
        return new Redaction(List.copyOf(new java.util.LinkedHashSet<>(kept)), DEFAULT_MAX_CHARS);
    }

    /** The secret of an HTTP basic-auth pair as it travels: {@code user:password}. */
    public static String basicPair(String user, String password) {
        return user + ":" + password;
    }

    /** This cleaning with another length cap (at least 16). */
    public Redaction maxChars(int maxChars) {
        return new Redaction(secrets, Checks.atLeast("maxChars", maxChars, 16));
    }

    /** Cleans {@code text}; {@code null} gives an empty string. */
    public String apply(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        // Cut first (with room for what masking adds), so a huge body costs no more than the cap.
        String s = text.length() > maxChars * 4 ? withoutSecretPrefixAtEnd(text.substring(0, maxChars * 4)) : text;
        for (String secret : secrets) {
            s = s.replace(secret, MASK);
        }
        s = SCHEME_VALUE.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
        s = HEADER_VALUE.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
        s = URL_USER_INFO.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
        s = CONTROL.matcher(s).replaceAll(" ");
        if (s.length() > maxChars) {
            return s.substring(0, maxChars) + "... (cut at " + maxChars + " of " + text.length() + " characters)";
        }
        return s;
    }

    /** {@code cut} without a trailing beginning of a known secret, which the cut would otherwise leave readable. */
    private String withoutSecretPrefixAtEnd(String cut) {
        for (String secret : secrets) {
            for (int k = Math.min(secret.length() - 1, cut.length()); k > 0; k--) {
                if (cut.regionMatches(cut.length() - k, secret, 0, k)) {
                    return cut.substring(0, cut.length() - k);
                }
            }
        }
        return cut;
    }

    /** A failure's type and cleaned message, for a detail. */
    public String failure(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + apply(e.getMessage()));
    }
}
