package io.cutover.kubernetes.argo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.PlanContext;
import io.cutover.plan.Plan;
import io.cutover.plan.Step;
import io.cutover.sim.Behaviour;
import io.cutover.sim.Scenario;
import io.cutover.sim.Simulation;
import io.cutover.sim.SimulationReport;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Argo's {@code dynamicStableScale}: stable follows its traffic share on a weighted router, growing back before the weight falls. */
class ArgoDynamicStableScaleTest {

    static final String MANIFEST = """
            apiVersion: argoproj.io/v1alpha1
            kind: Rollout
            metadata:
              name: rollouts-demo
            spec:
              replicas: 10
              strategy:
                canary:
                  dynamicStableScale: true
                  canaryService: rollouts-demo-canary
                  stableService: rollouts-demo-stable
                  trafficRouting:
                    istio:
                      virtualService:
                        name: rollouts-demo-vsvc
                  steps:
                  - setWeight: 20
                  - pause: {duration: 1m}
                  - setWeight: 60
                  - pause: {duration: 1m}
                  - setWeight: 30
                  - pause: {duration: 1m}
            """;

    private static List<String> steps(Deployment d, RouterCapability router) {
        Plan plan = d.plan(new PlanContext(10, EnumSet.of(router)));
        return plan.steps().stream().filter(s -> s instanceof Step.SetWeight || s instanceof Step.Scale sc && sc.role() == Role.STABLE
                || s instanceof Step.AwaitReady a && a.role() == Role.STABLE)
                .map(s -> s instanceof Step.Scale sc ? "stable x" + sc.replicas().resolve(10) : s.describe()).toList();
    }

    @Test
    void stableShrinksAfterEachWeightAndGrowsAndIsReadyBeforeTheWeightFalls() {
        Deployment d = ArgoRollouts.read(MANIFEST, AnalysisTemplates.NONE).deployment();
        List<String> weighted = steps(d, RouterCapability.WEIGHTED);
        assertThat(weighted.subList(0, 7)).containsExactly("set candidate weight 20%", "stable x8", "set candidate weight 60%", "stable x4",
                "stable x7", "await stable ready", "set candidate weight 30%");
        assertThat(d.plan(new PlanContext(10, EnumSet.of(RouterCapability.WEIGHTED))).steps())
                .noneMatch(s -> s instanceof Step.Pause p && p.rollbackWindow());
        assertThat(steps(d, RouterCapability.REPLICA_RATIO)).noneMatch(s -> s.startsWith("stable x"));
    }

    @Test
    void theImportedRolloutKeepsStableCapacityForItsShareOnTheSimulator() {
        assertCapacityKept(ArgoRollouts.read(MANIFEST, AnalysisTemplates.NONE).deployment());
    }

    @Test
    void withoutItAFallingWeightMovesTrafficBeforeTheCandidateShrinks() {
        String plain = MANIFEST.replace("      dynamicStableScale: true\n", "");
        assertThat(plain).doesNotContain("dynamicStableScale");
        Deployment d = ArgoRollouts.read(plain, AnalysisTemplates.NONE).deployment();
        assertThat(steps(d, RouterCapability.WEIGHTED)).noneMatch(s -> s.startsWith("stable x"));
        assertCapacityKept(d);
    }

    private static void assertCapacityKept(Deployment d) {
        Scenario scenario = Scenario.builder().stable(Revision.of("blue", "argoproj/rollouts-demo:blue"), 10, Behaviour.healthy())
                .candidate(Revision.of("yellow", "argoproj/rollouts-demo:yellow"), Behaviour.healthy())
                .router(RouterCapability.WEIGHTED).build();
        SimulationReport report = Simulation.run(d, scenario);
        assertThat(report.phase()).as(report.summary()).isEqualTo(Phase.SUCCEEDED);
        assertThat(report.violations()).isEmpty();
    }
}
