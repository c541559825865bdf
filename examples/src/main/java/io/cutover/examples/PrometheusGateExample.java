package io.cutover.examples;

import static io.cutover.gate.Gates.latency;
import static io.cutover.gate.Gates.requestRate;
import static io.cutover.gate.Gates.successRate;

import io.cutover.Deployment;
import io.cutover.gate.Gate;
import io.cutover.gate.GateContext;
import io.cutover.gate.Measurement;
import io.cutover.prometheus.PrometheusClient;
import io.cutover.prometheus.PrometheusMetricSource;
import io.cutover.prometheus.Presets;
import io.cutover.prometheus.PromQlGate;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.Revision;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Gates a canary on Prometheus: the client, a metric source from a preset, the seed's hand-written
 * success-rate query as a raw gate, and one evaluation of every gate against a live server.
 *
 * <pre>
 * java io.cutover.examples.PrometheusGateExample [prometheus-url] [application] [revision]
 *   defaults: http://localhost:9090 myapp v2.0.0; a bearer token is read from PROMETHEUS_TOKEN if set
 * </pre>
 *
 * In a rollout the same source goes into the target:
 * {@code Target.builder(app).workloads(w).router(r).metrics(metrics).build()}.
 */
public final class PrometheusGateExample {

    private PrometheusGateExample() { }

    public static void main(String[] args) {
        URI url = URI.create(args.length > 0 ? args[0] : "http://localhost:9090");
        String app = args.length > 1 ? args[1] : "myapp";
        Revision candidate = Revision.of(args.length > 2 ? args[2] : "v2.0.0", app + ":v2.0.0");

        PrometheusClient.Builder client = PrometheusClient.builder(url)
                .timeout(Duration.ofSeconds(15))
                .queryTimeout(Duration.ofSeconds(10));
        if (System.getenv("PROMETHEUS_TOKEN") != null) {
            client.bearerToken(() -> System.getenv("PROMETHEUS_TOKEN")); // read per request: rotation is picked up
        }
        PrometheusMetricSource metrics = PrometheusMetricSource.builder(client.build())
                .templates(Presets.httpRequestsTotal())   // or Presets.micrometer(), Presets.istio("namespace")
                .build();

        // The seed's query, with the service and revision filled in safely.
        Gate seedSuccessRate = PromQlGate.builder(
                "sum(rate(http_requests_total{service=\"${app}\",version=\"${revision}\",status=~\"2.*\"}[${window}]))"
                        + " / sum(rate(http_requests_total{service=\"${app}\",version=\"${revision}\"}[${window}]))")
                .name("seed-success-rate")
                .atLeast(0.95)
                .build();

        List<Gate> gates = List.of(successRate(0.95), latency(0.99, Duration.ofMillis(300)), requestRate(1), seedSuccessRate);
        Deployment canary = Deployment.canary()
                .steps(10, 25, 50, 75)
                .pauseBetween(Duration.ofMinutes(5))
                .gate(gates.toArray(Gate[]::new))
                .build();
        System.out.println("Deployment: " + canary);

        GateContext now = new GateContext("example", app, candidate, Instant.now(), metrics, HealthProbe.NONE);
        for (Gate gate : gates) {
            Measurement m;
            try {
                m = gate.measure(now);
            } catch (RuntimeException e) { // the engine records a failing source as ERROR the same way
                m = new Measurement(gate.name(), io.cutover.gate.Verdict.ERROR, Double.NaN, e.getMessage(), now.now());
            }
            System.out.printf("%-20s %-12s %s%n", m.gate(), m.verdict(), m.detail());
        }
    }
}
