package io.cutover.istio.composed;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.istio.DestinationRuleSubsets;
import io.cutover.istio.IstioFixtures;
import io.cutover.istio.SubsetAwareWorkloads;
import io.cutover.istio.VirtualServiceRouter;
import io.cutover.kubernetes.ControlledWorkloads;
import io.cutover.kubernetes.DeploymentWorkloads;
import io.cutover.kubernetes.FakeDeploymentController;
import io.cutover.kubernetes.traffic.EffectiveTraffic;
import io.cutover.kubernetes.traffic.TrafficCheck;
import io.cutover.prometheus.MetricTemplates;
import io.cutover.prometheus.PrometheusClient;
import io.cutover.prometheus.PrometheusMetricSource;
import io.cutover.prometheus.Presets;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.time.VirtualScheduler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's own flow, composed as a team composes it: Kubernetes Deployments (a test controller
 * runs their pods), an Istio VirtualService with DestinationRule subsets, and a success-rate gate
 * on Istio's metrics read through the real Prometheus metric source. The metrics are derived from
 * the traffic the pods really get, so a subset or a preset that selects the wrong pods fails the
 * rollout; at every event the split the router reports equals that traffic.
 */
@EnableKubernetesMockClient(crud = true)
class ComposedCanaryOnIstioTest {

