package io.cutover.benchmarks;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heap an engine still holds for rollouts that ended: one engine on its default (real) scheduler runs
 * {@code n} rollouts to their end (half succeed, half are aborted by a person in the middle of a one-hour
 * pause, so a cancelled timer of an hour is left behind), each on its own platform that nothing keeps
 * afterwards. Used heap after GC is read three times: before (the engine built and warmed up, its store
 * emptied), after the rollouts ended (the store keeps every state), and after the store was emptied.
 * The last minus the first, divided by {@code n}, is what the engine retains per ended rollout (goal 0);
 * the middle minus the last is the store's own copy.
 *
 * <p>Run: {@code java -XX:+UseSerialGC -Xmx1g -cp benchmarks/target/benchmarks.jar io.cutover.benchmarks.RetainedPerEndedRollout [rollouts]}
 */
public final class RetainedPerEndedRollout {

    /** What one measurement found. */
    public record Retained(int rollouts, Map<Phase, Integer> ends, int activeAfter, long storeBytesPerRollout,
                           long engineBytesPerRollout) { }

    private RetainedPerEndedRollout() { }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        PrintStream out = System.out;
        out.println("rollouts " + n + ", JVM " + System.getProperty("java.version") + ", GC "
                + ManagementFactory.getGarbageCollectorMXBeans().get(0).getName());
        Retained r = measure(n);
        out.println(r);
        if (r.activeAfter() != 0 || r.ends().values().stream().mapToInt(Integer::intValue).sum() != n) {
            out.println("UNEXPECTED: a rollout did not end or the engine still drives one");
            System.exit(1);
        }
    }

    public static Retained measure(int n) throws Exception {
        ObjectStateStore store = new ObjectStateStore();
        RolloutEngine engine = RolloutEngine.builder().pollInterval(Duration.ofMillis(10)).withStateStore(store).build();
        try {
            runAll(engine, "warm-up-", n); // as many as measured: the call threads the pool keeps are already there
            store.clear();
            long before = ConcurrentRollouts.usedHeapAfterGc();
            Map<Phase, Integer> ends = runAll(engine, "rollout-", n);
            long withStore = ConcurrentRollouts.usedHeapAfterGc();
            int active = engine.active();
            store.clear();
            long after = ConcurrentRollouts.usedHeapAfterGc();
            return new Retained(n, ends, active, (withStore - after) / n, (after - before) / n);
        } finally {
            engine.shutdown();
        }
    }

    /** Runs {@code n} rollouts to their end; nothing of theirs is kept but the counts of their ends. */
    private static Map<Phase, Integer> runAll(RolloutEngine engine, String prefix, int n) throws Exception {
        Deployment quick = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMillis(20))
                .drainDelay(Duration.ZERO).scaleDownDelay(Duration.ZERO).build();
        Deployment held = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofHours(1))
                .drainDelay(Duration.ZERO).scaleDownDelay(Duration.ZERO).build();
        List<CompletableFuture<RolloutResult>> results = new ArrayList<>(n);
        List<Rollout> toAbort = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Rollout r = engine.start(prefix + i, i % 2 == 0 ? quick : held, Fixtures.V2, platform(i).target("app" + i));
            results.add(r.result());
            if (i % 2 == 1) {
                toAbort.add(r);
            }
        }
        for (Rollout r : toAbort) {
            while (r.status().phase() == Phase.PROGRESSING && r.status().split().candidateWeight() == 0) {
                Thread.sleep(5); // until it is in its hour-long pause
            }
            r.abort("measuring what an aborted rollout leaves behind");
        }
        toAbort.clear();
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        Map<Phase, Integer> ends = new EnumMap<>(Phase.class);
        results.forEach(f -> ends.merge(f.join().phase(), 1, Integer::sum));
        return ends;
    }

    private static SimulatedPlatform platform(int seed) {
        Behaviour quick = Behaviour.healthy().withStartup(Duration.ofMillis(5));
        return SimulatedPlatform.builder(Clock.systemUTC()).seed(seed).stable(Fixtures.V1, 4, quick)
                .behaviour(Fixtures.V2.name(), quick).build();
    }
}
