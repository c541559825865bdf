package io.cutover.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.gate.GatePolicy;
import io.cutover.plan.Plan;
import io.cutover.plan.Replicas;
import io.cutover.plan.Step;
import io.cutover.sim.Behaviour;
import io.cutover.sim.Scenario;
import io.cutover.sim.Simulation;
import io.cutover.sim.SimulationReport;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A deployment built from a plan's steps, as importers of other tools' specs build them. */
class DeploymentFromPlanTest {

    static Plan plan(List<Step> steps) {
        return new Plan("imported", steps, List.of(), GatePolicy.DEFAULT, 0, Map.of(), Duration.ofMinutes(10),
                Plan.DeadlineAction.ABORT, Duration.ofSeconds(10), Replicas.exactly(0));
    }

    @Test
    void aPlanOfStepsRunsOnTheSimulatorLikeAnyStrategy() {
        Deployment d = Deployment.fromPlan("imported", ctx -> plan(List.of(
                new Step.Deploy(Replicas.exactly(1)), new Step.AwaitReady(Role.CANDIDATE), new Step.SetWeight(30),
                new Step.Scale(Role.CANDIDATE, Replicas.full()), new Step.AwaitReady(Role.CANDIDATE), new Step.SetWeight(100),
                new Step.Promote(), new Step.AwaitReady(Role.STABLE), new Step.ResetTraffic(), new Step.Retire(Role.CANDIDATE))));
        Scenario scenario = Scenario.builder().stable(Revision.of("v1", "app:v1"), 4, Behaviour.healthy())
                .candidate(Revision.of("v2", "app:v2"), Behaviour.healthy()).build();
        SimulationReport report = Simulation.run(d, scenario);
        assertThat(d.strategy()).isEqualTo("imported");
        assertThat(report.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(report.timeline()).filteredOn(e -> e.what().startsWith("traffic")).extracting(SimulationReport.TimelineEntry::candidateWeight)
                .startsWith(30, 100);
        assertThat(report.violations()).isEmpty();
    }

    @Test
    void aPlanThatNeverPromotesIsRefusedAtOnce() {
        assertThatThrownBy(() -> Deployment.fromPlan("half", ctx -> plan(List.of(new Step.Deploy(Replicas.exactly(1))))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("plan of 'half' has no promote step: the candidate would never become stable");
    }

    @Test
    void aBlankStrategyNameIsRefused() {
        assertThatThrownBy(() -> Deployment.fromPlan(" ", ctx -> null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("strategy must not be blank");
    }
}
