package io.cutover.sim;

import static io.cutover.gate.Gates.sequentialErrors;
import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.gate.Gate;
import io.cutover.gate.GatePolicy;
import io.cutover.spi.Revision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sequential test stops a canary at 20% errors (stable at 1%) at 10% of 200 requests per second
 * within 15 seconds, where a threshold gate needs a whole analysis interval; and it stops an equal
 * candidate in at most 1% of seeds (100 by default, property {@code cutover.judge.seeds}).
 */
class EarlyDetectionSimulationTest {

    static final Revision V1 = Revision.of("v1", "app:v1");
    static final Revision V2 = Revision.of("v2", "app:v2");
    static final int SEEDS = Integer.getInteger("cutover.judge.seeds", 100);
    static final Behaviour STABLE = Behaviour.healthy().withErrorRate(0.01);
    static final Behaviour BROKEN = STABLE.withErrorRate(0.2);

    static Deployment canary(Gate gate, GatePolicy policy) {
        return Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5)).analysis(policy).gate(gate).build();
    }

    static Deployment sequential() {
        return canary(sequentialErrors(), GatePolicy.builder().interval(Duration.ofSeconds(5)).build());
    }

    static Scenario scenario(Behaviour candidate, long seed) {
        return Scenario.builder().stable(V1, 5, STABLE).candidate(V2, candidate).requestsPerSecond(200).seed(seed).build();
    }

    @Test
    void theSequentialTestStopsATwentyPercentErrorCanaryWithinFifteenSecondsWhereAThresholdGateTakesAMinute() {
        SimulationReport threshold = Simulation.run(canary(successRate(0.95), GatePolicy.DEFAULT), scenario(BROKEN, 7));
        SimulationReport early = Simulation.run(sequential(), scenario(BROKEN, 7));
        assertThat(threshold.timeToDetect()).isEqualTo(Duration.ofSeconds(60));
        assertThat(early.phase()).as(early.summary()).isEqualTo(Phase.ABORTED);
        assertThat(early.reason()).contains("sequential-errors failed", "log-likelihood ratio");
        assertThat(early.timeToDetect()).isLessThanOrEqualTo(Duration.ofSeconds(15));
        assertThat(early.blastRadius()).isLessThan(threshold.blastRadius() / 4);
        assertThat(early.violations()).isEmpty();
    }

    @Test
    void everySeedOfTheBrokenCanaryIsStoppedWithinFifteenSeconds() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimulationReport r = Simulation.run(sequential(), scenario(BROKEN, seed));
            assertThat(r.timeToDetect()).as("seed " + seed + ": " + r.summary()).isNotNull().isLessThanOrEqualTo(Duration.ofSeconds(15));
        }
    }

    @Test
    void anEqualCandidateIsStoppedInAtMostOnePercentOfSeeds() {
        List<String> stopped = new ArrayList<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimulationReport r = Simulation.run(sequential(), scenario(STABLE, seed));
            if (r.phase() != Phase.SUCCEEDED) {
                stopped.add(seed + ": " + r.summary());
            }
        }
        assertThat(stopped.size()).as(String.join("\n", stopped)).isLessThanOrEqualTo(SEEDS / 100);
    }
}
