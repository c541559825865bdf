package io.cutover.kubernetes;

import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.Target;
import io.cutover.spi.Revision;
import io.cutover.state.HistoryEntry;
import io.cutover.state.RolloutState;
import io.cutover.time.VirtualScheduler;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three engine replicas share rollouts on the CRUD mock API server: one stops (its process frozen,
 * its Lease unrenewed), the others take its rollouts over and finish them; when it wakes up, nothing
 * it tries to write reaches the server.
 */
@EnableKubernetesMockClient(crud = true)
class FleetFailoverTest {

    static final int APPS = 3;
    static final Revision V2 = Revision.of("v2.0.0", "app:v2.0.0");

    KubernetesClient mock;
    KubernetesMockServer server;

    private final VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    private final VirtualScheduler timeA = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    /** A's clock: its scheduler's time, jumped forward when it wakes up as a resumed process's clock would be. */
    private final io.cutover.fault.JumpingClock clockA = new io.cutover.fault.JumpingClock(timeA.clock());
    private boolean frozen;
    private FakeDeploymentController controller;
    private final List<KubernetesClient> clients = new ArrayList<>();

    @BeforeEach
    void controller() {
        controller = new FakeDeploymentController(mock, NS, time::now, Duration.ofSeconds(10), image -> false);
    }

    private void seed(int apps) {
        for (int i = 0; i < apps; i++) {
            seedApp(mock, "app-" + i);
        }
        for (int i = 0; i < 30 && !controller.reconcile(); i++) {
            advance(Duration.ofSeconds(10));
        }
    }

    @AfterEach
    void close() {
        controller.close();
        clients.forEach(KubernetesClient::close);
    }

    @Test
    void a_frozen_replicas_rollouts_continue_on_the_others_within_the_lease_duration_plus_a_tick_and_its_late_writes_never_reach_the_server() {
        seed(APPS);
        Fleet a = replica("replica-a", timeA, clockA);
        Fleet b = replica("replica-b", time);
        Fleet c = replica("replica-c", time);
        a.start();
        b.start();
        c.start();
        advance(Duration.ofSeconds(1));
        List<Rollout> started = new ArrayList<>();
        for (int i = 0; i < APPS; i++) {
            started.add(a.start("app-" + i, CanaryEndToEndTest.CANARY, V2, target(a, "app-" + i)));
        }
        // every rollout reaches its first timed pause (10% of replicas) on replica A
        for (int s = 0; s < 120 && !started.stream().allMatch(r -> r.status().stepIndex() >= 3); s++) {
            advance(Duration.ofSeconds(1));
        }
        assertThat(started).allMatch(r -> r.status().stepIndex() >= 3 && r.phase() == Phase.PROGRESSING);
        Instant lastRenewal = mock.leases().inNamespace(NS).withName(a.lease().leaseName()).get().getSpec().getRenewTime().toInstant();
        Map<String, Long> epochsBefore = epochs();
        Cluster.drain(server);

        frozen = true; // replica A stops: no renewal, no tick, nothing
        Instant takenOver = null;
        for (int s = 0; s < 60 && takenOver == null; s++) {
            advance(Duration.ofSeconds(1));
            if (b.driving().size() + c.driving().size() == APPS) {
                takenOver = time.now();
            }
        }

        assertThat(takenOver).as("every rollout of A is driven by B or C").isNotNull();
        assertThat(Duration.between(lastRenewal, takenOver)).isLessThanOrEqualTo(Duration.ofSeconds(15 + 5));
        assertThat(b.driving()).as("the rollouts spread over both survivors").isNotEmpty();
        assertThat(c.driving()).isNotEmpty();
        epochs().forEach((name, epoch) -> assertThat(epoch).as(name).isGreaterThan(epochsBefore.get(name)));
        for (int m = 0; m < 120 && !allEnded(); m++) {
            time.advance(Duration.ofMinutes(1));
        }
        for (int i = 0; i < APPS; i++) {
            RolloutState s = b.engine().status("app-" + i).orElseThrow();
            assertThat(s.phase()).as("app-%d", i).isEqualTo(Phase.SUCCEEDED);
            assertThat(s.owner()).isIn("replica-b", "replica-c");
            assertThat(s.history().stream().map(HistoryEntry::what)).anyMatch(w -> w.contains("from replica replica-a"));
        }
        Map<String, Object> worldAfterTakeover = world();
        List<Cluster.Call> untilWake = Cluster.drain(server);
        assertThat(untilWake).filteredOn(call -> "replica-a".equals(call.agent())).isEmpty();

        clockA.jump(Duration.between(timeA.now(), time.now())); // A wakes up as from a long pause: its clock jumps
        frozen = false;
        advance(Duration.ofMinutes(10));

        List<Cluster.Call> fromA = Cluster.drain(server).stream().filter(call -> "replica-a".equals(call.agent())).toList();
        assertThat(fromA).as("A woke up and read").isNotEmpty();
        assertThat(fromA).as("A's writes after the takeover: only its own Lease")
                .filteredOn(call -> !call.method().equals("GET"))
                .allMatch(call -> call.path().endsWith("/leases/" + a.lease().leaseName()));
        assertThat(world()).as("the cluster as B and C left it").isEqualTo(worldAfterTakeover);
        assertThat(started).allMatch(r -> r.result().isCompletedExceptionally());
    }

