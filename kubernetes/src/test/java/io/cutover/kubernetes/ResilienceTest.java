package io.cutover.kubernetes;

import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import io.cutover.state.RolloutState;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Conflicts, throttling, forbidden calls, crashes and a second engine, on the CRUD mock server. */
@EnableKubernetesMockClient(crud = true)
class ResilienceTest {

    KubernetesClient mock;
    KubernetesMockServer server;
    private Harness h;

    private static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    @BeforeEach
    void setUp() {
        h = new Harness(mock);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static io.fabric8.kubernetes.api.model.Status status(int code, String reason) {
        return new StatusBuilder().withCode(code).withReason(reason).withMessage(reason + " injected by the test").build();
    }

    @Test
    void conflicts_and_throttling_are_absorbed_and_a_users_concurrent_changes_survive() {
        Cluster.seedBlueGreen(mock);
        h.settle();
        // the first write of green gets a conflict
        server.expect().patch().withPath("/apis/apps/v1/namespaces/shop/deployments/myapp-green").andReturn(409, status(409, "Conflict")).once();
        // a person edits the objects while the rollout runs
        boolean[] edited = {false};
        RolloutEngine engine = io.cutover.RolloutEngine.builder().withScheduler(h.time).withClock(h.time.clock())
                .withStateStore(new ConfigMapStateStore(h.client, NS))
                .onEvent(e -> {
                    if (e instanceof RolloutEvent.ReplicasChanged && !edited[0]) {
                        edited[0] = true;
                        // the API server throttles the next two reads of blue (the engine retries them on its own budget)
                        server.expect().get().withPath("/apis/apps/v1/namespaces/shop/deployments/myapp-blue")
                                .andReturn(429, status(429, "TooManyRequests")).times(2);
                        mock.apps().deployments().inNamespace(NS).withName("myapp-green").edit(d -> {
                            d.getMetadata().getAnnotations().put("oncall", "alice");
                            d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                                    .add(new io.fabric8.kubernetes.api.model.EnvVar("LOG_LEVEL", "debug", null));
                            return d;
                        });
                        mock.services().inNamespace(NS).withName("myapp").edit(s -> {
                            s.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of("oncall", "alice")));
                            return s;
                        });
                        // and so does the switch of the Service
                        server.expect().patch().withPath("/api/v1/namespaces/shop/services/myapp").andReturn(409, status(409, "Conflict")).once();
                    }
                }).build();
        Target target = h.controlled(KubernetesTarget.blueGreen(h.client, NS, "myapp").build());
        Cluster.drain(server);

        RolloutResult result = engine.start("myapp", io.cutover.Deployment.blueGreen().build(), Revision.of("v3.0.0", "myapp:v3.0.0"), target).await();

