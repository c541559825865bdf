package io.cutover.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
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
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

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

    /** One run of a rollout: how it starts on an engine with its adapters wrapped, and how it resumes. */
    record Attempt(BiFunction<RolloutEngine, Crashing, Rollout> start, Function<RolloutEngine, Rollout> resume) { }

    /**
     * The crash-and-resume test: one run without a crash counts the writes; then, for each write, a
     * fresh platform ({@code reset}), a run that crashes right after that write, and a resume on a fresh
     * engine. Every run ends {@code expected}; {@code afterResume} checks the platform after each resume.
     *
     * @return the writes of the run without a crash
     */
    static int afterEveryWrite(Phase expected, Supplier<RolloutEngine> engines, Runnable reset, Supplier<Attempt> attempts,
                               IntConsumer afterResume) {
        AtomicInteger clean = new AtomicInteger();
        RolloutResult first = attempts.get().start().apply(engines.get(), new Crashing(clean, Integer.MAX_VALUE)).await();
        assertThat(first.phase()).as("%s", first.reason()).isEqualTo(expected);
        int writes = clean.get();
        for (int k = 1; k <= writes; k++) {
            reset.run();
            Attempt attempt = attempts.get();
            RolloutEngine dying = engines.get();
            Crashing crashing = new Crashing(new AtomicInteger(), k);
            assertThatThrownBy(() -> attempt.start().apply(dying, crashing).await())
                    .as("crash at write %d", k).isInstanceOf(SimulatedCrash.class);
            dying.shutdown();
            RolloutResult resumed = attempt.resume().apply(engines.get()).await();
            assertThat(resumed.phase()).as("resumed after a crash at write %d: %s", k, resumed.reason()).isEqualTo(expected);
            afterResume.accept(k);
        }
        return writes;
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
