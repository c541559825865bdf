package io.cutover.fault;

import io.cutover.Target;
import io.cutover.event.RolloutListener;
import io.cutover.spi.Health;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.Hook;
import io.cutover.spi.HookResult;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSource;
import io.cutover.spi.MetricValue;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.StateStore;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import io.cutover.state.RolloutState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Decorators that put a {@link FaultInjector} between the engine and an SPI implementation. Every
 * call is named {@code "<spi>.<method>"} ({@code "router.apply"}, {@code "workloads.status"},
 * {@code "metrics.successRate"}, {@code "store.save"}, {@code "hook.<name>"}, {@code "listener"}...)
 * so an injector can be limited to some of them.
 *
 * <pre>{@code
 * FaultInjector faults = FaultInjector.builder(seed).rate(0.2).build();
 * engine.start("app", deployment, revision, Faults.target(target, faults));
 * }</pre>
 */
public final class Faults {

    private Faults() { }

    /**
     * Every SPI of {@code target} (workloads, router, probe, metrics) under {@code faults}.
     *
     * @param target the real target
     * @param faults the injector that decides each call's fault
     * @return a target whose calls go through {@code faults} to the real ones
     */
    public static Target target(Target target, FaultInjector faults) {
        return target.toBuilder().workloads(workloads(target.workloads(), faults)).router(router(target.router(), faults))
                .health(health(target.health(), faults)).metrics(metrics(target.metrics(), faults)).build();
    }

    /**
     * Workloads whose every call goes through {@code faults} before (or instead of) the real one.
     *
     * @param real   the real workloads
     * @param faults the injector
     * @return the faulty workloads
     */
    public static Workloads workloads(Workloads real, FaultInjector faults) {
        return new Workloads() {
            @Override public void deploy(Revision revision, int replicas) {
                faults.write("workloads.deploy", () -> real.deploy(revision, replicas));
            }
            @Override public void scale(Role role, int replicas) {
                faults.write("workloads.scale", () -> real.scale(role, replicas));
            }
            @Override public WorkloadStatus status(Role role) {
                return faults.read("workloads.status." + role, () -> real.status(role));
            }
            @Override public void promote(Revision revision) {
                faults.write("workloads.promote", () -> real.promote(revision));
            }
            @Override public void retire(Role role) {
                faults.write("workloads.retire", () -> real.retire(role));
            }
        };
    }

    /**
     * A router whose every call goes through {@code faults}; its capabilities are the real router's.
     *
     * @param real   the real router
     * @param faults the injector
     * @return the faulty router
     */
    public static TrafficRouter router(TrafficRouter real, FaultInjector faults) {
        return new TrafficRouter() {
            @Override public Set<RouterCapability> capabilities() {
                return real.capabilities();
            }
            @Override public void apply(TrafficSplit split) {
                faults.write("router.apply", () -> real.apply(split));
            }
            @Override public TrafficSplit read() {
                return faults.read("router.read", real::read);
            }
        };
    }

    /**
     * A health probe whose every check goes through {@code faults}.
     *
     * @param real   the real probe
     * @param faults the injector
     * @return the faulty probe
     */
    public static HealthProbe health(HealthProbe real, FaultInjector faults) {
        return revision -> faults.<Health>read("health.check", () -> real.check(revision));
    }

    /**
     * A metric source whose every query goes through {@code faults}.
     *
     * @param real   the real source
     * @param faults the injector
     * @return the faulty source
     */
    public static MetricSource metrics(MetricSource real, FaultInjector faults) {
        return new MetricSource() {
            @Override public MetricValue successRate(MetricQuery q) {
                return faults.read("metrics.successRate", () -> real.successRate(q));
            }
            @Override public MetricValue errorRate(MetricQuery q) {
                return faults.read("metrics.errorRate", () -> real.errorRate(q));
            }
            @Override public MetricValue latency(MetricQuery q, double quantile) {
                return faults.read("metrics.latency", () -> real.latency(q, quantile));
            }
            @Override public MetricValue requestRate(MetricQuery q) {
                return faults.read("metrics.requestRate", () -> real.requestRate(q));
            }
            @Override public MetricValue query(String expression, Instant at) {
                return faults.read("metrics.query", () -> real.query(expression, at));
            }
        };
    }

    /**
     * A state store whose every load and save goes through {@code faults}.
     *
     * @param real   the real store
     * @param faults the injector
     * @return the faulty store
     */
    public static StateStore store(StateStore real, FaultInjector faults) {
        return new StateStore() {
            @Override public Optional<Stored> load(String rollout) {
                return faults.read("store.load", () -> real.load(rollout));
            }
            @Override public String save(String rollout, RolloutState state, String expectedVersion) {
                String[] version = new String[1];
                faults.write("store.save", () -> version[0] = real.save(rollout, state, expectedVersion));
                return version[0];
            }
        };
    }

    /**
     * A hook under faults; it keeps the real hook's name and timeout.
     *
     * @param real   the real hook
     * @param faults the injector
     * @return the faulty hook
     */
    public static Hook hook(Hook real, FaultInjector faults) {
        return new Hook() {
            @Override public HookResult run(io.cutover.spi.HookContext context) {
                return faults.read("hook." + real.name(), () -> real.run(context));
            }
            @Override public String name() {
                return real.name();
            }
            @Override public Duration timeout() {
                return real.timeout();
            }
        };
    }

    /**
     * A listener under faults (a thrown fault, a hang); events it does not fail on reach the real one.
     *
     * @param real   the real listener
     * @param faults the injector
     * @return the faulty listener
     */
    public static RolloutListener listener(RolloutListener real, FaultInjector faults) {
        return event -> faults.write("listener", () -> real.onEvent(event));
    }
}