    static final String NS = "shop";
    static final String ADAPTER = "cutover-under-test";
    private static final java.util.regex.Pattern PATH =
            java.util.regex.Pattern.compile("/(?:api/v1|apis/([^/]+)/[^/]+)/namespaces/[^/]+/([^/]+)(?:/([^/]+))?(?:/([^/]+))?");
    static final Deployment CANARY = Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5))
            .gate(successRate(0.95)).build();

    KubernetesClient mock;
    io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server;
    KubernetesClient client;
    VirtualScheduler time;
    FakeDeploymentController controller;
    EffectiveTraffic traffic;
    ServedSeries prometheus;
    DeploymentWorkloads workloads;
    VirtualServiceRouter router;
    TrafficCheck check;

    @BeforeEach
    void setUp() throws Exception {
        IstioFixtures.installCrds(mock);
        load("composed/app.yaml");
        IstioFixtures.create(mock, "composed/virtualservice.yaml", NS);
        IstioFixtures.create(mock, "composed/destinationrule.yaml", NS);
        time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        controller = new FakeDeploymentController(mock, NS, () -> time.now(), Duration.ofSeconds(10), image -> false);
        for (int i = 0; i < 30 && !controller.reconcile(); i++) {
            time.advance(Duration.ofSeconds(10));
        }
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(mock.getConfiguration()).withUserAgent(ADAPTER)
                .withRequestRetryBackoffLimit(0).build()).build();
        traffic = new EffectiveTraffic(mock, NS, controller::pods);
        prometheus = new ServedSeries(NS, controller::pods, () -> traffic.virtualService("myapp"));
        workloads = DeploymentWorkloads.canary(client, NS, "myapp").container("myapp").build();
        router = VirtualServiceRouter.builder(client).virtualService(NS, "myapp").build();
        check = new TrafficCheck(router, r -> traffic.virtualService("myapp", r),
                () -> workloads.identity(Role.CANDIDATE).orElseThrow().workload(), false);
    }

    @AfterEach
    void tearDown() {
        prometheus.close();
        controller.close();
        client.close();
    }

    private Target target(MetricTemplates templates) {
        DestinationRuleSubsets subsets = DestinationRuleSubsets.builder(client).destinationRule(NS, "myapp").host("myapp").build();
        var metrics = PrometheusMetricSource.builder(PrometheusClient.builder(prometheus.uri()).build()).templates(templates).build();
        return Target.builder("myapp")
                .workloads(new ControlledWorkloads(SubsetAwareWorkloads.wrap(workloads, subsets, router), controller))
                .router(router).metrics(metrics).build();
    }

    private RolloutResult run(Revision revision, MetricTemplates templates) {
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withClock(time.clock())
                .onEvent(e -> check.check(e.getClass().getSimpleName() + " at " + time.now())).build();
        try {
            return engine.start("myapp", CANARY, revision, target(templates)).await();
        } finally {
            engine.shutdown();
        }
    }

    @Test
    void a_healthy_canary_passes_the_istio_preset_gate_at_every_step_with_the_reported_split_really_served() {
        RolloutResult result = run(Revision.of("v2.0.0", "myapp:v2.0.0"), Presets.istio());

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(check.disagreements()).isEmpty();
        assertThat(check.seen()).contains("10%/10%", "25%/25%", "50%/50%", "75%/75%", "100%/100%").last().isEqualTo("0%/0%");
        assertThat(prometheus.queries()).isNotEmpty().allMatch(q -> q.contains("destination_workload=\"myapp-canary\""));
        assertThat(mock.apps().deployments().inNamespace(NS).withName("myapp").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage()).isEqualTo("myapp:v2.0.0");
        assertThat(traffic.virtualService("myapp").of("myapp")).isEqualTo(1.0);
    }

    @Test
    void a_failing_canary_is_rolled_back_by_the_istio_preset_gate_and_all_requests_return_to_stable_pods() {
        RolloutResult result = run(Revision.of("v2-bad", "myapp:v2-bad"), Presets.istio());

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("success-rate");
        assertThat(check.disagreements()).isEmpty();
        assertThat(check.seen()).contains("10%/10%").last().isEqualTo("0%/0%");
        assertThat(traffic.virtualService("myapp").of("myapp")).isEqualTo(1.0);
        assertThat(mock.apps().deployments().inNamespace(NS).withName("myapp").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage()).isEqualTo("myapp:v1.0.0");
    }

    @Test
    void istio_subsets_select_the_wrong_pods_no_more_the_canary_subset_selects_exactly_the_candidates_pods() {
        RolloutResult result = run(Revision.of("v2.0.0", "myapp:v2.0.0"), Presets.istio());

        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        var dr = IstioFixtures.spec(IstioFixtures.destinationRule(mock, NS, "myapp"));
        assertThat(dr.toString()).contains("{name=stable, labels={cutover.io/track=stable}}", "{name=canary, labels={cutover.io/track=canary}}");
        assertThat(dr).containsKey("trafficPolicy");
        assertThat(check.seen()).doesNotContain("10%/0%");
        assertThat(check.disagreements()).isEmpty();
    }

    @Test
    void prometheus_presets_select_no_series_no_more_http_requests_total_reads_the_relabelled_pod_labels() {
        RolloutResult result = run(Revision.of("v2-bad", "myapp:v2-bad"), Presets.httpRequestsTotal());

        assertThat(result.phase()).as("the gate read the candidate's 20%% errors: %s", result.reason()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("success-rate");
        assertThat(prometheus.queries()).allMatch(q -> q.contains("cutover_io_application=\"myapp\",cutover_io_revision=\"v2-bad\""));
        assertThat(check.disagreements()).isEmpty();
    }

    @Test
    void the_old_istio_workload_default_selects_no_series_and_the_rollout_cannot_pass() {
        MetricTemplates old = Presets.istio().toBuilder().variable("workload", q -> q.application() + "-" + q.revision().name()).build();

        RolloutResult result = run(Revision.of("v2.0.0", "myapp:v2.0.0"), old);

        assertThat(result.phase()).as("no data must never pass a gate: %s", result.reason()).isEqualTo(Phase.PAUSED);
        assertThat(check.disagreements()).isEmpty();
    }

    @Test
    void every_request_of_the_composed_rollout_is_allowed_by_the_readmes_role_for_kubernetes_and_istio() throws Exception {
        drain();
        RolloutResult ok = run(Revision.of("v2.0.0", "myapp:v2.0.0"), Presets.istio());
        assertThat(ok.phase()).isEqualTo(Phase.SUCCEEDED);
        RolloutResult bad = run(Revision.of("v3-bad", "myapp:v3-bad"), Presets.istio());
        assertThat(bad.phase()).isEqualTo(Phase.ABORTED);

        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        java.util.regex.Matcher block = java.util.regex.Pattern.compile("```yaml\n(apiVersion: rbac[^`]*?name: cutover-with-istio.*?)```",
                java.util.regex.Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("the README documents the Role for Kubernetes + Istio").isTrue();
        var role = mock.getKubernetesSerialization().unmarshal(block.group(1), io.fabric8.kubernetes.api.model.rbac.Role.class);
        java.util.List<String> seen = new java.util.ArrayList<>();
        java.util.List<String> denied = new java.util.ArrayList<>();
        java.util.List<String> unscoped = new java.util.ArrayList<>();
        for (String[] call : drain()) {
            java.util.regex.Matcher m = PATH.matcher(call[1]);
            assertThat(m.matches()).as("namespaced request %s", call[1]).isTrue();
            String group = m.group(1) == null ? "" : m.group(1);
            String resource = m.group(2) + (m.group(4) != null ? "/" + m.group(4) : "");
            String verb = switch (call[0]) {
                case "GET" -> m.group(3) == null ? "list" : "get";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> call[0];
            };
            String name = m.group(3);
            seen.add(verb + " " + resource);
            if (role.getRules().stream().noneMatch(r -> allows(r, group, resource, verb, name))) {
                denied.add(verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (name == null ? "" : " " + name));
            }
            if (name != null && role.getRules().stream().anyMatch(r -> allows(r, group, resource, verb, "another-teams-object"))) {
                unscoped.add(verb + " " + (group.isEmpty() ? "" : group + "/") + resource);
            }
        }
        assertThat(seen).contains("update virtualservices", "update destinationrules", "patch deployments", "create deployments");
        assertThat(denied).as("requests outside the documented Role").isEmpty();
        assertThat(unscoped).as("requests on a named object that the Role would allow on any object of the namespace").isEmpty();
    }

    /** What the API server's RBAC authorizer decides: a rule with resourceNames allows only requests naming one of them. */
    private static boolean allows(io.fabric8.kubernetes.api.model.rbac.PolicyRule r, String group, String resource, String verb, String name) {
        boolean named = r.getResourceNames() == null || r.getResourceNames().isEmpty() || name != null && r.getResourceNames().contains(name);
        return r.getApiGroups().contains(group) && r.getResources().contains(resource) && r.getVerbs().contains(verb) && named;
    }

    /** The adapter's requests recorded since the last call, as {method, path without query}. */
    private java.util.List<String[]> drain() throws InterruptedException {
        java.util.List<String[]> calls = new java.util.ArrayList<>();
        io.fabric8.mockwebserver.http.RecordedRequest r;
        while ((r = server.takeRequest(1, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
            if (ADAPTER.equals(r.getHeader("User-Agent"))) {
                String path = r.getPath();
                int q = path.indexOf('?');
                calls.add(new String[] {r.getMethod(), q < 0 ? path : path.substring(0, q)});
            }
        }
        return calls;
    }

    private void load(String resource) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/" + resource)) {
            for (HasMetadata item : mock.load(in).items()) {
                mock.resource(item).inNamespace(NS).create();
            }
        }
    }
}
