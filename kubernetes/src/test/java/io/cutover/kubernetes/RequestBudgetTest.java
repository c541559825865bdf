package io.cutover.kubernetes;

import static io.cutover.gate.Gates.successRate;
import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Records every request the adapter sends during whole rollouts: each must be allowed by the RBAC
 * Role the README section documents, and the counts (by verb and resource) are written to
 * {@code target/request-counts.md} for BENCHMARKS.md.
 */
@EnableKubernetesMockClient(crud = true)
class RequestBudgetTest {

    private static final Path REPORT = Path.of("target", "request-counts.md");
    private static final Pattern PATH = Pattern.compile("/(?:api/v1|apis/([^/]+)/[^/]+)/namespaces/[^/]+/([^/]+)(?:/([^/]+))?(?:/([^/]+))?");

    KubernetesClient mock;
    KubernetesMockServer server;
    private Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(mock);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void a_blue_green_rollout_stays_within_the_role() {
        Cluster.seedBlueGreen(mock);
        h.settle();
        mock.services().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata().withName("myapp-preview").endMetadata()
                .withNewSpec().addToSelector("app", "myapp").addToSelector("version", "green").endSpec().build()).create();
        Target target = h.controlled(KubernetesTarget.blueGreen(h.client, NS, "myapp").previewService("myapp-preview").build());
        Deployment bg = Deployment.blueGreen().prePromotionGate(successRate(0.95)).autoPromoteAfter(Duration.ofMinutes(1)).build();
        Cluster.drain(server);

        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS))
                .start("myapp", bg, Revision.of("v2.0.0", "myapp:v2.0.0"), target).await();

        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        check("blue-green (seed manifests, ConfigMap state)", Cluster.adapter(Cluster.drain(server)));
    }

    @Test
    void a_four_step_canary_by_replicas_stays_within_the_role() {
        Cluster.apply(mock, "seed/rolling-deployment.yaml");
        Cluster.apply(mock, "gateway/canary.yaml");
        h.settle();
        Cluster.drain(server);

        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS)).start("myapp", CanaryEndToEndTest.CANARY,
                Revision.of("v2.0.0", "myapp:v2.0.0"), h.controlled(KubernetesTarget.canary(h.client, NS, "myapp").build())).await();

        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        check("canary 10/25/50/75 by replicas (ConfigMap state)", Cluster.adapter(Cluster.drain(server)));
    }

    @Test
    void a_four_step_canary_on_the_gateway_api_stays_within_the_role() {
        Cluster.apply(mock, "seed/rolling-deployment.yaml");
        Cluster.apply(mock, "gateway/canary.yaml");
        h.settle();
        Cluster.drain(server);

        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS)).start("myapp", CanaryEndToEndTest.CANARY,
                Revision.of("v2.0.0", "myapp:v2.0.0"),
                h.controlled(KubernetesTarget.canary(h.client, NS, "myapp").gatewayApi("myapp", "myapp", "myapp-canary").build())).await();

        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        check("canary 10/25/50/75 on an HTTPRoute (ConfigMap state)", Cluster.adapter(Cluster.drain(server)));
    }

    @Test
    void a_native_rolling_update_paused_at_each_batch_and_its_undo_stay_within_the_role() {
        Cluster.apply(mock, "seed/rolling-deployment.yaml");
        h.settle();
        NativeDeploymentWorkloads w = NativeDeploymentWorkloads.builder(h.client, NS, "myapp").pauseAtBatches(true).build();
        Target target = h.controlled(Target.builder("myapp").workloads(w).router(w.router()).build());
        Deployment rolling = Deployment.rolling().maxSurge(1).maxUnavailable(0).batchGate(successRate(0.95)).build();
        Cluster.drain(server);

        RolloutResult ok = h.engine(new ConfigMapStateStore(h.client, NS)).start("myapp", rolling, Revision.of("v2.0.0", "myapp:v2.0.0"), target).await();
        RolloutResult undone = h.engine(new ConfigMapStateStore(h.client, NS)).start("myapp-2", rolling, Revision.of("v3-bad", "myapp:v3-bad"), target).await();

        assertThat(ok.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(undone.phase()).isEqualTo(Phase.ABORTED);
        check("native rolling update (5 replicas, maxSurge 1, paused at each batch), then one undone at its first batch",
                Cluster.adapter(Cluster.drain(server)));
    }

    @Test
    void switching_the_seed_service_wall_time() {
        Cluster.seedBlueGreen(mock);
        var router = ServiceSelectorRouter.builder(DeploymentWorkloads.blueGreen(h.client, NS, "myapp").activeService("myapp").build(), "myapp").build();
        router.apply(TrafficSplit.weighted(100)); // warm the client and mark the roles
        router.apply(TrafficSplit.stableOnly());
        int rounds = 50;
        long[] nanos = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            TrafficSplit split = i % 2 == 0 ? TrafficSplit.weighted(100) : TrafficSplit.stableOnly();
            long start = System.nanoTime();
            router.apply(split);
            nanos[i] = System.nanoTime() - start;
            assertThat(router.read()).isEqualTo(split);
        }
        java.util.Arrays.sort(nanos);
        append(String.format("### blue-green switch wall time%n%nServiceSelectorRouter.apply (read both Deployments, read the Service, "
                        + "patch its selector) against the mock server, %d switches after 2 warm-up ones: median %.1f ms, p90 %.1f ms, max %.1f ms%n%n",
                rounds, nanos[rounds / 2] / 1e6, nanos[rounds * 9 / 10] / 1e6, nanos[rounds - 1] / 1e6));
    }

    private void check(String title, List<Cluster.Call> calls) {
        Role role = documentedRole();
        Map<String, Integer> counts = new TreeMap<>();
        List<String> denied = new ArrayList<>();
        for (Cluster.Call c : calls) {
            Matcher m = PATH.matcher(c.path());
            assertThat(m.matches()).as("namespaced request %s", c).isTrue();
            String group = m.group(1) == null ? "" : m.group(1);
            String resource = m.group(2) + (m.group(4) != null ? "/" + m.group(4) : "");
            String verb = switch (c.method()) {
                case "GET" -> m.group(3) == null ? "list" : "get";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> c.method();
            };
            counts.merge(verb + " " + resource, 1, Integer::sum);
            boolean allowed = role.getRules().stream().anyMatch(r -> allows(r, group, resource, verb));
            if (!allowed) {
                denied.add(verb + " " + (group.isEmpty() ? "" : group + "/") + resource);
            }
        }
        assertThat(denied).as("requests outside the documented Role").isEmpty();
        StringBuilder s = new StringBuilder("### " + title + "\n\n| request | count |\n|---|---|\n");
        counts.forEach((k, v) -> s.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        long reads = calls.stream().filter(c -> c.method().equals("GET")).count();
        s.append("| **total** | ").append(calls.size()).append(" (").append(reads).append(" reads, ").append(calls.size() - reads)
                .append(" writes) |\n\n");
        append(s.toString());
    }

    private static boolean allows(PolicyRule r, String group, String resource, String verb) {
        return r.getApiGroups().contains(group) && r.getResources().contains(resource) && r.getVerbs().contains(verb);
    }

    private Role documentedRole() {
        try {
            String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8); // the project README documents the Role
            Matcher m = Pattern.compile("```yaml\n(apiVersion: rbac.*?)```", Pattern.DOTALL).matcher(readme);
            assertThat(m.find()).as("the README documents a Role").isTrue();
            return mock.getKubernetesSerialization().unmarshal(m.group(1), Role.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void append(String text) {
        try {
            Files.createDirectories(REPORT.getParent());
            Files.writeString(REPORT, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
