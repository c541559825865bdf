package io.cutover.prometheus;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Safe pieces of PromQL: quoted label values, regex-quoted values for {@code =~}, checked label
 * names and durations. Whatever the input, the piece returned stays one token of the query.
 *
 * <pre>{@code
 * "http_requests_total{service=" + PromQl.string(app) + ",path=~" + PromQl.regex(prefix) + "}"
 * }</pre>
 */
public final class PromQl {

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern NUMBER = Pattern.compile("[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");
    private static final String REGEX_META = "\\.+*?()|[]{}^$";

    /** Words PromQL reads as operators or keywords; none may stand in for a name. */
    static final Set<String> KEYWORDS = Set.of(
            "and", "or", "unless", "atan2", "by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "start", "end", "inf", "nan",
            "sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk",
            "count_values", "quantile", "limitk", "limit_ratio");

    private PromQl() { }

    /**
     * A double-quoted PromQL string literal holding exactly {@code value}: backslash, quote and
     * control characters are escaped, so the value cannot end the literal.
     *
     * @param value any string
     * @return the literal, quotes included
     */
    public static String string(String value) {
        return '"' + escape(value, '"') + '"';
    }

    /**
     * A string literal for the right side of {@code =~} or {@code !~} that matches exactly
     * {@code value}: regex metacharacters are escaped first, then the string rules apply.
     *
     * @param value any string, matched literally
     * @return the literal, quotes included
     */
    public static String regex(String value) {
        return string(escapeRegex(value));
    }

    /**
     * {@code name} if it is a valid label name; otherwise an {@link IllegalArgumentException}.
     *
     * @param name a label name: {@code [a-zA-Z_][a-zA-Z0-9_]*}, not starting with {@code __} (reserved)
     * @return {@code name} unchanged
     */
    public static String labelName(String name) {
        if (name == null || !LABEL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("label name must match [a-zA-Z_][a-zA-Z0-9_]*: '" + name + "'");
        }
        if (name.startsWith("__")) {
            throw new IllegalArgumentException("label names starting with '__' are reserved: '" + name + "'");
        }
        return name;
    }

    /**
     * {@code name} if it is a valid metric name that PromQL does not read as a keyword.
     *
     * @param name a metric name: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, not a keyword such as {@code by} or {@code offset}
     * @return {@code name} unchanged
     * @throws IllegalArgumentException if it is not one
     */
    public static String metricName(String name) {
        if (name == null || !METRIC_NAME.matcher(name).matches() || KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("metric name must match [a-zA-Z_:][a-zA-Z0-9_:]* and not be a PromQL keyword: '"
                    + name + "'");
        }
        return name;
    }

    /**
     * A PromQL duration ({@code 5m}, {@code 90s}, {@code 1500ms}) for a positive whole number of milliseconds.
     *
     * @param duration a positive duration with no part smaller than a millisecond
     * @return the duration in the largest unit that divides it exactly: h, m, s or ms
     * @throws IllegalArgumentException if it is zero, negative or finer than milliseconds
     */
    public static String duration(Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        if (duration.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("duration must be a whole number of milliseconds: " + duration);
        }
        long ms = duration.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /**
     * A number literal for a finite, non-negative double.
     *
     * @param value a finite number, 0 or more
     * @return its decimal form
     * @throws IllegalArgumentException if it is negative, {@code NaN} or infinite
     */
    public static String number(double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException("number must be finite and not negative: " + value);
        }
        return new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    /**
     * Whether {@code value} is one bare token PromQL cannot read as structure: a number, a
     * duration, or a name that is not a keyword.
     */
    static boolean isBareToken(String value) {
        return NUMBER.matcher(value).matches() || DURATION.matcher(value).matches()
                || (METRIC_NAME.matcher(value).matches() && !KEYWORDS.contains(value.toLowerCase(Locale.ROOT)));
    }

    static String escapeRegex(String value) {
        checkText(value);
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (REGEX_META.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** The inside of a literal quoted by {@code quote} ({@code "} or {@code '}) that reads back as {@code value}. */
    static String escape(String value, char quote) {
        checkText(value);
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == quote) {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static void checkText(String value) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("value is not valid Unicode (lone surrogate at index " + i + ")");
            }
        }
    }
}
