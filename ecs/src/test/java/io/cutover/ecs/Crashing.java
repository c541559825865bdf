package io.cutover.ecs;

import io.cutover.sim.SimulatedCrash;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Adapters that let every write reach the platform and then, at write {@code crashAt}, kill the
 * process (the write applied, the engine's state not saved), as core's crash-and-resume test does.
 */
final class Crashing {

    private final AtomicInteger writes;
    private final int crashAt;

    Crashing(AtomicInteger writes, int crashAt) {
        this.writes = writes;
        this.crashAt = crashAt;
    }

    private void wrote() {
        if (writes.incrementAndGet() == crashAt) {
            throw new SimulatedCrash(crashAt);
        }
    }

    Workloads workloads(Workloads w) {
        return new Workloads() {
            @Override public void deploy(Revision r, int n) { w.deploy(r, n); wrote(); }
            @Override public void scale(Role role, int n) { w.scale(role, n); wrote(); }
            @Override public WorkloadStatus status(Role role) { return w.status(role); }
            @Override public void promote(Revision r) { w.promote(r); wrote(); }
            @Override public void retire(Role role) { w.retire(role); wrote(); }
        };
    }

    TrafficRouter router(TrafficRouter router) {
        return new TrafficRouter() {
            @Override public Set<RouterCapability> capabilities() { return router.capabilities(); }
            @Override public void apply(TrafficSplit split) { router.apply(split); wrote(); }
            @Override public TrafficSplit read() { return router.read(); }
        };
    }
}
