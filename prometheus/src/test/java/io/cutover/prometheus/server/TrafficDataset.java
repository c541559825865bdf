package io.cutover.prometheus.server;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Three hours of request metrics, written as timestamped OpenMetrics for {@code promtool tsdb
 * create-blocks-from openmetrics}. Counters grow at constant rates, so {@code rate()} over any
 * window inside the data gives exactly the rates below.
 *
 * <table>
 *   <caption>Revisions of application {@value #APP}</caption>
 *   <tr><th>revision</th><th>requests/s</th><th>5xx share</th><th>latency</th></tr>
 *   <tr><td>{@value #STABLE}</td><td>100 (98 ok, 1 404, 1 500)</td><td>1%</td><td>fast: p99 0.2421 s</td></tr>
 *   <tr><td>{@value #GOOD}</td><td>10</td><td>1%</td><td>fast</td></tr>
 *   <tr><td>{@value #BAD}</td><td>10</td><td>20%</td><td>slow: p99 2.5 s</td></tr>
 *   <tr><td>{@value #PERFECT}</td><td>10</td><td>none (no 5xx series at all)</td><td>fast</td></tr>
 *   <tr><td>{@value #DOWN}</td><td>10</td><td>100% (only 503)</td><td>fast</td></tr>
 *   <tr><td>{@value #IDLE}</td><td>0 (series exist, never grow)</td><td>-</td><td>-</td></tr>
 * </table>
 * {@code http_requests_total} carries the status both as {@code code} (the generic preset) and as
 * {@code status} (the seed's hand-written query). The same traffic appears as Micrometer ({@code http_server_requests_seconds}) and Istio
 * ({@code istio_requests_total}, workload {@code myapp-<revision>}, namespace {@value #NAMESPACE}) metrics.
 */
public final class TrafficDataset {

    public static final String APP = "myapp";
    public static final String NAMESPACE = "shop";
    public static final String STABLE = "v1";
    public static final String GOOD = "v2-good";
    public static final String BAD = "v2-bad";
    public static final String PERFECT = "v2-perfect";
    public static final String DOWN = "v2-down";
    public static final String IDLE = "v2-idle";

    /** The first sample; aligned to two hours like TSDB blocks. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    public static final Instant END = START.plus(Duration.ofHours(3));
    /** A good instant to query: every window up to 30 minutes lies inside the data. */
    public static final Instant AT = START.plus(Duration.ofMinutes(60));

    /** Exact p99 of the fast latency histogram: 0.1 + (0.99 - 0.9) / (0.995 - 0.9) * 0.15. */
    public static final double FAST_P99 = 0.1 + (0.99 - 0.9) / (0.995 - 0.9) * 0.15;
    public static final double SLOW_P99 = 2.5;

    private static final Duration STEP = Duration.ofSeconds(15);
    private static final double[] LE = {0.05, 0.1, 0.25, 0.5, 1, 2.5, Double.POSITIVE_INFINITY};
    private static final double[] FAST = {0.6, 0.9, 0.995, 1, 1, 1, 1};
    private static final double[] SLOW = {0.2, 0.4, 0.6, 0.8, 0.95, 0.99, 1};

    /** One revision's traffic: requests per second by status code, and its latency shape. */
    private record Traffic(String revision, List<Code> codes, double[] latency) { }

    private record Code(String code, double perSecond) { }

    private static final List<Traffic> TRAFFIC = List.of(
            new Traffic(STABLE, List.of(new Code("200", 98), new Code("404", 1), new Code("500", 1)), FAST),
            new Traffic(GOOD, List.of(new Code("200", 9.9), new Code("500", 0.1)), FAST),
            new Traffic(BAD, List.of(new Code("200", 8), new Code("500", 2)), SLOW),
            new Traffic(PERFECT, List.of(new Code("200", 10)), FAST),
            new Traffic(DOWN, List.of(new Code("503", 10)), FAST),
            new Traffic(IDLE, List.of(new Code("200", 0), new Code("500", 0)), FAST));

    private TrafficDataset() { }

    /** Writes the dataset to {@code file}. */
    public static void write(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("# TYPE http_requests counter\n");
            for (Traffic t : TRAFFIC) {
                for (Code c : t.codes()) {
                    counter(w, "http_requests_total", "service=\"" + APP + "\",version=\"" + t.revision() + "\"," + relabelled(t.revision()) + ",code=\"" + c.code()
                            + "\",status=\"" + c.code() + "\"",
                            c.perSecond());
                }
            }
            w.write("# TYPE http_request_duration_seconds histogram\n");
            for (Traffic t : TRAFFIC) {
                histogram(w, "http_request_duration_seconds", "service=\"" + APP + "\",version=\"" + t.revision() + "\"," + relabelled(t.revision()),
                        total(t), t.latency(), 1);
            }
            w.write("# TYPE http_server_requests_seconds histogram\n");
            for (Traffic t : TRAFFIC) {
                for (Code c : t.codes()) {
                    histogram(w, "http_server_requests_seconds", "application=\"" + APP + "\",version=\"" + t.revision()
                            + "\",method=\"GET\",uri=\"/orders\",status=\"" + c.code() + "\"", c.perSecond(), t.latency(), 1);
                }
            }
            w.write("# TYPE istio_requests counter\n");
            for (Traffic t : TRAFFIC) {
                for (Code c : t.codes()) {
                    counter(w, "istio_requests_total", istio(t) + ",response_code=\"" + c.code() + "\"", c.perSecond());
                }
            }
            w.write("# TYPE istio_request_duration_milliseconds histogram\n");
            for (Traffic t : TRAFFIC) {
                histogram(w, "istio_request_duration_milliseconds", istio(t), total(t), t.latency(), 1000);
            }
            JudgeDataset.write(w);
            w.write("# EOF\n");
        }
    }

    private static String istio(Traffic t) {
        return "reporter=\"destination\",destination_workload=\"" + APP + "-" + t.revision()
                + "\",destination_workload_namespace=\"" + NAMESPACE + "\",destination_service_name=\"" + APP + "\"";
    }

    private static double total(Traffic t) {
        return t.codes().stream().mapToDouble(Code::perSecond).sum();
    }

    private static void counter(Writer w, String name, String labels, double perSecond) throws IOException {
        for (Instant t = START; !t.isAfter(END); t = t.plus(STEP)) {
            w.write(name + "{" + labels + "} " + num(perSecond * elapsed(t)) + " " + t.getEpochSecond() + "\n");
        }
    }

    private static void histogram(Writer w, String name, String labels, double perSecond, double[] shares, double unit)
            throws IOException {
        for (Instant t = START; !t.isAfter(END); t = t.plus(STEP)) {
            double count = perSecond * elapsed(t);
            long ts = t.getEpochSecond();
            for (int i = 0; i < LE.length; i++) {
                String le = Double.isInfinite(LE[i]) ? "+Inf" : num(LE[i] * unit);
                w.write(name + "_bucket{" + labels + ",le=\"" + le + "\"} " + num(count * shares[i]) + " " + ts + "\n");
            }
            w.write(name + "_count{" + labels + "} " + num(count) + " " + ts + "\n");
            w.write(name + "_sum{" + labels + "} " + num(count * 0.08 * unit) + " " + ts + "\n");
        }
    }

    private static long elapsed(Instant t) {
        return Duration.between(START, t).toSeconds();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    /** The pod labels the Kubernetes adapter writes, as the documented relabelling carries them into series. */
    private static String relabelled(String revision) {
        return "cutover_io_application=\"" + APP + "\",cutover_io_revision=\"" + revision + "\"";
    }
}
