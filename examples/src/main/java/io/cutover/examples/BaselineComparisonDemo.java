package io.cutover.examples;

import static io.cutover.gate.Gates.compare;
import static io.cutover.gate.Gates.latency;

import io.cutover.Deployment;
import io.cutover.gate.ComparedMetric;
import io.cutover.gate.Gate;
import io.cutover.gate.GatePolicy;
import io.cutover.sim.Behaviour;
import io.cutover.sim.Scenario;
import io.cutover.sim.Simulation;
import io.cutover.sim.SimulationReport;
import io.cutover.spi.Measure;
import io.cutover.spi.Revision;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A candidate whose p99 latency is 20% worse than stable's, with the same error rate, rolled out twice
 * on the simulator: under a fixed latency threshold it is promoted, under the baseline comparison it is
 * rolled back, with the judgment's reasons.
 *
 * <pre>java io.cutover.examples.BaselineComparisonDemo [seed]</pre>
 */
public final class BaselineComparisonDemo {

    private BaselineComparisonDemo() { }

    /** The two outcomes. */
    public record Outcome(SimulationReport threshold, SimulationReport judged) { }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 7;
        Outcome o = run(seed);
        PrintStream out = System.out;
        out.println("candidate: p99 240 ms against stable's 200 ms, same 0.5% errors, seed " + seed);
        out.println("threshold latency(0.99, 300ms): " + o.threshold().summary());
        out.println("baseline comparison:             " + o.judged().summary());
    }

    public static Outcome run(long seed) {
        Behaviour stable = Behaviour.healthy();
        Behaviour slower = stable.withLatency(Duration.ofMillis(40), Duration.ofMillis(240));
        Scenario scenario = Scenario.builder()
                .stable(Revision.of("v1", "myapp:v1"), 5, stable)
                .candidate(Revision.of("v2", "myapp:v2"), slower)
                .requestsPerSecond(200)
                .seed(seed)
                .build();
        Gate judge = compare(
                ComparedMetric.of("p99", Measure.latency(0.99)).higherIsWorse(),
                ComparedMetric.of("errors", Measure.errorRate()).higherIsWorse().critical());
        return new Outcome(Simulation.run(canary(latency(0.99, Duration.ofMillis(300))), scenario),
                Simulation.run(canary(judge), scenario));
    }

    private static Deployment canary(Gate gate) {
        return Deployment.canary()
                .steps(10, 25, 50, 75)
                .pauseBetween(Duration.ofMinutes(5))
                .analysis(GatePolicy.builder().interval(Duration.ofMinutes(5)).build())
                .gate(gate)
                .build();
    }
}
