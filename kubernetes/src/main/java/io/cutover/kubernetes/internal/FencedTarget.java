package io.cutover.kubernetes.internal;

import io.cutover.Phase;
import io.cutover.Target;
import io.cutover.kubernetes.RequestBudget;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.StateStore;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.WorkloadIdentity;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import io.cutover.state.RolloutState;
import io.cutover.state.StateConflictException;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A replica's fences around what it writes: no platform write and no state save unless its engine
 * Lease is held (renewed within the renew deadline). A refusal is a {@link StateConflictException},
 * so the engine stops driving the rollout and writes nothing more (the replica claims it again once
 * its Lease is renewed, if no other replica took it). Writes that return traffic to stable, and every
 * write of an aborting rollout, are sent {@linkplain RequestBudget#urgently urgently}.
 */
public final class FencedTarget {

    private FencedTarget() { }

    /** {@code target} whose writes for {@code rollout} pass the fence; {@code phase} reads the rollout's phase in memory. */
    public static Target of(String rollout, Target target, BooleanSupplier held, String holder, Supplier<Phase> phase) {
        Workloads w = target.workloads();
        TrafficRouter r = target.router();
        Fence fence = new Fence(rollout, held, holder, phase);
        Workloads workloads = new Workloads() {
            @Override public void deploy(Revision revision, int replicas) { fence.write(false, () -> w.deploy(revision, replicas)); }
            @Override public void scale(Role role, int replicas) { fence.write(false, () -> w.scale(role, replicas)); }
            @Override public WorkloadStatus status(Role role) { return w.status(role); }
            @Override public void promote(Revision revision) { fence.write(false, () -> w.promote(revision)); }
            @Override public void retire(Role role) { fence.write(false, () -> w.retire(role)); }
            @Override public Optional<WorkloadIdentity> identity(Role role) { return w.identity(role); }
        };
        TrafficRouter router = new TrafficRouter() {
            @Override public Set<RouterCapability> capabilities() { return r.capabilities(); }
            @Override public void apply(TrafficSplit split) { fence.write(split.isStableOnly(), () -> r.apply(split)); }
            @Override public TrafficSplit read() { return r.read(); }
        };
        return target.toBuilder().workloads(workloads).router(router).build();
    }

    /**
     * {@code store} saving only while {@code held}, and only when the stored version is still the one
     * expected: a replica whose rollout was claimed by another sends no save at all (the API server's
     * own compare-and-set would refuse it; this refusal does not depend on it, and costs one read).
     */
    public static StateStore store(StateStore store, BooleanSupplier held, String holder) {
        return new FencedStore(store, held, holder);
    }

    private record FencedStore(StateStore store, BooleanSupplier held, String holder) implements StateStore {
        @Override
        public Optional<Stored> load(String rollout) {
            return store.load(rollout);
        }

        @Override
        public String save(String rollout, RolloutState state, String expectedVersion) {
            if (!held.getAsBoolean()) {
                throw new StateConflictException(rollout, expectedVersion, "a save by replica " + holder
                        + ", whose engine Lease was not renewed within its renew deadline");
            }
            Optional<Stored> stored = store.load(rollout);
            if (stored.isPresent() && !stored.get().version().equals(expectedVersion)) {
                throw new StateConflictException(rollout, expectedVersion, stored.get().version() + " (epoch "
                        + stored.get().state().epoch() + " of replica " + stored.get().state().owner() + ")");
            }
            return store.save(rollout, state, expectedVersion);
        }

        @Override
        public boolean integrityProtected() {
            return store.integrityProtected();
        }

        @Override
        public String toString() {
            return store + " fenced by the engine Lease of " + holder;
        }
    }

    private record Fence(String rollout, BooleanSupplier held, String holder, Supplier<Phase> phase) {
        void write(boolean toStable, Runnable body) {
            if (!held.getAsBoolean()) {
                throw new StateConflictException(rollout, "a live engine Lease of replica " + holder,
                        "a Lease not renewed within its renew deadline: replica " + holder + " writes nothing until it renews");
            }
            if (toStable || phase.get() == Phase.ABORTING) {
                RequestBudget.urgently(body);
            } else {
                body.run();
            }
        }
    }
}
