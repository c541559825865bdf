package io.cutover.kubernetes.argo;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Argo writes them: a whole number of seconds, or Go's form such as {@code 90s}, {@code 1h30m}, {@code 1.5h}. */
final class GoDuration {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private GoDuration() { }

    static Duration parse(Node node) {
        Object v = node.value();
        if (v instanceof Integer || v instanceof Long) {
            return positive(node, Duration.ofSeconds(((Number) v).longValue()));
        }
        String text = node.text().trim();
        if (text.matches("\\d{1,12}")) {
            return positive(node, Duration.ofSeconds(Long.parseLong(text)));
        }
        Matcher m = PART.matcher(text);
        int at = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (at < text.length() && m.find(at) && m.start() == at) {
            BigDecimal amount = new BigDecimal(m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unit)));
            at = m.end();
        }
        if (at == 0 || at != text.length()) {
            throw node.error("must be a duration such as 30s, 10m or 1h30m: '" + text + "'");
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw node.error("is too long a duration: '" + text + "'");
        }
        return positive(node, Duration.ofNanos(nanos.longValue()));
    }

    private static Duration positive(Node node, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw node.error("must be a positive duration: " + node.value());
        }
        return d;
    }
}
