package io.cutover.benchmarks;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.gate.ComparedMetric;
import io.cutover.gate.Gate;
import io.cutover.gate.GatePolicy;
import io.cutover.gate.Gates;
import io.cutover.sim.Behaviour;
import io.cutover.sim.Scenario;
import io.cutover.sim.Simulation;
import io.cutover.sim.SimulationReport;
import io.cutover.spi.Measure;
import io.cutover.spi.Revision;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Rates of the statistical gates on the simulator over many seeds: the baseline comparison's passes of an
 * equal candidate and detections of a candidate 20% slower at p99; and time to detect and blast radius of a
 * canary at 20% errors (stable 1%) at 10% of 200 requests per second under a threshold gate (stop at the
 * first, fourth and fifth failed interval) and under the sequential test, with the sequential test's
 * false stops of an equal candidate.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.cutover.benchmarks.BaselineJudgeRates 1000}; optional
 * second and third arguments: the judgment interval in minutes (default 5) and {@code judge-only}.
 */
public final class BaselineJudgeRates {

    static final Revision V1 = Revision.of("v1", "app:v1");
    static final Revision V2 = Revision.of("v2", "app:v2");

    private BaselineJudgeRates() { }

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int judgeMinutes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean judgeOnly = args.length > 2 && args[2].equals("judge-only");
        PrintStream out = System.out;
        judge(seeds, judgeMinutes, out);
        if (!judgeOnly) {
            early(seeds, out);
        }
    }

    static Deployment canary(Gate gate, GatePolicy policy) {
        return Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5)).analysis(policy).gate(gate).build();
    }

    static Scenario scenario(Behaviour stable, Behaviour candidate, long seed) {
        return Scenario.builder().stable(V1, 5, stable).candidate(V2, candidate).requestsPerSecond(200).seed(seed).build();
    }

    static void judge(int seeds, int minutes, PrintStream out) {
        Gate judge = Gates.compare(ComparedMetric.of("p99", Measure.latency(0.99)).higherIsWorse(),
                ComparedMetric.of("errors", Measure.errorRate()).higherIsWorse());
        Deployment d = canary(judge, GatePolicy.builder().interval(Duration.ofMinutes(minutes)).build());
        Behaviour stable = Behaviour.healthy();
        Behaviour slower = stable.withLatency(Duration.ofMillis(40), Duration.ofMillis(240));
        int passed = 0;
        int detected = 0;
        long[] ttd = new long[seeds];
        for (int seed = 1; seed <= seeds; seed++) {
            if (Simulation.run(d, scenario(stable, stable, seed)).phase() == Phase.SUCCEEDED) {
                passed++;
            }
            SimulationReport r = Simulation.run(d, scenario(stable, slower, seed));
            if (r.phase() == Phase.ABORTED) {
                ttd[detected++] = r.timeToDetect().toSeconds();
            }
        }
        long[] t = Arrays.copyOf(ttd, detected);
        Arrays.sort(t);
        out.printf(Locale.ROOT, "baseline comparison, one judgment every %d min (steps of 5 min), %d seeds%n", minutes, seeds);
        out.printf(Locale.ROOT, "  equal candidate passed: %d (%.1f%%), false failures %.1f%%%n", passed, 100.0 * passed / seeds,
                100.0 * (seeds - passed) / seeds);
        out.printf(Locale.ROOT, "  p99 20%% worse detected: %d (%.1f%%), time to detect median %d s, 95th percentile %d s, max %d s%n",
                detected, 100.0 * detected / seeds, pct(t, 0.5), pct(t, 0.95), t.length == 0 ? 0 : t[t.length - 1]);
    }

    static void early(int seeds, PrintStream out) {
        Behaviour stable = Behaviour.healthy().withErrorRate(0.01);
        Behaviour broken = stable.withErrorRate(0.2);
        out.printf(Locale.ROOT, "canary at 20%% errors (stable 1%%), 10%% of 200 rps, %d seeds%n", seeds);
        out.printf(Locale.ROOT, "  %-52s %12s %12s %14s %14s%n", "policy", "detect med", "detect max", "blast med", "blast max");
        row("threshold successRate(0.95), 1-min interval, stop at 1st", canary(Gates.successRate(0.95), GatePolicy.DEFAULT),
                stable, broken, seeds, out);
        row("same, failureLimit 3 (Argo template)", canary(Gates.successRate(0.95), GatePolicy.builder().failureLimit(3).build()),
                stable, broken, seeds, out);
        row("same, threshold 5 (Flagger): failureLimit 4", canary(Gates.successRate(0.95), GatePolicy.builder().failureLimit(4).build()),
                stable, broken, seeds, out);
        Deployment sprt = canary(Gates.sequentialErrors(), GatePolicy.builder().interval(Duration.ofSeconds(5)).build());
        row("sequential test, looks every 5 s", sprt, stable, broken, seeds, out);
        int stopped = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            if (Simulation.run(sprt, scenario(stable, stable, seed)).phase() != Phase.SUCCEEDED) {
                stopped++;
            }
        }
        out.printf(Locale.ROOT, "  sequential test, equal candidate stopped: %d of %d (%.1f%%)%n", stopped, seeds, 100.0 * stopped / seeds);
    }

    static void row(String name, Deployment d, Behaviour stable, Behaviour candidate, int seeds, PrintStream out) {
        long[] detect = new long[seeds];
        long[] blast = new long[seeds];
        int missed = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            SimulationReport r = Simulation.run(d, scenario(stable, candidate, seed));
            if (r.timeToDetect() == null) {
                missed++;
                detect[seed - 1] = Long.MAX_VALUE;
            } else {
                detect[seed - 1] = r.timeToDetect().toSeconds();
            }
            blast[seed - 1] = r.blastRadius();
        }
        Arrays.sort(detect);
        Arrays.sort(blast);
        out.printf(Locale.ROOT, "  %-52s %10d s %10d s %14d %14d%s%n", name, pct(detect, 0.5), detect[seeds - 1 - missed],
                pct(blast, 0.5), blast[seeds - 1], missed == 0 ? "" : "  (missed " + missed + ")");
    }

    static long pct(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }
}
