package io.cutover.engine;

import io.cutover.Deployment;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.event.RolloutEvent;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.state.InMemoryStateStore;
import io.cutover.time.VirtualScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A simulated platform with any number of stable replicas and any router, an engine on virtual time,
 * and a snapshot of what the platform holds at every event.
 */
final class World {

    static final Revision V1 = Revision.of("v1", "app:v1");
    static final Revision V2 = Revision.of("v2", "app:v2");

    /** What the platform held right after an event. */
    record Snapshot(RolloutEvent event, int stableDesired, int stableReady, int candidateDesired, int candidateReady,
                    double candidateShare) {
        double stableShare() {
            return 1 - candidateShare;
        }
    }

    final VirtualScheduler time = new VirtualScheduler();
    final SimulatedPlatform platform;
    final InMemoryStateStore store = new InMemoryStateStore();
    final RolloutEngine engine;
    final List<Snapshot> snapshots = new ArrayList<>();
    private final boolean replicaRatio;
    private Consumer<Snapshot> check = s -> { };

    World(int stableReplicas, Behaviour candidate, RouterCapability... router) {
        this.replicaRatio = List.of(router).contains(RouterCapability.REPLICA_RATIO) && !List.of(router).contains(RouterCapability.WEIGHTED);
        platform = SimulatedPlatform.builder(time.clock()).stable(V1, stableReplicas, Behaviour.healthy())
                .behaviour("v2", candidate).router(router).build();
        engine = RolloutEngine.builder().withScheduler(time).withStateStore(store).onEvent(this::record).build();
    }

    static World weighted(int stableReplicas) {
        return new World(stableReplicas, Behaviour.healthy(), RouterCapability.WEIGHTED);
    }

    static World replicaRatio(int stableReplicas) {
        return new World(stableReplicas, Behaviour.healthy(), RouterCapability.REPLICA_RATIO);
    }

    /** Runs {@code check} on every snapshot as it is taken (it sees the platform mid-rollout). */
    World checking(Consumer<Snapshot> check) {
        this.check = check;
        return this;
    }

    Rollout start(Deployment deployment) {
        return engine.start("app", deployment, V2, platform.target("app"));
    }

    /** The share of user traffic the candidate gets, as the platform routes it. */
    double candidateShare() {
        if (replicaRatio) {
            int stable = platform.readyReplicas(Role.STABLE);
            int candidate = platform.readyReplicas(Role.CANDIDATE);
            return stable + candidate == 0 ? 0 : (double) candidate / (stable + candidate);
        }
        return platform.read().candidateWeight() / 100.0;
    }

    <T extends RolloutEvent> List<T> events(Class<T> type) {
        return snapshots.stream().map(Snapshot::event).filter(type::isInstance).map(type::cast).toList();
    }

    private void record(RolloutEvent event) {
        Snapshot s = new Snapshot(event, platform.desiredReplicas(Role.STABLE), platform.readyReplicas(Role.STABLE),
                platform.desiredReplicas(Role.CANDIDATE), platform.readyReplicas(Role.CANDIDATE), candidateShare());
        snapshots.add(s);
        check.accept(s);
    }
}
