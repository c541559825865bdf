package io.cutover.benchmarks;

import io.cutover.Deployment;
import io.cutover.sim.Scenario;
import io.cutover.sim.Simulation;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A quick stack sampler for {@link Simulation#run}: runs the 4-step canary in a loop on one thread
 * while another samples that thread's stack every millisecond, and prints, for every method of the
 * project and a few library entry points, the share of samples with that method anywhere on the
 * stack (inclusive time). Samples are taken at safepoints, so shares are approximate.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.cutover.benchmarks.SimulationProfile [seconds] [object-store]}
 * (with {@code object-store}: the engine on virtual time with a store that does not encode, see {@link ObjectStateStore})
 */
public final class SimulationProfile {

    private static final String[] LIBRARY = {
        "tools.jackson.databind.ObjectMapper.writeValueAsString",
        "tools.jackson.databind.ObjectMapper.readValue",
        "io.github.resilience4j.circuitbreaker.CircuitBreaker.of",
        "io.github.resilience4j.circuitbreaker.CircuitBreaker.executeSupplier",
        "org.slf4j.MDC.put",
        "java.util.regex.Pattern.matches",
        "java.lang.String.matches",
        "java.lang.String.format",
    };

    private SimulationProfile() { }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        boolean objectStore = args.length > 1 && args[1].equals("object-store");
        Deployment canary = Fixtures.canary();
        Scenario scenario = Fixtures.healthyScenario();
        Runnable once = objectStore ? () -> EngineOnVirtualTime.withObjectStore(canary, scenario)
                : () -> Simulation.run(canary, scenario);
        long warmEnd = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            once.run();
        }
        Thread worker = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                once.run();
            }
        }, "simulation");
        worker.start();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        int samples = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            StackTraceElement[] stack = worker.getStackTrace();
            if (stack.length > 0) {
                samples++;
                Set<String> seen = new HashSet<>();
                for (StackTraceElement e : stack) {
                    String m = e.getClassName() + "." + e.getMethodName();
                    if ((m.startsWith("io.cutover.") || isLibrary(m)) && seen.add(m)) {
                        inclusive.merge(m, 1, Integer::sum);
                    }
                }
                for (StackTraceElement e : stack) {
                    if (e.getClassName().startsWith("io.cutover.")) {
                        self.merge(e.getClassName() + "." + e.getMethodName() + " (first project frame)", 1, Integer::sum);
                        break;
                    }
                }
            }
            Thread.sleep(1);
        }
        worker.interrupt();
        worker.join();
        PrintStream out = System.out;
        out.println((objectStore ? "engine only, object store: " : "Simulation.run: ") + samples + " samples over " + seconds + " s");
        print("inclusive", inclusive, samples, out);
        print("by first project frame", self, samples, out);
    }

    private static boolean isLibrary(String method) {
        for (String l : LIBRARY) {
            if (l.equals(method)) {
                return true;
            }
        }
        return false;
    }

    private static void print(String title, Map<String, Integer> counts, int samples, PrintStream out) {
        out.println("-- " + title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(45)
                .forEach(e -> out.printf("%5.1f%%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
    }
}
