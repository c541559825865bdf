package io.cutover.benchmarks;

import io.cutover.Target;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Workloads and router calls counted by operation on their way to a {@link SimulatedPlatform}. */
final class CountingPlatform implements Workloads, TrafficRouter {

    private final SimulatedPlatform platform;
    private final Map<String, Integer> counts = new TreeMap<>();

    CountingPlatform(SimulatedPlatform platform) {
        this.platform = platform;
    }

    /** A target whose workloads and router are counted; health and metrics go straight to the platform. */
    Target target(String application) {
        return Target.builder(application).workloads(this).router(this).health(platform).metrics(platform).build();
    }

    synchronized Map<String, Integer> counts() {
        return new TreeMap<>(counts);
    }

    private synchronized void count(String operation) {
        counts.merge(operation, 1, Integer::sum);
    }

    @Override
    public void deploy(Revision revision, int replicas) {
        count("write deploy");
        platform.deploy(revision, replicas);
    }

    @Override
    public void scale(Role role, int replicas) {
        count("write scale " + role);
        platform.scale(role, replicas);
    }

    @Override
    public WorkloadStatus status(Role role) {
        count("read status " + role);
        return platform.status(role);
    }

    @Override
    public void promote(Revision revision) {
        count("write promote");
        platform.promote(revision);
    }

    @Override
    public void retire(Role role) {
        count("write retire " + role);
        platform.retire(role);
    }

    @Override
    public Set<RouterCapability> capabilities() {
        return platform.capabilities();
    }

    @Override
    public void apply(TrafficSplit split) {
        count("write apply traffic");
        platform.apply(split);
    }

    @Override
    public TrafficSplit read() {
        count("read traffic");
        return platform.read();
    }
}
