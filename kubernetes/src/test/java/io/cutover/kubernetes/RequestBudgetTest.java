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
 * Role the README section documents (verb, resource and object name, as the API server's authorizer
 * decides with {@code resourceNames}), a request on a named object must not be one the Role allows on
 * any object of the namespace, and the counts (by verb and resource) are written to
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
        RolloutResult undone = h.engine(new ConfigMapStateStore(h.client, NS)).start("myapp", rolling, Revision.of("v3-bad", "myapp:v3-bad"), target).await();

        assertThat(ok.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(undone.phase()).isEqualTo(Phase.ABORTED);
        check("native rolling update (5 replicas, maxSurge 1, paused at each batch), then one undone at its first batch",
                Cluster.adapter(Cluster.drain(server)));
    }

    @Test
    void a_four_step_canary_by_replicas_reading_from_watches_needs_at_most_five_gets() {
        Cluster.apply(mock, "seed/rolling-deployment.yaml");
        Cluster.apply(mock, "gateway/canary.yaml");
        fromWatches("canary 10/25/50/75 by replicas, reads from watches (ConfigMap state from a watch)", CanaryEndToEndTest.CANARY, 3,
                cache -> KubernetesTarget.canary(h.client, NS, "myapp").cache(cache).build());
    }

    @Test
    void a_four_step_canary_on_the_gateway_api_reading_from_watches_needs_at_most_five_gets() {
        Cluster.apply(mock, "seed/rolling-deployment.yaml");
        Cluster.apply(mock, "gateway/canary.yaml");
        fromWatches("canary 10/25/50/75 on an HTTPRoute, reads from watches (ConfigMap state from a watch)", CanaryEndToEndTest.CANARY, 4,
                cache -> KubernetesTarget.canary(h.client, NS, "myapp").gatewayApi("myapp", "myapp", "myapp-canary").cache(cache).build());
    }

    @Test
    void a_blue_green_rollout_reading_from_watches_needs_at_most_five_gets() {
        Cluster.seedBlueGreen(mock);
        Deployment bg = Deployment.blueGreen().prePromotionGate(successRate(0.95)).autoPromoteAfter(Duration.ofMinutes(1)).build();
        fromWatches("blue-green, reads from watches (seed manifests, ConfigMap state from a watch)", bg, 3,
                cache -> KubernetesTarget.blueGreen(h.client, NS, "myapp").cache(cache).build());
    }

    @Test
    void a_native_rolling_update_reading_from_watches_lists_replica_sets_only_once() {
        Cluster.apply(mock, "seed/rolling-deployment.yaml");
        h.cacheReplicaSets = true;
        Deployment rolling = Deployment.rolling().maxSurge(1).maxUnavailable(0).batchGate(successRate(0.95)).build();

        List<Cluster.Call> calls = fromWatches("native rolling update (5 replicas, maxSurge 1, paused at each batch), reads from watches",
                rolling, 4, cache -> {
                    NativeDeploymentWorkloads w = NativeDeploymentWorkloads.builder(h.client, NS, "myapp").pauseAtBatches(true).cache(cache).build();
                    return Target.builder("myapp").workloads(w).router(w.router()).changes(w.changes()).build();
                });

        assertThat(calls).as("ReplicaSets: one list when the watch starts, then the watch")
                .filteredOn(c -> c.method().equals("GET") && c.path().endsWith("/replicasets") && !c.watch()).hasSize(1);
    }

    /**
     * Runs {@code plan} to success on a target and a state store reading from one watch cache, checks
     * the requests against the Role and the budget ({@code kinds} watched kinds) and records them.
     */
    private List<Cluster.Call> fromWatches(String title, Deployment plan, int kinds, java.util.function.Function<KubernetesCache, Target> target) {
        h.settle();
        KubernetesCache cache = h.useCache();
        CountingStore store = new CountingStore(new ConfigMapStateStore(h.client, NS).withCache(cache));
        Target controlled = h.controlled(target.apply(cache));
        Cluster.drain(server);

        RolloutResult result = h.engine(store).start("myapp", plan, Revision.of("v2.0.0", "myapp:v2.0.0"), controlled).await();

        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        List<Cluster.Call> calls = Cluster.adapter(Cluster.drain(server));
        check(title, calls);
        assertWatchBudget(calls, store, kinds);
        return calls;
    }

    @Test
    void the_seed_blue_green_switch_from_a_warm_cache_is_one_patch() {
        Cluster.seedBlueGreen(mock);
        KubernetesCache cache = h.useCache();
        var router = ServiceSelectorRouter.builder(DeploymentWorkloads.blueGreen(h.client, NS, "myapp").activeService("myapp")
                .cache(cache).build(), "myapp").build();
        router.apply(TrafficSplit.weighted(100)); // starts the watches and marks the roles
        router.apply(TrafficSplit.stableOnly());
        Cluster.drain(server);

        router.apply(TrafficSplit.weighted(100));

        List<Cluster.Call> calls = Cluster.adapter(Cluster.drain(server));
        assertThat(calls).extracting(Cluster.Call::toString).containsExactly("PATCH /api/v1/namespaces/shop/services/myapp");
        assertThat(mock.services().inNamespace(NS).withName("myapp").get().getSpec().getSelector()).containsEntry("version", "green");
        check("blue-green switch of the seed's Service from a warm cache", calls);
    }

    /**
     * Reads: at most 5 GETs of single objects; one list and one watch per watched kind (the cache's,
     * shared by every rollout of the engine). Writes: the state saves the store counted, and the
     * platform writes of the plan; nothing else.
     */
    private static void assertWatchBudget(List<Cluster.Call> calls, CountingStore store, int kinds) {
        long gets = calls.stream().filter(c -> c.method().equals("GET") && !c.watch() && isSingle(c)).count();
        long watches = calls.stream().filter(Cluster.Call::watch).count();
        long lists = calls.stream().filter(c -> c.method().equals("GET") && !c.watch() && !isSingle(c)).count();
        long stateWrites = calls.stream().filter(c -> !c.method().equals("GET") && c.path().contains("/configmaps")).count();
        assertThat(gets).as("GETs of single objects in one rollout").isLessThanOrEqualTo(5);
        assertThat(lists).as("lists: one per watched kind").isLessThanOrEqualTo(kinds);
        assertThat(watches).as("watches: one per watched kind (more only when a watch is re-opened)").isBetween(1L, (long) kinds * 2);
        assertThat(stateWrites).as("state writes are the saves").isEqualTo(store.saves.get());
    }

    private static boolean isSingle(Cluster.Call c) {
        Matcher m = PATH.matcher(c.path());
        return m.matches() && m.group(3) != null;
    }

    /** Counts the engine's saves. */
    static final class CountingStore implements io.cutover.spi.StateStore {
        final io.cutover.spi.StateStore delegate;
        final java.util.concurrent.atomic.AtomicInteger saves = new java.util.concurrent.atomic.AtomicInteger();

        CountingStore(io.cutover.spi.StateStore delegate) {
            this.delegate = delegate;
        }

        @Override public java.util.Optional<Stored> load(String rollout) { return delegate.load(rollout); }

        @Override
        public String save(String rollout, io.cutover.state.RolloutState state, String expectedVersion) {
            saves.incrementAndGet();
            return delegate.save(rollout, state, expectedVersion);
        }
    }

    private void check(String title, List<Cluster.Call> calls) {
        Role role = documentedRole();
        Map<String, Integer> counts = new TreeMap<>();
        List<String> denied = new ArrayList<>();
        List<String> unscoped = new ArrayList<>();
        for (Cluster.Call c : calls) {
            Matcher m = PATH.matcher(c.path());
            assertThat(m.matches()).as("namespaced request %s", c).isTrue();
            String group = m.group(1) == null ? "" : m.group(1);
            String resource = m.group(2) + (m.group(4) != null ? "/" + m.group(4) : "");
            String verb = switch (c.method()) {
                case "GET" -> c.watch() ? "watch" : m.group(3) == null ? "list" : "get";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> c.method();
            };
            String name = m.group(3);
            counts.merge(verb + " " + resource, 1, Integer::sum);
            boolean allowed = role.getRules().stream().anyMatch(r -> allows(r, group, resource, verb, name));
            if (!allowed) {
                denied.add(verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (name == null ? "" : " " + name));
            }
            if (name != null && role.getRules().stream().anyMatch(r -> allows(r, group, resource, verb, "another-teams-object"))) {
                unscoped.add(verb + " " + (group.isEmpty() ? "" : group + "/") + resource);
            }
        }
        assertThat(denied).as("requests outside the documented Role").isEmpty();
        assertThat(unscoped).as("requests on a named object that the Role would allow on any object of the namespace").isEmpty();
        StringBuilder s = new StringBuilder("### " + title + "\n\n| request | count |\n|---|---|\n");
        counts.forEach((k, v) -> s.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        long reads = calls.stream().filter(c -> c.method().equals("GET")).count();
        s.append("| **total** | ").append(calls.size()).append(" (").append(reads).append(" reads, ").append(calls.size() - reads)
                .append(" writes) |\n\n");
        append(s.toString());
    }

    /** What the API server's RBAC authorizer decides: a rule with resourceNames allows only requests naming one of them. */
    private static boolean allows(PolicyRule r, String group, String resource, String verb, String name) {
        boolean named = r.getResourceNames() == null || r.getResourceNames().isEmpty() || name != null && r.getResourceNames().contains(name);
        return r.getApiGroups().contains(group) && r.getResources().contains(resource) && r.getVerbs().contains(verb) && named;
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
