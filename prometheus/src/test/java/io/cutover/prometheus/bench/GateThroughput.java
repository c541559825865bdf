package io.cutover.prometheus.bench;

import io.cutover.gate.Gate;
import io.cutover.gate.GateContext;
import io.cutover.gate.Gates;
import io.cutover.gate.Verdict;
import io.cutover.prometheus.PrometheusClient;
import io.cutover.prometheus.PrometheusMetricSource;
import io.cutover.prometheus.Presets;
import io.cutover.prometheus.server.PrometheusServer;
import io.cutover.prometheus.server.TrafficDataset;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.Revision;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures, against the real server and dataset the tests use: gate evaluations per second (one and
 * several threads), and how much the client adds to the server's own query time. A utility with a
 * main method, not a test: timings are printed, never asserted.
 *
 * <p>Arguments: {@code [seconds per measurement, default 10] [threads, default 4]}.
 */
public final class GateThroughput {

    private static final Pattern EXEC_TOTAL = Pattern.compile("\"execTotalTime\":([0-9.eE+-]+)");

    private GateThroughput() { }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        try (PrometheusServer server = PrometheusServer.start()) {
            PrometheusClient client = PrometheusClient.builder(server.uri()).build();
            PrometheusMetricSource source = PrometheusMetricSource.builder(client).templates(Presets.httpRequestsTotal()).build();
            Gate gate = Gates.successRate(0.95);
            GateContext ctx = new GateContext("bench", TrafficDataset.APP, Revision.of(TrafficDataset.GOOD, "img"),
                    TrafficDataset.AT, source, HealthProbe.NONE);
            String expression = source.templates().render(io.cutover.prometheus.MetricTemplates.Measure.SUCCESS_RATE,
                    ctx.candidateQuery(Gates.DEFAULT_WINDOW), Double.NaN);

            if (gate.measure(ctx).verdict() != Verdict.PASSED) {
                throw new IllegalStateException("the gate does not pass on the good canary; the benchmark would measure errors");
            }
            runFor(Duration.ofSeconds(Math.max(3, seconds / 2)), 1, () -> gate.measure(ctx)); // warm-up
            double single = runFor(Duration.ofSeconds(seconds), 1, () -> gate.measure(ctx));
            double parallel = runFor(Duration.ofSeconds(seconds), threads, () -> gate.measure(ctx));

            HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String time = Long.toString(TrafficDataset.AT.getEpochSecond());
            URI plain = URI.create(server.uri() + "/api/v1/query?query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8)
                    + "&time=" + time);
            URI withStats = URI.create(plain + "&stats=all");
            int samples = 2000;
            double serverExec = 0;
            for (int i = 0; i < samples; i++) {
                String body = raw.send(HttpRequest.newBuilder(withStats).build(), HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = EXEC_TOTAL.matcher(body);
                if (!m.find()) {
                    throw new IllegalStateException("the server reported no execTotalTime: " + body);
                }
                serverExec += Double.parseDouble(m.group(1));
            }
            serverExec = serverExec / samples * 1e6;
            double rawHttp = meanMicros(samples, () -> raw.send(HttpRequest.newBuilder(plain).build(), HttpResponse.BodyHandlers.ofString()));
            double clientQuery = meanMicros(samples, () -> client.query(expression, TrafficDataset.AT));
            double gateEval = meanMicros(samples, () -> gate.measure(ctx));

            System.out.printf(Locale.ROOT, "gate evaluations/s, 1 thread:   %.0f%n", single);
            System.out.printf(Locale.ROOT, "gate evaluations/s, %d threads:  %.0f%n", threads, parallel);
            System.out.printf(Locale.ROOT, "mean over %d sequential calls (microseconds):%n", samples);
            System.out.printf(Locale.ROOT, "  server's own execTotalTime:              %.0f%n", serverExec);
            System.out.printf(Locale.ROOT, "  bare JDK HttpClient GET, body as string: %.0f%n", rawHttp);
            System.out.printf(Locale.ROOT, "  PrometheusClient.query (strict parse):   %.0f%n", clientQuery);
            System.out.printf(Locale.ROOT, "  full gate (render, query, judge):        %.0f%n", gateEval);
            System.out.printf(Locale.ROOT, "client added over server time: %.0f us; over a bare GET: %.0f us%n",
                    clientQuery - serverExec, clientQuery - rawHttp);
        }
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    private static double meanMicros(int n, Call call) throws Exception {
        for (int i = 0; i < n / 4; i++) {
            call.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            call.run();
        }
        return (System.nanoTime() - start) / 1e3 / n;
    }

    private static double runFor(Duration d, int threads, Runnable call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<Long>> counts = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            counts.add(pool.submit(() -> {
                long n = 0;
                while (!stop.get()) {
                    call.run();
                    n++;
                }
                return n;
            }));
        }
        Thread.sleep(d.toMillis());
        stop.set(true);
        long total = 0;
        for (Future<Long> f : counts) {
            total += f.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return total / elapsed;
    }
}
