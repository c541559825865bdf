package io.cutover.benchmarks;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.plan.Plan;
import io.cutover.plan.Step;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.state.RolloutState;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many rollouts at once on one engine with its default scheduler and the real clock, each on its own
 * in-memory platform: engine threads, heap the engine retains per rollout while they all sit in a
 * pause, and wall time until all have ended.
 *
 * <p>Two runs: a <em>held</em> run whose first pause is long enough to start every rollout and
 * measure the heap while all of them pause, and a <em>fast</em> run with 50 ms pauses for the wall
 * time. Each canary is steps 25/50 with readiness polled every 10 ms, replicas ready 20 ms after they
 * start, no metric gate.
 *
 * <p>Run: {@code java -XX:+UseSerialGC -Xmx1g -cp benchmarks/target/benchmarks.jar io.cutover.benchmarks.ConcurrentRollouts [rollouts] [threads] [held pause, seconds]}
 */
public final class ConcurrentRollouts {

    static final String THREAD_PREFIX = "cutover-engine-";

    /** What one run measured. */
    public record Run(String label, int rollouts, int succeeded, int maxEngineThreads, int maxThreadsAdded,
                      long platformsBytes, long heapPerRolloutBytes, int inPauseAtMeasure, long retainedAfterEndPerRolloutBytes,
                      Duration startAll, Duration wallToAllEnded) { }

    private ConcurrentRollouts() { }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Duration hold = Duration.ofSeconds(args.length > 2 ? Integer.parseInt(args[2]) : 5);
        PrintStream out = System.out;
        out.println("rollouts " + n + ", engine threads(" + threads + "), JVM " + System.getProperty("java.version")
                + ", GC " + ManagementFactory.getGarbageCollectorMXBeans().get(0).getName()
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
        run("warm-up", Math.min(n, 200), threads, Duration.ofMillis(50), false);
        List<Run> runs = List.of(
                run("held", n, threads, hold, true),
                run("fast", n, threads, Duration.ofMillis(50), false));
        for (Run r : runs) {
            out.println(r);
        }
        boolean ok = runs.stream().allMatch(r -> r.succeeded() == r.rollouts());
        if (!ok) {
            out.println("UNEXPECTED: not every rollout succeeded");
            System.exit(1);
        }
    }

    /** A platform with a stable of 4 replicas on the real clock whose candidate replicas are ready 20 ms after they start. */
    static SimulatedPlatform platform(int seed) {
        Behaviour quick = Behaviour.healthy().withStartup(Duration.ofMillis(20));
        return SimulatedPlatform.builder(Clock.systemUTC()).seed(seed)
                .stable(Fixtures.V1, 4, quick).behaviour(Fixtures.V2.name(), quick).build();
    }

    static RolloutEngine engine(int threads) {
        return RolloutEngine.builder().threads(threads).pollInterval(Duration.ofMillis(10)).build();
    }

    public static Run run(String label, int n, int threads, Duration firstPause, boolean measureHeap) throws Exception {
        Deployment canary = Fixtures.shortCanary(firstPause, Duration.ofMillis(50));
        long beforePlatforms = usedHeapAfterGc();
        List<Target> targets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            targets.add(platform(i).target("app" + i));
        }
        RolloutEngine engine = engine(threads);
        int threadsBefore = Thread.activeCount();
        long baseline = usedHeapAfterGc();
        ThreadWatch watch = new ThreadWatch();
        watch.start();

        long t0 = System.nanoTime();
        List<Rollout> rollouts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rollouts.add(engine.start("rollout-" + i, canary, Fixtures.V2, targets.get(i)));
        }
        long started = System.nanoTime();

        long perRollout = -1;
        int inPause = -1;
        if (measureHeap) {
            Plan plan = canary.plan(new io.cutover.PlanContext(4, targets.get(0).router().capabilities()));
            inPause = waitUntilAllPause(rollouts, plan, firstPause);
            perRollout = (usedHeapAfterGc() - baseline) / n;
            int stillInPause = countInFirstPause(rollouts, plan);
            if (stillInPause < inPause) {
                inPause = stillInPause; // some left their pause while the heap was measured
            }
        }

        CompletableFuture.allOf(rollouts.stream().map(Rollout::result).toArray(CompletableFuture[]::new))
                .get(10, TimeUnit.MINUTES);
        long ended = System.nanoTime();
        watch.stop();
        int succeeded = 0;
        for (Rollout r : rollouts) {
            RolloutResult result = r.result().join();
            if (result.phase() == Phase.SUCCEEDED) {
                succeeded++;
            }
        }
        long retained = (usedHeapAfterGc() - baseline) / n;
        engine.shutdown();
        return new Run(label, n, succeeded, watch.maxEngine.get(), watch.maxAll.get() - threadsBefore,
                (baseline - beforePlatforms) / n, perRollout, inPause, retained,
                Duration.ofNanos(started - t0), Duration.ofNanos(ended - t0));
    }

    /** Waits until every rollout is in its first timed pause (or the pause would have ended); returns how many are. */
    private static int waitUntilAllPause(List<Rollout> rollouts, Plan plan, Duration firstPause) throws InterruptedException {
        long deadline = System.nanoTime() + firstPause.toNanos() / 2;
        int in;
        while ((in = countInFirstPause(rollouts, plan)) < rollouts.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return in;
    }

    private static int countInFirstPause(List<Rollout> rollouts, Plan plan) {
        int firstPause = -1;
        for (int i = 0; i < plan.steps().size() && firstPause < 0; i++) {
            if (plan.steps().get(i) instanceof Step.Pause) {
                firstPause = i;
            }
        }
        int in = 0;
        for (Rollout r : rollouts) {
            RolloutState s = r.status();
            if (s.phase() == Phase.PROGRESSING && s.stepIndex() == firstPause) {
                in++;
            }
        }
        return in;
    }

    static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Samples the live threads every 10 ms: the most named like the engine's, and the most of all. */
    static final class ThreadWatch {
        final AtomicInteger maxEngine = new AtomicInteger();
        final AtomicInteger maxAll = new AtomicInteger();
        private volatile boolean running = true;
        private final Thread sampler = new Thread(this::sample, "thread-watch");

        void start() {
            sampler.setDaemon(true);
            sampler.start();
        }

        void stop() throws InterruptedException {
            running = false;
            sampler.join();
        }

        private void sample() {
            while (running) {
                Thread[] all = new Thread[Thread.activeCount() + 16];
                int count = Thread.enumerate(all);
                int engine = 0;
                for (int i = 0; i < count; i++) {
                    if (all[i].getName().startsWith(THREAD_PREFIX)) {
                        engine++;
                    }
                }
                maxEngine.accumulateAndGet(engine, Math::max);
                maxAll.accumulateAndGet(count - 1, Math::max); // not this sampler
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
