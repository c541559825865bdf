package io.cutover.benchmarks;

import static io.cutover.gate.Gates.successRate;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.fault.FaultInjector;
import io.cutover.fault.FaultKind;
import io.cutover.fault.Faults;
import io.cutover.gate.GatePolicy;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.spi.RouterCapability;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How long a person's abort takes to put all traffic back on stable while the metric source hangs:
 * the engine's default (real) scheduler and clock, an in-memory platform on the real clock, a canary
 * at 10% whose background gate's metric call never returns. Measured from the call to {@code abort()}
 * to the platform's router holding the stable-only split, and to the ABORTED result (which includes
 * the drain delay, here 0).
 *
 * <p>Run: {@code java -cp <benchmarks classpath> io.cutover.benchmarks.AbortWhileHung [runs]}
 */
public final class AbortWhileHung {

    static final Behaviour INSTANT = Behaviour.healthy().withStartup(Duration.ZERO);

    private AbortWhileHung() { }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        PrintStream out = System.out;
        List<Long> toStable = new ArrayList<>();
        List<Long> toAborted = new ArrayList<>();
        List<Long> abortCall = new ArrayList<>();
        for (int i = 0; i < runs + 5; i++) {
            long[] t = once();
            if (i >= 5) { // the first five warm up
                abortCall.add(t[0]);
                toStable.add(t[1]);
                toAborted.add(t[2]);
            }
        }
        out.println("runs " + runs + ", JVM " + System.getProperty("java.version"));
        out.println("abort() returned after:      " + summary(abortCall));
        out.println("traffic on stable after:     " + summary(toStable));
        out.println("ABORTED result after:        " + summary(toAborted));
    }

    /** Nanoseconds: abort() call, abort() to stable-only traffic, abort() to the ABORTED result. */
    static long[] once() throws Exception {
        SimulatedPlatform platform = SimulatedPlatform.builder(Clock.systemUTC()).stable(Revision.of("v1", "app:v1"), 4, INSTANT)
                .behaviour("v2", INSTANT).router(RouterCapability.WEIGHTED).build();
        FaultInjector hang = FaultInjector.builder(1).rate(1).kinds(FaultKind.HANG).only(op -> op.startsWith("metrics.")).build();
        RolloutEngine engine = RolloutEngine.builder().pollInterval(Duration.ofMillis(10)).build();
        try {
            Deployment canary = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofHours(1)).gate(successRate(0.95))
                    .analysis(GatePolicy.builder().interval(Duration.ofMillis(100)).count(1).build())
                    .drainDelay(Duration.ZERO).build();
            Rollout r = engine.start("app", canary, Revision.of("v2", "app:v2"), Faults.target(platform.target("app"), hang));
            if (!hang.awaitHang(Duration.ofSeconds(30))) {
                throw new IllegalStateException("the metric call never started");
            }
            long start = System.nanoTime();
            r.abort("metrics hang");
            long returned = System.nanoTime();
            while (!platform.read().isStableOnly()) {
                LockSupport.parkNanos(20_000);
            }
            long stable = System.nanoTime();
            RolloutResult result = r.result().get(30, TimeUnit.SECONDS);
            long aborted = System.nanoTime();
            if (result.phase() != Phase.ABORTED) {
                throw new IllegalStateException("ended " + result.phase() + ": " + result.reason());
            }
            return new long[] {returned - start, stable - start, aborted - start};
        } finally {
            hang.release();
            engine.shutdown();
        }
    }

    static String summary(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format("median %.2f ms, p90 %.2f ms, max %.2f ms", sorted.get(sorted.size() / 2) / 1e6,
                sorted.get((int) (sorted.size() * 0.9)) / 1e6, sorted.get(sorted.size() - 1) / 1e6);
    }
}
