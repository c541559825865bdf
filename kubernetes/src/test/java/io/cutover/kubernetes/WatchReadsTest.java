package io.cutover.kubernetes;

import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.Target;
import io.cutover.plan.Step;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads from the watch cache: a readiness wait ends on the watch event that changes it, on virtual
 * time and without a request; a write computed from a stale cached object is refused (409), re-read
 * from the API server and applied again.
 */
@EnableKubernetesMockClient(crud = true)
class WatchReadsTest {

    private static final Duration POLL = Duration.ofHours(1);
    private static final io.cutover.Deployment BLUE_GREEN = io.cutover.Deployment.blueGreen().build();

    KubernetesClient mock;
    KubernetesMockServer server;
    private Harness h;
    private KubernetesCache cache;

    @BeforeEach
    void setUp() {
        h = new Harness(mock);
        cache = h.useCache();
        Cluster.seedBlueGreen(mock);
        h.settle();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void readiness_is_woken_by_the_watch_event_that_changes_it_on_virtual_time_without_a_request() {
        // the engine polls once an hour: only the watch can end the wait sooner
        RolloutEngine engine = RolloutEngine.builder().withScheduler(h.time).withClock(h.time.clock())
                .withStateStore(new ConfigMapStateStore(h.client, NS).withCache(cache)).pollInterval(POLL).build();
        // the controller runs before each status read and after each write, and the cache catches up with it
        Target controlled = h.controlled(KubernetesTarget.blueGreen(h.client, NS, "myapp").cache(cache).build());
        AtomicInteger looks = new AtomicInteger();
        Target target = controlled.toBuilder().workloads(new CountingLooks(controlled.workloads(), looks)).build();
        Rollout rollout = engine.start("myapp", BLUE_GREEN, Revision.of("v3.0.0", "myapp:v3.0.0"), target);
        h.time.runUntil(() -> awaitingCandidate(rollout), Duration.ofMinutes(1));
        h.time.runUntil(() -> false, Duration.ZERO); // the first look: green's new pods are starting
        assertThat(awaitingCandidate(rollout)).as("%s", rollout.status()).isTrue();
        assertThat(cache.informed(io.fabric8.kubernetes.api.model.apps.Deployment.class, NS).listenerCount())
                .as("the waiting rollout listens to both colours").isEqualTo(2);
        Instant waitingSince = h.time.now();
        Cluster.drain(server);

        // green rolls to v3 in batches, each ready 10 s after it started; the controller writes each step
        // to the status, and only the watch event that carries it can make the engine look before the hour
        for (int round = 0; round < 30 && awaitingCandidate(rollout); round++) {
            h.time.advance(Duration.ofSeconds(10));
            int before = looks.get();
            h.controller.reconcile();
            runDueUntil(() -> looks.get() > before || !awaitingCandidate(rollout));
        }

        assertThat(awaitingCandidate(rollout)).as("the rollout left the readiness wait").isFalse();
        assertThat(Duration.between(waitingSince, h.time.now())).as("virtual time waited: the batches' 10 s steps, not the poll's hour")
                .isLessThan(Duration.ofMinutes(5));
        assertThat(looks.get()).as("looks at green, each brought by a watch event").isGreaterThan(1);
        List<Cluster.Call> sent = Cluster.adapter(Cluster.drain(server));
        assertThat(sent).as("readiness read from the watch cache: no GET of a Deployment")
                .noneMatch(c -> c.method().equals("GET") && c.path().contains("/deployments") && !c.watch());
    }

    @Test
    void a_write_from_a_stale_cached_object_is_refused_then_re_read_from_the_server_and_applied_again() {
        var workloads = DeploymentWorkloads.blueGreen(h.client, NS, "myapp").activeService("myapp").cache(cache).build();
        var router = ServiceSelectorRouter.builder(workloads, "myapp").build();
        assertThat(router.read()).isEqualTo(TrafficSplit.stableOnly()); // the cache holds the Service now
        String cachedVersion = cache.get(Service.class, NS, "myapp").getMetadata().getResourceVersion();
        // someone changed the Service since the cache saw it: the API server refuses the first write
        server.expect().patch().withPath("/api/v1/namespaces/shop/services/myapp")
                .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict").withMessage("the object has been modified").build())
                .once();
        Cluster.drain(server);

        router.apply(TrafficSplit.weighted(100));

        List<Cluster.Call> sent = Cluster.adapter(Cluster.drain(server));
        List<Cluster.Call> patches = sent.stream().filter(c -> c.method().equals("PATCH") && c.path().endsWith("/services/myapp")).toList();
        assertThat(patches).hasSize(2);
        assertThat(patches.get(0).body()).as("the first write carries the cached resourceVersion")
                .contains("\"resourceVersion\":\"" + cachedVersion + "\"");
        assertThat(sent).as("after the 409 the Service is read from the API server")
                .anyMatch(c -> c.method().equals("GET") && c.path().endsWith("/services/myapp") && !c.watch());
        Service live = mock.services().inNamespace(NS).withName("myapp").get();
        assertThat(live.getSpec().getSelector()).containsEntry("version", "green").containsEntry("app", "myapp");
        assertThat(router.read()).as("read back after the write").isEqualTo(TrafficSplit.weighted(100));
    }

    @Test
    void a_read_back_right_after_a_write_sees_the_write() {
        var workloads = DeploymentWorkloads.blueGreen(h.client, NS, "myapp").activeService("myapp").cache(cache).build();
        var router = ServiceSelectorRouter.builder(workloads, "myapp").build();
        for (int i = 0; i < 20; i++) {
            TrafficSplit split = i % 2 == 0 ? TrafficSplit.weighted(100) : TrafficSplit.stableOnly();
            router.apply(split);
            assertThat(router.read()).as("switch %d read back at once", i).isEqualTo(split);
        }
    }

    @Test
    void one_informer_per_kind_and_namespace_serves_every_target() {
        for (int i = 0; i < 5; i++) {
            Target t = KubernetesTarget.blueGreen(h.client, NS, "myapp").cache(cache).build();
            t.workloads().status(Role.STABLE);
            t.router().read();
        }
        assertThat(cache.informerCount()).as("deployments and services in one namespace").isEqualTo(2);
    }

    @Test
    void a_cache_watching_through_another_client_is_refused_when_the_adapter_is_built() {
        try (KubernetesCache other = KubernetesCache.of(mock)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> KubernetesTarget.blueGreen(h.client, NS, "myapp").cache(other).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cache must watch through the adapter's own client");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConfigMapStateStore(h.client, NS).withCache(other))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cache must watch through the adapter's own client");
        }
    }

    /** Counts the engine's looks at the candidate's readiness. */
    private static final class CountingLooks implements io.cutover.spi.Workloads {
        private final io.cutover.spi.Workloads delegate;
        private final AtomicInteger looks;

        CountingLooks(io.cutover.spi.Workloads delegate, AtomicInteger looks) {
            this.delegate = delegate;
            this.looks = looks;
        }

        @Override public void deploy(Revision revision, int replicas) { delegate.deploy(revision, replicas); }
        @Override public void scale(Role role, int replicas) { delegate.scale(role, replicas); }
        @Override public void promote(Revision revision) { delegate.promote(revision); }
        @Override public void retire(Role role) { delegate.retire(role); }
        @Override public java.util.Optional<io.cutover.spi.WorkloadIdentity> identity(Role role) { return delegate.identity(role); }

        @Override
        public io.cutover.spi.WorkloadStatus status(Role role) {
            if (role == Role.CANDIDATE) {
                looks.incrementAndGet();
            }
            return delegate.status(role);
        }
    }

    private static boolean awaitingCandidate(Rollout r) {
        return BLUE_GREEN.plan().steps().get(r.status().stepIndex()) instanceof Step.AwaitReady a && a.role() == Role.CANDIDATE;
    }

    /** Runs the virtual scheduler's due tasks (never moving its clock) until {@code done}, waiting up to 10 s for watch events. */
    private boolean runDueUntil(BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (h.time.runUntil(done, Duration.ZERO)) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        return done.getAsBoolean();
    }
}
