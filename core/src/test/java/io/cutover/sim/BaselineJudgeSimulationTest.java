package io.cutover.sim;

import static io.cutover.gate.Gates.compare;
import static io.cutover.gate.Gates.latency;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.gate.ComparedMetric;
import io.cutover.gate.Gate;
import io.cutover.gate.GatePolicy;
import io.cutover.spi.Measure;
import io.cutover.spi.Revision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The baseline comparison on the simulator: a candidate whose p99 latency is 20% worse than stable's
 * passes a fixed latency threshold and is stopped by the judge; an equal candidate passes. The seed
 * counts default to 100 (property {@code cutover.judge.seeds}); BENCHMARKS.md has the 1,000-seed figures.
 */
class BaselineJudgeSimulationTest {

    static final Revision V1 = Revision.of("v1", "app:v1");
    static final Revision V2 = Revision.of("v2", "app:v2");
    static final int SEEDS = Integer.getInteger("cutover.judge.seeds", 100);

    /** Stable: 40 ms median, 200 ms p99, 0.5% errors. */
    static final Behaviour STABLE = Behaviour.healthy();
    /** The same error rate and median, p99 20% worse: 240 ms. */
    static final Behaviour SLOWER = STABLE.withLatency(Duration.ofMillis(40), Duration.ofMillis(240));

    static Gate judge() {
        return compare(ComparedMetric.of("p99", Measure.latency(0.99)).higherIsWorse(),
                ComparedMetric.of("errors", Measure.errorRate()).higherIsWorse());
    }

    /** One judgment per step: each round is one test, at the end of the step's 5 minutes. */
    static Deployment canary(Gate gate) {
        return Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5))
                .analysis(GatePolicy.builder().interval(Duration.ofMinutes(5)).build()).gate(gate).build();
    }

    static Scenario scenario(Behaviour candidate, long seed) {
        return Scenario.builder().stable(V1, 5, STABLE).candidate(V2, candidate).requestsPerSecond(200).seed(seed).build();
    }

    @Test
    void aCandidateTwentyPercentSlowerAtP99PassesTheThresholdGateAndIsAbortedByTheJudge() {
        SimulationReport threshold = Simulation.run(canary(latency(0.99, Duration.ofMillis(300))), scenario(SLOWER, 7));
        assertThat(threshold.phase()).as(threshold.summary()).isEqualTo(Phase.SUCCEEDED);

        SimulationReport judged = Simulation.run(canary(judge()), scenario(SLOWER, 7));
        assertThat(judged.phase()).as(judged.summary()).isEqualTo(Phase.ABORTED);
        assertThat(judged.reason()).contains("baseline-comparison failed").contains("p99 HIGH").contains("errors PASS");
        assertThat(judged.violations()).isEmpty();
    }

    @Test
    void anEqualCandidatePassesTheJudgeInAtLeast98PercentOfSeeds() {
        List<String> aborted = new ArrayList<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimulationReport r = Simulation.run(canary(judge()), scenario(STABLE, seed));
            if (r.phase() != Phase.SUCCEEDED) {
                aborted.add(seed + ": " + r.summary());
            }
        }
        assertThat(aborted.size()).as(String.join("\n", aborted)).isLessThanOrEqualTo(SEEDS * 2 / 100);
    }

    @Test
    void theJudgeDetectsTheTwentyPercentRegressionInAtLeast95PercentOfSeeds() {
        List<String> missed = new ArrayList<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimulationReport r = Simulation.run(canary(judge()), scenario(SLOWER, seed));
            if (r.phase() != Phase.ABORTED) {
                missed.add(seed + ": " + r.summary());
            }
        }
        assertThat(missed.size()).as(String.join("\n", missed)).isLessThanOrEqualTo(SEEDS * 5 / 100);
    }
}
