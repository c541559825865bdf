package io.cutover.sim;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.spi.Revision;
import io.cutover.spi.RouterCapability;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulationTest {

    static final Revision V1 = Revision.of("v1", "app:v1");
    static final Revision V2 = Revision.of("v2", "app:v2");

    static Deployment canary() {
        return Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5))
                .gate(successRate(0.95)).build();
    }

    static Scenario.Builder scenario(Behaviour candidate) {
        return Scenario.builder().stable(V1, 5, Behaviour.healthy()).candidate(V2, candidate).seed(7);
    }

    @Test
    void healthyCanaryIsPromoted() {
        SimulationReport report = Simulation.run(canary(), scenario(Behaviour.healthy()).build());
        assertThat(report.phase()).as(report.summary()).isEqualTo(Phase.SUCCEEDED);
        assertThat(report.violations()).isEmpty();
        assertThat(report.duration()).isGreaterThan(Duration.ofMinutes(20)).isLessThan(Duration.ofMinutes(25));
        assertThat(report.requestsByRevision()).containsKeys("v1", "v2");
        assertThat(report.timeToDetect()).isNull();
        assertThat(report.blastRadius()).isZero(); // as good as stable: the release added no failures
        assertThat(report.failedRequests()).isPositive(); // stable's own 0.5% still fails
    }

    @Test
    void canaryWithTwentyPercentErrorsIsRolledBackOnItsOwn() {
        SimulationReport report = Simulation.run(canary(), scenario(Behaviour.healthy().withErrorRate(0.2)).build());
        assertThat(report.phase()).as(report.summary()).isEqualTo(Phase.ABORTED);
        assertThat(report.reason()).contains("success-rate");
        assertThat(report.violations()).isEmpty();
        assertThat(report.timeToDetect()).isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(report.timeToRollBack()).isNotNull();
        // 10% of 50 rps for a minute at 19.5% more errors than stable: about 60
        assertThat(report.blastRadius()).isBetween(45L, 75L);
    }

    @Test
    void sameSeedSameReport() {
        Scenario s = scenario(Behaviour.healthy().withErrorRate(0.2)).transientFailures(0.2).build();
        assertThat(Simulation.run(canary(), s)).isEqualTo(Simulation.run(canary(), s));
    }

    @Test
    void replicaRatioRouterApproximatesWeights() {
        SimulationReport report = Simulation.run(canary(), scenario(Behaviour.healthy()).router(RouterCapability.REPLICA_RATIO).build());
        assertThat(report.phase()).as(report.summary() + report.timeline()).isEqualTo(Phase.SUCCEEDED);
        assertThat(report.violations()).isEmpty();
        // 5 replicas, canary pods rounded up: 10% -> 1 replica (20%), 25% -> 2 (40%), 50% -> 3 (60%), 75% -> 4 (80%)
        assertThat(report.timeline()).filteredOn(e -> e.what().startsWith("traffic"))
                .extracting(SimulationReport.TimelineEntry::candidateWeight).startsWith(20, 40, 60, 80, 100);
    }
}
