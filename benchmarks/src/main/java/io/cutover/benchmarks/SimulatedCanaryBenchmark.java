package io.cutover.benchmarks;

import io.cutover.Deployment;
import io.cutover.RolloutResult;
import io.cutover.sim.Scenario;
import io.cutover.sim.Simulation;
import io.cutover.sim.SimulationReport;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole simulated rollouts per second: {@link Simulation#run} of the 4-step canary (10/25/50/75,
 * 5-minute pauses, success-rate gate every minute) on a healthy scenario, 20 minutes of virtual time
 * each, on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class SimulatedCanaryBenchmark {

    private Deployment canary;
    private Deployment blueGreen;
    private Scenario scenario;

    @Setup
    public void setUp() {
        canary = Fixtures.canary();
        blueGreen = Fixtures.blueGreen();
        scenario = Fixtures.healthyScenario();
    }

    @Benchmark
    public SimulationReport canary() {
        return Simulation.run(canary, scenario);
    }

    /** The same rollout without the simulation's recorder and report, every save encoded as JSON. */
    @Benchmark
    public RolloutResult canaryEngineOnly() {
        return EngineOnVirtualTime.withJsonStore(canary, scenario);
    }

    /** The same with a store that keeps objects: the difference to the one above is the JSON encoding of every save. */
    @Benchmark
    public RolloutResult canaryEngineOnlyObjectStore() {
        return EngineOnVirtualTime.withObjectStore(canary, scenario);
    }

    @Benchmark
    public SimulationReport blueGreen() {
        return Simulation.run(blueGreen, scenario);
    }
}
