package io.cutover.istio.composed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cutover.kubernetes.FakeDeploymentController.PodView;
import io.cutover.kubernetes.traffic.Shares;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny Prometheus query API over series derived from the traffic the pods really receive: each
 * ready pod serving a share of {@value #RPS} requests per second has an {@code istio_requests_total}
 * series as Istio's destination proxy reports it ({@code destination_workload} = the pod's
 * Deployment) and an {@code http_requests_total} series labelled as the documented relabelling
 * labels it (every pod label, {@code cutover.io/revision} as {@code cutover_io_revision}, plus
 * {@code namespace} and {@code pod}), split into 200s and 503s by the pod's revision (a revision named
 * {@code *bad*} fails 20% of its requests). It evaluates the expression shapes of Cutover's presets:
 * {@code sum(rate(m{matchers}[w]))} and {@code (sum(..) or vector(0)) / sum(..)}; a selector that
 * matches no series yields no data, as Prometheus would, so a preset selecting the wrong series fails.
 */
final class ServedSeries implements AutoCloseable {

    static final double RPS = 100;

    private static final Pattern SUM = Pattern.compile("sum\\(rate\\(([a-zA-Z_:][a-zA-Z0-9_:]*)\\{(.*?)\\}\\[[0-9a-z]+\\]\\)\\)");
    private static final Pattern RATIO = Pattern.compile("\\((sum\\(rate\\(.*?\\)\\)) or vector\\(0\\)\\) / (sum\\(rate\\(.*?\\)\\))");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private record Series(String metric, Map<String, String> labels, double rate) { }

    private final HttpServer server;
    private final Supplier<List<PodView>> pods;
    private final Supplier<Shares> plainTraffic;
    private final String namespace;
    private final List<String> queries = new ArrayList<>();

    ServedSeries(String namespace, Supplier<List<PodView>> pods, Supplier<Shares> plainTraffic) throws IOException {
        this.namespace = namespace;
        this.pods = pods;
        this.plainTraffic = plainTraffic;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/query", this::answer);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized List<String> queries() {
        return List.copyOf(queries);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String form = exchange.getRequestURI().getRawQuery();
        if ("POST".equals(exchange.getRequestMethod())) {
            try (InputStream in = exchange.getRequestBody()) {
                form = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : form == null ? new String[0] : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String query = params.getOrDefault("query", "");
        synchronized (this) {
            queries.add(query);
        }
        Double value = evaluate(query, series());
        String time = params.getOrDefault("time", "0");
        String result = value == null ? "[]" : "[{\"metric\":{},\"value\":[" + time + ",\"" + value + "\"]}]";
        byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":" + result + "}}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The series as scraped now: one per serving pod, metric and response code. */
    private List<Series> series() {
        Shares shares = plainTraffic.get();
        Map<String, Long> servingPods = new LinkedHashMap<>();
        List<PodView> ready = pods.get().stream().filter(PodView::ready).toList();
        List<Series> out = new ArrayList<>();
        for (PodView p : ready) {
            servingPods.merge(p.deployment(), 1L, Long::sum);
        }
        for (PodView p : ready) {
            double rps = RPS * shares.of(p.deployment()) / servingPods.get(p.deployment());
            if (rps == 0) {
                continue;
            }
            String revision = p.labels().getOrDefault("cutover.io/revision", "");
            double errors = revision.contains("bad") ? 0.2 : 0.001;
            for (String code : List.of("200", "503")) {
                double rate = rps * ("503".equals(code) ? errors : 1 - errors);
                Map<String, String> istio = new LinkedHashMap<>();
                istio.put("reporter", "destination");
                istio.put("destination_workload", p.deployment());
                istio.put("destination_workload_namespace", namespace);
                istio.put("destination_app", p.labels().getOrDefault("app", "unknown"));
                istio.put("response_code", code);
                out.add(new Series("istio_requests_total", istio, rate));
                Map<String, String> relabelled = new LinkedHashMap<>();
                p.labels().forEach((k, v) -> relabelled.put(k.replaceAll("[^A-Za-z0-9_]", "_"), v));
                relabelled.put("namespace", namespace);
                relabelled.put("pod", p.name());
                relabelled.put("code", code);
                out.add(new Series("http_requests_total", relabelled, rate));
            }
        }
        return out;
    }

    /** The value of a preset's expression, or null for no data. */
    static Double evaluate(String expression, List<Series> series) {
        String e = expression.trim();
        Matcher ratio = RATIO.matcher(e);
        if (ratio.matches()) {
            Double numerator = sum(ratio.group(1), series);
            Double denominator = sum(ratio.group(2), series);
            if (denominator == null) {
                return null;
            }
            return (numerator == null ? 0 : numerator) / denominator;
        }
        if (SUM.matcher(e).matches()) {
            return sum(e, series);
        }
        return null; // histograms and anything else: no data
    }

    private static Double sum(String selectorExpression, List<Series> series) {
        Matcher m = SUM.matcher(selectorExpression);
        if (!m.matches()) {
            return null;
        }
        String metric = m.group(1);
        List<Function<Map<String, String>, Boolean>> matchers = new ArrayList<>();
        Matcher mm = MATCHER.matcher(m.group(2));
        while (mm.find()) {
            String name = mm.group(1);
            String op = mm.group(2);
            String value = mm.group(3).replace("\\\"", "\"").replace("\\\\", "\\");
            matchers.add(labels -> {
                String actual = labels.getOrDefault(name, "");
                return switch (op) {
                    case "=" -> actual.equals(value);
                    case "!=" -> !actual.equals(value);
                    case "=~" -> actual.matches(value);
                    default -> !actual.matches(value);
                };
            });
        }
        double total = 0;
        boolean any = false;
        for (Series s : series) {
            if (s.metric().equals(metric) && matchers.stream().allMatch(f -> f.apply(s.labels()))) {
                total += s.rate();
                any = true;
            }
        }
        return any ? total : null;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
