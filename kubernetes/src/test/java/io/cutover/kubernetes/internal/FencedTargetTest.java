package io.cutover.kubernetes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Phase;
import io.cutover.Target;
import io.cutover.kubernetes.RequestBudget;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.cutover.state.StateConflictException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What a replica's fence lets through, and which writes it sends ahead of the line. */
class FencedTargetTest {

    private final RequestBudget budget = RequestBudget.builder().qps(100).burst(100).build();
    private final SimulatedPlatform platform = SimulatedPlatform.builder(Clock.systemUTC())
            .stable(Revision.of("v1", "app:v1"), 4, Behaviour.healthy()).build();

    /** A router whose every apply sends one request through the budget, as the Kubernetes routers do. */
    private final TrafficRouter counting = new TrafficRouter() {
        @Override public Set<RouterCapability> capabilities() { return platform.capabilities(); }
        @Override public void apply(TrafficSplit split) {
            try {
                budget.acquire();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            platform.apply(split);
        }
        @Override public TrafficSplit read() { return platform.read(); }
    };

    @Test
    void traffic_back_to_stable_and_every_write_of_an_aborting_rollout_go_urgently_the_rest_wait_their_turn() {
        AtomicReference<Phase> phase = new AtomicReference<>(Phase.PROGRESSING);
        Target fenced = FencedTarget.of("app", platform.target("app").toBuilder().router(counting).build(), () -> true, "replica-a", phase::get);

        fenced.router().apply(TrafficSplit.weighted(10));
        assertThat(budget.urgentGranted()).isZero();
        fenced.router().apply(TrafficSplit.stableOnly());
        assertThat(budget.urgentGranted()).isEqualTo(1);
        phase.set(Phase.ABORTING);
        fenced.router().apply(TrafficSplit.weighted(5));

        assertThat(budget.urgentGranted()).isEqualTo(2);
        assertThat(budget.granted()).isEqualTo(3);
        assertThat(platform.read()).isEqualTo(TrafficSplit.weighted(5));
    }

    @Test
    void a_replica_whose_lease_is_not_held_writes_nothing_and_the_engine_is_told_it_lost_the_rollout() {
        AtomicBoolean held = new AtomicBoolean(true);
        Target fenced = FencedTarget.of("app", platform.target("app").toBuilder().router(counting).build(), held::get, "replica-a",
                () -> Phase.PROGRESSING);
        fenced.router().apply(TrafficSplit.weighted(10));
        held.set(false);

        assertThatThrownBy(() -> fenced.router().apply(TrafficSplit.weighted(50))).isInstanceOf(StateConflictException.class)
                .hasMessageContaining("replica-a writes nothing until it renews");
        assertThatThrownBy(() -> fenced.workloads().scale(Role.STABLE, 0)).isInstanceOf(StateConflictException.class);

        assertThat(platform.read()).isEqualTo(TrafficSplit.weighted(10));
        assertThat(platform.desiredReplicas(Role.STABLE)).isEqualTo(4);
        assertThat(budget.granted()).as("no request left").isEqualTo(1);
        assertThat(fenced.router().read()).as("reads are not fenced").isEqualTo(TrafficSplit.weighted(10));
    }
}
