package io.cutover.engine;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutResult;
import io.cutover.event.RolloutEvent;
import io.cutover.sim.Behaviour;
import io.cutover.sim.Scenario;
import io.cutover.sim.Simulation;
import io.cutover.sim.SimulationReport;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.TrafficSplit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A shadow or A/B run that is told not to switch ends in a phase that says so, and its plan says what it retires. */
class EndingsWithoutPromotionTest {

    private static final Deployment MEASURE_ONLY_SHADOW = Deployment.shadow().mirror(50).duration(Duration.ofMinutes(10))
            .gate(successRate(0.95)).thenRollBack().build();

    @Test
    void aHealthyShadowThatDoesNotSwitchEndsNotPromotedWithStableUnchangedAndTheCandidateGone() {
        Fixture f = Fixture.healthy();

        RolloutResult result = f.start(MEASURE_ONLY_SHADOW).await();

        assertThat(result.phase()).isEqualTo(Phase.NOT_PROMOTED);
        assertThat(result.phase().isTerminal()).isTrue();
        assertThat(result.succeeded()).isFalse();
        assertThat(result.reason()).contains("without promotion");
        assertThat(f.platform.stableRevision()).isEqualTo("v1");
        assertThat(f.platform.desiredReplicas(Role.CANDIDATE)).isZero();
        assertThat(f.platform.read()).isEqualTo(TrafficSplit.stableOnly());
        assertThat(f.events(RolloutEvent.Succeeded.class)).isEmpty();
        assertThat(f.events(RolloutEvent.PhaseChanged.class)).last()
                .satisfies(e -> assertThat(e.phase()).isEqualTo(Phase.NOT_PROMOTED));
    }

    @Test
    void aNotPromotedRolloutIgnoresALateAbort() {
        Fixture f = Fixture.healthy();
        var rollout = f.start(MEASURE_ONLY_SHADOW);
        rollout.await();
        int writes = f.platform.writes();

        rollout.abort("too late");

        assertThat(rollout.phase()).isEqualTo(Phase.NOT_PROMOTED);
        assertThat(f.platform.writes()).isEqualTo(writes);
    }

    @Test
    void anAbTestThatDoesNotSwitchEndsNotPromoted() {
        Fixture f = Fixture.healthy();

        RolloutResult result = f.start(Deployment.abTest().match(HeaderMatch.cookie("beta", "1"))
                .duration(Duration.ofMinutes(10)).thenRollBack().build()).await();

        assertThat(result.phase()).isEqualTo(Phase.NOT_PROMOTED);
        assertThat(f.platform.stableRevision()).isEqualTo("v1");
        assertThat(f.platform.read()).isEqualTo(TrafficSplit.stableOnly());
    }

    @Test
    void aShadowThatSwitchesStillSucceedsWithTheCandidateStable() {
        Fixture f = Fixture.healthy();

        RolloutResult result = f.start(Deployment.shadow().mirror(50).duration(Duration.ofMinutes(10))
                .gate(successRate(0.95)).build()).await();

        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(f.platform.stableRevision()).isEqualTo("v2");
    }

    @Test
    void theMeasureOnlyPlanRetiresTheCandidateNotAPreviousRevision() {
        assertThat(MEASURE_ONLY_SHADOW.describe()).contains("retire candidate").doesNotContain("previous revision");
        assertThat(Deployment.shadow().duration(Duration.ofMinutes(10)).build().describe())
                .contains("promote candidate to stable", "retire previous revision");
    }

    @Test
    void aShadowAbortIsDetectedFromTheFirstMirroredRequest() {
        Scenario scenario = Scenario.builder()
                .stable(Revision.of("v1", "app:v1"), 4, Behaviour.healthy())
                .candidate(Revision.of("v2", "app:v2"), Behaviour.healthy().withErrorRate(0.3))
                .seed(3).build();

        SimulationReport report = Simulation.run(MEASURE_ONLY_SHADOW, scenario);

        assertThat(report.phase()).isEqualTo(Phase.ABORTED);
        assertThat(report.timeToDetect()).isNotNull().isPositive().isLessThan(Duration.ofMinutes(10));
        assertThat(report.blastRadius()).isZero();
    }
}