        assertThat(result.phase()).as("%s", result).isEqualTo(Phase.SUCCEEDED);
        List<Cluster.Call> sent = Cluster.adapter(Cluster.drain(server));
        // green: the refused image patch, the same patch again after a fresh read, then the promotion mark
        assertThat(sent).filteredOn(c -> c.method().equals("PATCH") && c.path().endsWith("/deployments/myapp-green")).hasSize(3);
        // the Service: the refused switch and the switch again after a fresh read
        assertThat(sent).filteredOn(c -> c.method().equals("PATCH") && c.path().endsWith("/services/myapp")).hasSize(2);
        var green = h.deployment("myapp-green");
        assertThat(edited[0]).isTrue();
        assertThat(green.getMetadata().getAnnotations()).containsEntry("oncall", "alice");
        assertThat(green.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).extracting("name").contains("LOG_LEVEL");
        assertThat(green.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("myapp:v3.0.0");
        var service = mock.services().inNamespace(NS).withName("myapp").get();
        assertThat(service.getMetadata().getAnnotations()).containsEntry("oncall", "alice");
        assertThat(service.getSpec().getSelector()).containsEntry("version", "green").containsEntry("app", "myapp");
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getIntVal()).isEqualTo(8080);
    }

    @Test
    void a_conflict_that_never_clears_reaches_the_engine_as_conflict_after_three_reads() {
        Cluster.seedBlueGreen(mock);
        server.expect().patch().withPath("/api/v1/namespaces/shop/services/myapp").andReturn(409, status(409, "Conflict")).times(3);
        var router = ServiceSelectorRouter.builder(DeploymentWorkloads.blueGreen(h.client, NS, "myapp").activeService("myapp").build(), "myapp").build();
        assertThatThrownBy(() -> router.apply(TrafficSplit.weighted(100))).isInstanceOf(CutoverException.class)
                .hasMessageContaining("patch service shop/myapp conflicted (409)")
                .extracting(e -> ((CutoverException) e).kind()).isEqualTo(CutoverException.Kind.CONFLICT);
        router.apply(TrafficSplit.weighted(100));
        assertThat(router.read().candidateWeight()).isEqualTo(100);
    }

    @Test
    void forbidden_missing_throttled_and_failing_calls_are_classified_with_verb_and_resource() {
        Cluster.seedBlueGreen(mock);
        var workloads = DeploymentWorkloads.blueGreen(h.client, NS, "myapp").activeService("myapp").build();
        var router = ServiceSelectorRouter.builder(workloads, "myapp").build();
        server.expect().patch().withPath("/api/v1/namespaces/shop/services/myapp").andReturn(403, status(403, "Forbidden")).once();
        assertThatThrownBy(() -> router.apply(TrafficSplit.weighted(100))).isInstanceOf(CutoverException.class)
                .hasMessageContaining("patch service shop/myapp is forbidden (403)").hasMessageContaining("'patch' on services")
                .extracting(e -> ((CutoverException) e).kind()).isEqualTo(CutoverException.Kind.PERMANENT);
        server.expect().get().withPath("/api/v1/namespaces/shop/services/myapp").andReturn(429, status(429, "TooManyRequests")).once();
        assertThatThrownBy(router::read).hasMessageContaining("get service shop/myapp was throttled (429)")
                .extracting(e -> ((CutoverException) e).kind()).isEqualTo(CutoverException.Kind.TRANSIENT);
        server.expect().get().withPath("/api/v1/namespaces/shop/services/myapp").andReturn(503, status(503, "ServiceUnavailable")).once();
        assertThatThrownBy(router::read).hasMessageContaining("get service shop/myapp failed on the server (503)")
                .extracting(e -> ((CutoverException) e).kind()).isEqualTo(CutoverException.Kind.TRANSIENT);
        mock.services().inNamespace(NS).withName("myapp").delete();
        assertThatThrownBy(router::read).hasMessageContaining("get service shop/myapp found nothing (404)")
                .extracting(e -> ((CutoverException) e).kind()).isEqualTo(CutoverException.Kind.PERMANENT);
    }

    @Test
    void a_fresh_engine_resumes_a_crashed_canary_from_the_configmap() {
        Cluster.apply(mock, "seed/rolling-deployment.yaml");
        Cluster.apply(mock, "gateway/canary.yaml");
        h.settle();
        Target target = h.controlled(KubernetesTarget.canary(h.client, NS, "myapp").gatewayApi("myapp", "myapp", "myapp-canary").build());
        Rollout first = h.engine(new ConfigMapStateStore(h.client, NS)).start("myapp", CanaryEndToEndTest.CANARY, V2, target);
        h.time.runUntil(() -> h.at(RolloutEvent.TrafficChanged.class).size() == 2, Duration.ofHours(1));
        assertThat(first.status().split().candidateWeight()).isEqualTo(25);
        int before = h.snapshots.size();

        h.restartTime(); // the first engine is gone: none of its scheduled work will run
        var stored = new ConfigMapStateStore(h.client, NS).load("myapp").orElseThrow();
        assertThat(stored.state().split().candidateWeight()).isEqualTo(25);
        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS)).resume("myapp", CanaryEndToEndTest.CANARY, target).await();

        assertThat(result.phase()).as("%s", result).isEqualTo(Phase.SUCCEEDED);
        List<Integer> resumedWeights = h.snapshots.subList(before, h.snapshots.size()).stream()
                .filter(s -> s.event() instanceof RolloutEvent.TrafficChanged)
                .map(s -> ((RolloutEvent.TrafficChanged) s.event()).split().candidateWeight()).toList();
        assertThat(resumedWeights).containsExactly(50, 75, 100, 0);
        assertThat(h.snapshot(null).routeWeights()).containsEntry("myapp", 100).containsEntry("myapp-canary", 0);
    }
}