    @Test
    void a_replica_that_stops_cleanly_releases_its_lease_and_its_rollouts_are_taken_at_the_next_tick() {
        seed(1);
        Fleet a = replica("replica-a", time);
        Fleet b = replica("replica-b", time);
        a.start();
        b.start();
        advance(Duration.ofSeconds(1));
        Rollout r = a.start("app-0", CanaryEndToEndTest.CANARY, V2, target(a, "app-0"));
        time.runUntil(() -> r.status().stepIndex() >= 3, Duration.ofMinutes(5));
        time.advance(Duration.ofMinutes(2));
        assertThat(b.driving()).as("a paused rollout stays with its live owner").isEmpty();

        a.stop();
        Instant stopped = time.now();
        time.runUntil(() -> b.driving().contains("app-0"), Duration.ofMinutes(1));

        assertThat(b.driving()).containsExactly("app-0");
        assertThat(Duration.between(stopped, time.now())).isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(mock.leases().inNamespace(NS).withName(a.lease().leaseName()).get().getSpec().getHolderIdentity()).isNull();
        time.runUntil(() -> b.engine().status("app-0").orElseThrow().phase().isTerminal(), Duration.ofHours(1));
        assertThat(b.engine().status("app-0").orElseThrow().phase()).isEqualTo(Phase.SUCCEEDED);
    }

    @Test
    void a_replica_whose_lease_is_not_renewed_within_its_deadline_refuses_to_write_before_anyone_may_take_over() {
        seed(1);
        Fleet a = replica("replica-a", time);
        a.start();
        advance(Duration.ofSeconds(1));
        assertThat(a.lease().held()).isTrue();
        Rollout r = a.start("app-0", CanaryEndToEndTest.CANARY, V2, target(a, "app-0"));
        time.runUntil(() -> r.status().stepIndex() >= 3, Duration.ofMinutes(5));
        time.advance(Duration.ofSeconds(1));
        Cluster.drain(server);

        // the API server refuses every renewal from now on; the rollout's pause ends after the deadline
        server.expect().patch().withPath("/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases/" + a.lease().leaseName())
                .andReturn(503, "unavailable").always();
        time.runUntil(() -> r.result().isDone(), Duration.ofMinutes(10));

        assertThat(a.lease().held()).isFalse();
        assertThat(r.result()).isCompletedExceptionally();
        assertThat(Cluster.drain(server)).filteredOn(call -> "replica-a".equals(call.agent()))
                .filteredOn(call -> !call.method().equals("GET"))
                .allMatch(call -> call.path().contains("/leases/"));
        assertThat(mock.apps().deployments().inNamespace(NS).withName("app-0-canary").get().getSpec().getReplicas())
                .as("the canary stays at its first step").isEqualTo(1);
    }

    private boolean allEnded() {
        for (int i = 0; i < APPS; i++) {
            var cm = new ConfigMapStateStore(mock, NS).load("app-" + i);
            if (cm.isEmpty() || !cm.get().state().phase().isTerminal()) {
                return false;
            }
        }
        return true;
    }

    private Map<String, Long> epochs() {
        Map<String, Long> epochs = new TreeMap<>();
        for (int i = 0; i < APPS; i++) {
            new ConfigMapStateStore(mock, NS).load("app-" + i).ifPresent(s -> epochs.put(s.state().name(), s.state().epoch()));
        }
        return epochs;
    }

    /** Replicas, images, Service selectors: what users' traffic depends on. */
    private Map<String, Object> world() {
        Map<String, Object> w = new TreeMap<>();
        for (Deployment d : mock.apps().deployments().inNamespace(NS).list().getItems()) {
            w.put(d.getMetadata().getName(), d.getSpec().getReplicas() + " " + d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        }
        mock.services().inNamespace(NS).list().getItems().forEach(s -> w.put("svc " + s.getMetadata().getName(), s.getSpec().getSelector()));
        return w;
    }

    private void advance(Duration d) {
        for (long s = 0; s < d.toSeconds(); s++) {
            time.advance(Duration.ofSeconds(1));
            if (!frozen) {
                timeA.advance(Duration.ofSeconds(1));
            }
        }
    }

    private Fleet replica(String identity, VirtualScheduler scheduler) {
        return replica(identity, scheduler, scheduler.clock());
    }

    private Fleet replica(String identity, VirtualScheduler scheduler, java.time.Clock clock) {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(mock.getConfiguration())
                .withUserAgent(identity).withRequestRetryBackoffLimit(0).build()).build();
        clients.add(client);
        Fleet[] self = new Fleet[1];
        self[0] = Fleet.builder(client, NS).identity(identity)
                .engine(RolloutEngine.builder().withScheduler(scheduler).withClock(clock))
                .catalog(state -> Optional.of(new RolloutCatalog.Entry(CanaryEndToEndTest.CANARY, target(client, state.application()))))
                .withScheduler(scheduler).withClock(clock).build();
        return self[0];
    }

    private Target target(Fleet replica, String app) {
        return target(clients.get(clients.size() - 1), app);
    }

    private Target target(KubernetesClient client, String app) {
        Target t = KubernetesTarget.canary(client, NS, app).build();
        return t.toBuilder().workloads(new ControlledWorkloads(t.workloads(), controller)).metrics(new RevisionMetrics()).build();
    }

    static void seedApp(KubernetesClient mock, String app) {
        Deployment d = mock.getKubernetesSerialization().unmarshal(FleetFailoverTest.class.getResourceAsStream("/seed/rolling-deployment.yaml"),
                Deployment.class);
        d.getMetadata().setName(app);
        d.getSpec().getSelector().getMatchLabels().put("app", app);
        d.getSpec().getTemplate().getMetadata().getLabels().put("app", app);
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("app:v1.0.0");
        mock.apps().deployments().inNamespace(NS).resource(d).create();
        mock.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName(app).endMetadata()
                .withNewSpec().addToSelector("app", app).addNewPort().withPort(80).endPort().endSpec().build()).create();
    }
}
