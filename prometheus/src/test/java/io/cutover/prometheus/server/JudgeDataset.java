package io.cutover.prometheus.server;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Noisy traffic for baseline comparisons, appended to {@link TrafficDataset}'s OpenMetrics: every 15 seconds
 * each revision serves requests whose latencies are drawn (log-normal, seeded) into a histogram, and whose
 * failures are drawn too, so per-minute p99s and error rates vary like real ones.
 *
 * <table>
 *   <caption>Families {@code judge_request_duration_seconds} and {@code judge_requests_total}, service {@value TrafficDataset#APP}</caption>
 *   <tr><th>version</th><th>requests/s</th><th>5xx share</th><th>latency</th></tr>
 *   <tr><td>{@value #STABLE}</td><td>100</td><td>1%</td><td>median 40 ms, p99 200 ms</td></tr>
 *   <tr><td>{@value #SAME}</td><td>20</td><td>1%</td><td>the same distribution, other draws</td></tr>
 *   <tr><td>{@value #SLOWER}</td><td>20</td><td>1%</td><td>median 40 ms, p99 300 ms</td></tr>
 * </table>
 */
public final class JudgeDataset {

    public static final String STABLE = "v1";
    public static final String SAME = "v2-same";
    public static final String SLOWER = "v2-slower";

    private static final double[] LE = {0.05, 0.1, 0.15, 0.2, 0.225, 0.25, 0.275, 0.3, 0.35, 0.4, 0.5, 1, Double.POSITIVE_INFINITY};

    private record Traffic(String version, double perSecond, double p99, long seed) { }

    private static final Traffic[] TRAFFIC = {
        new Traffic(STABLE, 100, 0.2, 11), new Traffic(SAME, 20, 0.2, 12), new Traffic(SLOWER, 20, 0.3, 13)};

    private JudgeDataset() { }

    static void write(Writer w) throws IOException {
        StringBuilder requests = new StringBuilder("# TYPE judge_requests counter\n");
        StringBuilder latency = new StringBuilder("# TYPE judge_request_duration_seconds histogram\n");
        for (Traffic t : TRAFFIC) {
            SplittableRandom random = new SplittableRandom(t.seed());
            double sigma = Math.log(t.p99() / 0.04) / 2.3263478740408408;
            long[] buckets = new long[LE.length];
            long ok = 0;
            long failed = 0;
            double sum = 0;
            String labels = "service=\"" + TrafficDataset.APP + "\",version=\"" + t.version() + "\"";
            StringBuilder okSeries = new StringBuilder();
            StringBuilder failedSeries = new StringBuilder();
            for (Instant at = TrafficDataset.START; !at.isAfter(TrafficDataset.END); at = at.plusSeconds(15)) {
                if (at.isAfter(TrafficDataset.START)) {
                    int n = (int) (t.perSecond() * 15);
                    for (int i = 0; i < n; i++) {
                        double seconds = 0.04 * Math.exp(sigma * random.nextGaussian());
                        sum += seconds;
                        for (int b = 0; b < LE.length; b++) {
                            if (seconds <= LE[b]) {
                                buckets[b]++;
                            }
                        }
                        if (random.nextDouble() < 0.01) {
                            failed++;
                        } else {
                            ok++;
                        }
                    }
                }
                long ts = at.getEpochSecond();
                okSeries.append("judge_requests_total{").append(labels).append(",code=\"200\"} ").append(ok).append(' ').append(ts).append('\n');
                failedSeries.append("judge_requests_total{").append(labels).append(",code=\"500\"} ").append(failed).append(' ').append(ts).append('\n');
                for (int b = 0; b < LE.length; b++) {
                    String le = Double.isInfinite(LE[b]) ? "+Inf" : String.format(Locale.ROOT, "%s", LE[b]);
                    latency.append("judge_request_duration_seconds_bucket{").append(labels).append(",le=\"").append(le).append("\"} ")
                            .append(buckets[b]).append(' ').append(ts).append('\n');
                }
                latency.append("judge_request_duration_seconds_count{").append(labels).append("} ").append(ok + failed).append(' ').append(ts).append('\n');
                latency.append("judge_request_duration_seconds_sum{").append(labels).append("} ")
                        .append(String.format(Locale.ROOT, "%.6f", sum)).append(' ').append(ts).append('\n');
            }
            requests.append(okSeries).append(failedSeries);
        }
        w.write(requests.toString());
        w.write(latency.toString());
    }
}
