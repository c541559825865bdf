package io.cutover.kubernetes;

import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.kubernetes.internal.ReplicaWatch;
import io.cutover.time.VirtualScheduler;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One Lease per replica on the CRUD mock server, and how other replicas judge it from what they see. */
@EnableKubernetesMockClient(crud = true)
class EngineLeaseTest {

    KubernetesClient mock;
    private final VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void a_lease_is_gone_only_after_it_went_unchanged_for_its_duration_as_the_observer_saw_it() {
        EngineLease a = EngineLease.builder(mock, NS).identity("replica-a").withClock(time.clock()).build();
        ReplicaWatch b = new ReplicaWatch(Duration.ofSeconds(15), EngineLease::leaseName);
        assertThat(a.renew(null)).isTrue();
        time.advance(Duration.ofSeconds(10));
        b.observe(leases(), time.now()); // B first sees it 10 s after it was renewed

        time.advance(Duration.ofSeconds(14));
        b.observe(leases(), time.now());
        assertThat(b.gone("replica-a", time.now())).as("24 s after the renewal, 14 s after B saw it").isFalse();
        assertThat(b.live(time.now())).containsExactly("replica-a");
        time.advance(Duration.ofSeconds(1));
        b.observe(leases(), time.now());
        assertThat(b.gone("replica-a", time.now())).isTrue();

        assertThat(a.renew(current(a))).isTrue(); // renewed again: alive from B's next look
        b.observe(leases(), time.now());
        assertThat(b.gone("replica-a", time.now())).isFalse();
        Lease lease = current(a);
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-a");
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(15);
        assertThat(lease.getMetadata().getLabels()).containsEntry(EngineLease.LABEL, "true");
    }

    @Test
    void an_observer_whose_clock_is_31_seconds_ahead_does_not_take_a_lease_renewed_a_second_ago() {
        Clock ahead = Clock.offset(time.clock(), Duration.ofSeconds(31));
        EngineLease a = EngineLease.builder(mock, NS).identity("replica-a").withClock(time.clock()).build();
        ReplicaWatch b = new ReplicaWatch(Duration.ofSeconds(15), EngineLease::leaseName);
        a.renew(null);
        time.advance(Duration.ofSeconds(1));

        b.observe(leases(), ahead.instant());

        assertThat(b.gone("replica-a", ahead.instant())).isFalse();
    }

    @Test
    void a_released_lease_is_gone_at_once_and_its_holder_may_no_longer_write() {
        EngineLease a = EngineLease.builder(mock, NS).identity("replica-a").withClock(time.clock()).build();
        ReplicaWatch b = new ReplicaWatch(Duration.ofSeconds(15), EngineLease::leaseName);
        a.renew(null);
        b.observe(leases(), time.now());
        assertThat(a.held()).isTrue();

        a.release();
        b.observe(leases(), time.now());

        assertThat(a.held()).isFalse();
        assertThat(b.gone("replica-a", time.now())).isTrue();
        assertThat(current(a).getSpec().getHolderIdentity()).isNull();
    }

    @Test
    void an_owner_without_any_lease_is_gone_only_a_lease_duration_after_it_was_first_missed() {
        ReplicaWatch b = new ReplicaWatch(Duration.ofSeconds(15), EngineLease::leaseName);
        b.observe(leases(), time.now());
        assertThat(b.gone("replica-new", time.now())).as("it may have started a moment ago").isFalse();
        time.advance(Duration.ofSeconds(15));
        assertThat(b.gone("replica-new", time.now())).isTrue();
    }

    @Test
    void the_holder_stops_writing_at_its_renew_deadline_before_anyone_may_take_over() {
        EngineLease a = EngineLease.builder(mock, NS).identity("replica-a").withClock(time.clock()).build();
        a.renew(null);
        time.advance(Duration.ofSeconds(9));
        assertThat(a.held()).isTrue();
        time.advance(Duration.ofSeconds(1));
        assertThat(a.held()).as("10 s: client-go's renew deadline of a 15 s lease").isFalse();
    }

    @Test
    void a_lease_refuses_settings_that_cannot_work() {
        assertThatThrownBy(() -> EngineLease.builder(mock, NS).build()).hasMessageContaining("identity must be set");
        assertThatThrownBy(() -> EngineLease.builder(mock, NS).duration(Duration.ofMillis(2500)))
                .hasMessageContaining("lease duration must be whole seconds, at least 3: PT2.5S");
        assertThatThrownBy(() -> EngineLease.builder(mock, NS).identity("a").renewDeadline(Duration.ofSeconds(15)).build())
                .hasMessageContaining("renewDeadline must be shorter than the lease duration PT15S: PT15S");
        assertThatThrownBy(() -> Fleet.builder(mock, NS).identity("a").build()).hasMessageContaining("engine must be set");
        assertThatThrownBy(() -> Fleet.builder(mock, NS).identity("a").engine(io.cutover.RolloutEngine.builder()).build())
                .hasMessageContaining("catalog must be set");
        assertThatThrownBy(() -> Fleet.builder(mock, NS).identity("a").engine(io.cutover.RolloutEngine.builder())
                .catalog(s -> java.util.Optional.empty()).tick(Duration.ofSeconds(10)).build())
                .hasMessageContaining("tick must be shorter than two thirds of the lease duration PT15S");
    }

    @Test
    void rendezvous_hashing_spreads_a_dead_replicas_rollouts_over_the_survivors() {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (int i = 0; i < 900; i++) {
            counts.merge(io.cutover.kubernetes.internal.Rendezvous.first("app-" + i, java.util.Set.of("replica-b", "replica-c", "replica-d")), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("replica-b", "replica-c", "replica-d");
        counts.values().forEach(n -> assertThat(n).isBetween(240, 360));
        assertThat(io.cutover.kubernetes.internal.Rendezvous.first("app-7", java.util.Set.of("replica-b", "replica-c")))
                .as("the same answer on every replica").isEqualTo(io.cutover.kubernetes.internal.Rendezvous.first("app-7", java.util.Set.of("replica-c", "replica-b")));
    }

    private List<Lease> leases() {
        return mock.leases().inNamespace(NS).withLabel(EngineLease.LABEL, "true").list().getItems();
    }

    private Lease current(EngineLease lease) {
        return mock.leases().inNamespace(NS).withName(lease.leaseName()).get();
    }
}
