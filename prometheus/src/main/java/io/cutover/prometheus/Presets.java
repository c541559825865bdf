package io.cutover.prometheus;

import io.cutover.spi.MetricQuery;

/**
 * {@link MetricTemplates} for common metric conventions. A success is any response that is not a
 * 5xx; the numerator falls back to {@code vector(0)} so a revision with no successes (or no
 * errors) reads 0 instead of no data, while a revision with no requests at all reads no data.
 *
 * <table>
 *   <caption>Presets</caption>
 *   <tr><th>preset</th><th>requests</th><th>status label</th><th>latency histogram</th><th>selects the revision by</th></tr>
 *   <tr><td>{@link #httpRequestsTotal()}</td><td>{@code http_requests_total}</td><td>{@code code}</td>
 *       <td>{@code http_request_duration_seconds}</td><td>{@code cutover_io_application="${app}", cutover_io_revision="${revision}"}</td></tr>
 *   <tr><td>{@link #micrometer()}</td><td>{@code http_server_requests_seconds_count}</td><td>{@code status}</td>
 *       <td>{@code http_server_requests_seconds}</td><td>{@code application="${app}", version="${revision}"}</td></tr>
 *   <tr><td>{@link #istio()}</td><td>{@code istio_requests_total}</td><td>{@code response_code}</td>
 *       <td>{@code istio_request_duration_milliseconds} (converted to seconds)</td>
 *       <td>{@code reporter="destination", destination_workload="${workload}"}</td></tr>
 * </table>
 *
 * <p><b>Which series are the candidate's.</b> The Kubernetes adapter labels every pod it manages
 * {@code cutover.io/application} and {@code cutover.io/revision}; Prometheus carries pod labels into
 * the series it scrapes with a {@code labelmap} relabelling of {@code __meta_kubernetes_pod_label_(.+)},
 * which turns {@code cutover.io/revision} into {@code cutover_io_revision}. Istio's
 * {@code destination_workload} is the Deployment that runs the pod: the workload the adapter reports
 * as serving the role ({@link io.cutover.spi.MetricQuery#identity()}).
 */
public final class Presets {

    /** The revision attribute the Istio preset reads the workload name from. */
    public static final String WORKLOAD_ATTRIBUTE = "workload";

    private Presets() { }

    /** The series label (after relabelling) that carries a pod's {@code cutover.io/application} label. */
    public static final String APPLICATION_LABEL = "cutover_io_application";
    /** The series label (after relabelling) that carries a pod's {@code cutover.io/revision} label. */
    public static final String REVISION_LABEL = "cutover_io_revision";

    /**
     * Generic {@code http_requests_total} with a {@code code} label, selected by the pod labels the
     * Kubernetes adapter writes, as relabelled into series: {@value #APPLICATION_LABEL} and
     * {@value #REVISION_LABEL}.
     *
     * @return templates for success rate, error rate, latency and request rate
     */
    public static MetricTemplates httpRequestsTotal() {
        return httpRequestsTotal(APPLICATION_LABEL, REVISION_LABEL);
    }

    /**
     * Generic {@code http_requests_total} with a {@code code} label, selected by the given label names.
     *
     * @param appLabel      the label naming the application
     * @param revisionLabel the label naming the revision
     * @return templates for success rate, error rate, latency and request rate
     */
    public static MetricTemplates httpRequestsTotal(String appLabel, String revisionLabel) {
        String sel = selector(appLabel, revisionLabel);
        return rates("http_requests_total", sel, "code")
                .latency("histogram_quantile(${quantile}, sum by (le) (rate(http_request_duration_seconds_bucket{"
                        + sel + "}[${window}])))")
                .build();
    }

    /**
     * Micrometer / Spring Boot {@code http_server_requests_seconds}, selected by {@code application} and {@code version}.
     *
     * @return templates for success rate, error rate, latency and request rate
     */
    public static MetricTemplates micrometer() {
        return micrometer("application", "version");
    }

    /**
     * Micrometer / Spring Boot {@code http_server_requests_seconds}, selected by the given label names.
     *
     * @param appLabel      the label naming the application
     * @param revisionLabel the label naming the revision
     * @return templates for success rate, error rate, latency and request rate
     */
    public static MetricTemplates micrometer(String appLabel, String revisionLabel) {
        String sel = selector(appLabel, revisionLabel);
        return rates("http_server_requests_seconds_count", sel, "status")
                .latency("histogram_quantile(${quantile}, sum by (le) (rate(http_server_requests_seconds_bucket{"
                        + sel + "}[${window}])))")
                .build();
    }

    /**
     * Istio's standard metrics as reported by the destination. {@code ${workload}} is the revision's
     * {@value #WORKLOAD_ATTRIBUTE} attribute if set, else the workload the adapter reports as serving
     * the role ({@link io.cutover.spi.WorkloadIdentity#workload()}, the Deployment {@code myapp-canary}),
     * else {@code <app>-<revision>}; override it with {@code toBuilder().variable("workload", ...)}.
     *
     * @return templates for success rate, error rate, latency and request rate
     */
    public static MetricTemplates istio() {
        return istioIn(null);
    }

    /**
     * As {@link #istio()}, restricted to workloads in {@code namespace} ({@code destination_workload_namespace}).
     *
     * @param namespace the namespace of the workloads, a Kubernetes name
     * @return templates for success rate, error rate, latency and request rate
     */
    public static MetricTemplates istio(String namespace) {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("namespace must not be blank");
        }
        return istioIn(namespace);
    }

    private static MetricTemplates istioIn(String namespace) {
        String sel = "reporter=\"destination\",destination_workload=\"${workload}\""
                + (namespace == null ? "" : ",destination_workload_namespace=\"${namespace}\"");
        MetricTemplates.Builder b = rates("istio_requests_total", sel, "response_code")
                .latency("histogram_quantile(${quantile}, sum by (le) (rate(istio_request_duration_milliseconds_bucket{"
                        + sel + "}[${window}]))) / 1000")
                .variable("workload", Presets::workload);
        if (namespace != null) {
            b.variable("namespace", namespace);
        }
        return b.build();
    }

    private static String workload(MetricQuery q) {
        String w = q.revision().attributes().get(WORKLOAD_ATTRIBUTE);
        if (w != null) {
            return w;
        }
        return q.identity() != null ? q.identity().workload() : q.application() + "-" + q.revision().name();
    }

    private static String selector(String appLabel, String revisionLabel) {
        PromQl.labelName(appLabel);
        PromQl.labelName(revisionLabel);
        if (appLabel.equals(revisionLabel)) {
            throw new IllegalArgumentException("appLabel and revisionLabel must differ: '" + appLabel + "'");
        }
        return appLabel + "=\"${app}\"," + revisionLabel + "=\"${revision}\"";
    }

    private static MetricTemplates.Builder rates(String counter, String sel, String statusLabel) {
        String all = "sum(rate(" + counter + "{" + sel + "}[${window}]))";
        String ok = "sum(rate(" + counter + "{" + sel + "," + statusLabel + "!~\"5..\"}[${window}]))";
        String bad = "sum(rate(" + counter + "{" + sel + "," + statusLabel + "=~\"5..\"}[${window}]))";
        return MetricTemplates.builder()
                .successRate("(" + ok + " or vector(0)) / " + all)
                .errorRate("(" + bad + " or vector(0)) / " + all)
                .requestRate(all);
    }
}
