package io.cutover.prometheus.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus server on a free loopback port, serving {@link TrafficDataset} backfilled with
 * promtool. The binaries come from {@link PrometheusBinaries} (the environment, the PATH, or Debian's
 * package fetched into a cache). If they cannot be had or the server does not start, {@link #start()}
 * throws: tests that need it fail, never skip.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(90);

    private final Process process;
    private final Path dir;
    private final URI uri;

    private PrometheusServer(Process process, Path dir, URI uri) {
        this.process = process;
        this.dir = dir;
        this.uri = uri;
    }

    public URI uri() {
        return uri;
    }

    /** Backfills the dataset and starts the server; returns once it answers {@code /-/ready}. */
    public static PrometheusServer start() throws IOException, InterruptedException {
        PrometheusBinaries binaries = PrometheusBinaries.find();
        Path prometheus = binaries.prometheus();
        Path promtool = binaries.promtool();
        Path dir = Files.createTempDirectory("cutover-prometheus-");
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Path om = dir.resolve("traffic.om");
        TrafficDataset.write(om);
        run(List.of(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics", om.toString(), data.toString()),
                dir.resolve("promtool.log"));
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "scrape_configs: []\n");

        IOException lastBind = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Path log = dir.resolve("prometheus-" + port + ".log");
            Process p = new ProcessBuilder(prometheus.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + data,
                    "--storage.tsdb.retention.time=10y",
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            URI uri = URI.create("http://127.0.0.1:" + port);
            if (awaitReady(p, uri)) {
                PrometheusServer server = new PrometheusServer(p, dir, uri);
                Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
                return server;
            }
            String tail = tail(log);
            stop(p);
            if (!tail.contains("address already in use")) {
                throw new IllegalStateException("prometheus did not become ready within " + READY_WITHIN + "; its log ends:\n" + tail);
            }
            lastBind = new IOException("port " + port + " taken: " + tail);
        }
        throw new IllegalStateException("prometheus found no free port", lastBind);
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command.subList(0, 3)) + " did not finish in 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, 3)) + " failed (exit " + p.exitValue()
                    + "):\n" + tail(log));
        }
    }

    private static boolean awaitReady(Process p, URI uri) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(uri.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return false;
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void stop() {
        if (process.isAlive()) {
            stop(process);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // the temporary directory stays behind
        }
    }

    @Override
    public void close() {
        stop();
    }
}
