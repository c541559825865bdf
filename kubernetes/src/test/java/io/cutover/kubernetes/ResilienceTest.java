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
                .listener(e -> {
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
        assertThat(router.read().canaryWeight()).isEqualTo(100);
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
        assertThat(first.status().split().canaryWeight()).isEqualTo(25);
        int before = h.snapshots.size();

        h.restartTime(); // the first engine is gone: none of its scheduled work will run
        var stored = new ConfigMapStateStore(h.client, NS).load("myapp").orElseThrow();
        assertThat(stored.state().split().canaryWeight()).isEqualTo(25);
        RolloutResult result = h.engine(new ConfigMapStateStore(h.client, NS)).resume("myapp", CanaryEndToEndTest.CANARY, target).await();

        assertThat(result.phase()).as("%s", result).isEqualTo(Phase.SUCCEEDED);
        List<Integer> resumedWeights = h.snapshots.subList(before, h.snapshots.size()).stream()
                .filter(s -> s.event() instanceof RolloutEvent.TrafficChanged)
                .map(s -> ((RolloutEvent.TrafficChanged) s.event()).split().canaryWeight()).toList();
        assertThat(resumedWeights).containsExactly(50, 75, 100, 0);
        assertThat(h.snapshot(null).routeWeights()).containsEntry("myapp", 100).containsEntry("myapp-canary", 0);
    }

    @Test
    void of_two_engines_on_one_rollout_only_the_lease_holder_writes() {
        Cluster.apply(mock, "seed/rolling-deployment.yaml");
        Cluster.apply(mock, "gateway/canary.yaml");
        h.settle();
        LeaseOwnership a = LeaseOwnership.builder(h.client, NS).holder("engine-a").withClock(h.time.clock()).build();
        KubernetesClient clientB = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(
                mock.getConfiguration()).withUserAgent("engine-b").withRequestRetryBackoffLimit(0).build()).build();
        LeaseOwnership b = LeaseOwnership.builder(clientB, NS).holder("engine-b").withClock(h.time.clock()).build();
        Target plain = h.controlled(KubernetesTarget.canary(h.client, NS, "myapp").gatewayApi("myapp", "myapp", "myapp-canary").build());

        Rollout ra = h.engine(a.guard(new ConfigMapStateStore(h.client, NS))).start("myapp", CanaryEndToEndTest.CANARY, V2, a.guard("myapp", plain));
        h.time.runUntil(() -> h.at(RolloutEvent.TrafficChanged.class).size() == 1, Duration.ofHours(1));
        Cluster.drain(server);

        Target plainB = h.controlled(KubernetesTarget.canary(clientB, NS, "myapp").gatewayApi("myapp", "myapp", "myapp-canary").build());
        RolloutEngine engineB = RolloutEngine.builder().withScheduler(h.time).withClock(h.time.clock())
                .withStateStore(b.guard(new ConfigMapStateStore(clientB, NS))).build();
        assertThatThrownBy(() -> engineB.resume("myapp", CanaryEndToEndTest.CANARY, b.guard("myapp", plainB)))
                .isInstanceOf(io.cutover.state.StateConflictException.class).hasMessageContaining("another engine's lease");
        RolloutResult result = ra.await();

        assertThat(result.phase()).as("%s", result).isEqualTo(Phase.SUCCEEDED);
        List<Cluster.Call> calls = Cluster.drain(server);
        assertThat(calls).filteredOn(c -> "engine-b".equals(c.agent())).isNotEmpty().allMatch(c -> c.method().equals("GET"));
        assertThat(calls).filteredOn(c -> Cluster.ADAPTER_AGENT.equals(c.agent()))
                .anyMatch(c -> c.method().equals("PATCH") && c.path().endsWith("/httproutes/myapp"));
        var lease = mock.leases().inNamespace(NS).withName(a.leaseName("myapp")).get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("engine-a");
        clientB.close();
    }

    @Test
    void a_lease_is_taken_over_only_after_it_went_unrenewed_for_its_duration_as_this_engine_saw_it_and_the_old_holder_then_stops_saving() {
        LeaseOwnership a = LeaseOwnership.builder(h.client, NS).holder("engine-a").duration(Duration.ofSeconds(30)).withClock(h.time.clock()).build();
        LeaseOwnership b = LeaseOwnership.builder(h.client, NS).holder("engine-b").duration(Duration.ofSeconds(30)).withClock(h.time.clock()).build();
        var storeA = a.guard(new ConfigMapStateStore(h.client, NS));
        var storeB = b.guard(new ConfigMapStateStore(h.client, NS));
        RolloutState state = RolloutState.initial("myapp", "myapp", V2, "plan", 5, "v1.0.0", h.time.now());

        String v1 = storeA.save("myapp", state, null);
        h.time.advance(Duration.ofSeconds(20));
        assertThat(b.tryAcquire("myapp")).isFalse();
        assertThatThrownBy(() -> storeB.save("myapp", state, v1)).isInstanceOf(io.cutover.state.StateConflictException.class);
        h.time.advance(Duration.ofSeconds(11)); // 31 s after the renewal, 11 s after engine-b first saw it
        assertThat(b.tryAcquire("myapp")).as("expiry is measured from engine-b's own observation").isFalse();
        h.time.advance(Duration.ofSeconds(19)); // 30 s since engine-b saw it unchanged
        assertThat(b.tryAcquire("myapp")).isTrue();
        String v2 = storeB.save("myapp", state, v1);
        assertThatThrownBy(() -> storeA.save("myapp", state, v2)).isInstanceOf(io.cutover.state.StateConflictException.class);
        var lease = mock.leases().inNamespace(NS).withName(a.leaseName("myapp")).get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("engine-b");
        assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(1);
        assertThat(lease.getSpec().getRenewTime().toInstant()).isEqualTo(h.time.now());
    }

    @Test
    void lease_takeover_trusts_a_remote_clock_no_more_an_engine_31_seconds_ahead_does_not_take_a_lease_renewed_a_second_ago() {
        java.time.Clock ahead = java.time.Clock.offset(h.time.clock(), Duration.ofSeconds(31));
        LeaseOwnership a = LeaseOwnership.builder(h.client, NS).holder("engine-a").withClock(h.time.clock()).build();
        LeaseOwnership b = LeaseOwnership.builder(h.client, NS).holder("engine-b").withClock(ahead).build();

        assertThat(a.tryAcquire("myapp")).isTrue();
        h.time.advance(Duration.ofSeconds(1));

        assertThat(b.tryAcquire("myapp")).isFalse();
        assertThat(mock.leases().inNamespace(NS).withName(a.leaseName("myapp")).get().getSpec().getHolderIdentity()).isEqualTo("engine-a");
    }

    @Test
    void the_lease_is_renewed_on_its_own_schedule_through_a_pause_longer_than_its_duration() {
        LeaseOwnership a = LeaseOwnership.builder(h.client, NS).holder("engine-a").withClock(h.time.clock()).build();
        LeaseOwnership b = LeaseOwnership.builder(h.client, NS).holder("engine-b").withClock(h.time.clock()).build();
        var renewal = a.keepRenewing("myapp", h.time);

        for (int i = 0; i < 20; i++) { // ten minutes of a paused rollout: no save, no platform write
            h.time.advance(Duration.ofSeconds(30));
            assertThat(b.tryAcquire("myapp")).as("after %d s", 30 * (i + 1)).isFalse();
        }
        renewal.cancel();
        h.time.advance(Duration.ofSeconds(29));
        assertThat(b.tryAcquire("myapp")).isFalse(); // engine-b saw the last renewal 29 s ago
        h.time.advance(Duration.ofSeconds(2));
        assertThat(b.tryAcquire("myapp")).as("once renewals stop, the lease expires").isTrue();
    }
}
