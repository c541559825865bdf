package io.cutover.kubernetes.argo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Phase;
import io.cutover.PlanContext;
import io.cutover.gate.GatePolicy;
import io.cutover.gate.Gates;
import io.cutover.plan.Plan;
import io.cutover.plan.Step;
import io.cutover.sim.Behaviour;
import io.cutover.sim.Scenario;
import io.cutover.sim.Simulation;
import io.cutover.sim.SimulationReport;
import io.cutover.spi.Revision;
import io.cutover.spi.RouterCapability;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Argo Rollout manifests, in Argo's documented format, read into Cutover deployments and run on the simulator. */
class ArgoRolloutsTest {

    static final GatePolicy POLICY = GatePolicy.builder().interval(Duration.ofSeconds(30)).count(2).build();

    final List<String> resolved = new ArrayList<>();

    final AnalysisTemplates templates = AnalysisTemplates.builder()
            .template("success-rate", args -> {
                resolved.add("success-rate " + args);
                return AnalysisTemplates.analysis(POLICY, Gates.successRate(0.95));
            })
            .template("latency", args -> {
                resolved.add("latency " + args);
                return AnalysisTemplates.analysis(POLICY, Gates.latency(Double.parseDouble(args.get("quantile")), Duration.ofMillis(500)));
            })
            .template("smoke", args -> AnalysisTemplates.analysis(POLICY, Gates.health()))
            .build();

    static String manifest(String name) {
        try (InputStream in = ArgoRolloutsTest.class.getResourceAsStream("/argo/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> steps(Plan plan) {
        return plan.steps().stream().map(Step::describe).toList();
    }

    @Test
    void aCanaryWithEveryStepKindBecomesTheSameStepsInOrderThenArgosPromotion() {
        ArgoRollout imported = ArgoRollouts.read(manifest("canary-every-step.yaml"), templates);

        assertThat(imported.name()).isEqualTo("checkout");
        assertThat(imported.namespace()).isEqualTo("shop");
        assertThat(imported.replicas()).isEqualTo(4);
        assertThat(imported.stableService()).isEqualTo("checkout-stable");
        assertThat(imported.canaryService()).isEqualTo("checkout-canary");
        assertThat(imported.trafficRouting()).containsExactlyInAnyOrder("istio", "managedRoutes");
        assertThat(resolved).as("steps first, then the background analysis").containsExactly(
                "latency {service-name=checkout-canary, quantile=0.99}", "success-rate {service-name=checkout-canary}");

        Plan plan = imported.deployment().plan(new PlanContext(4,
                EnumSet.of(RouterCapability.WEIGHTED, RouterCapability.HEADER_ROUTES, RouterCapability.MIRROR)));
        List<String> steps = steps(plan);
        assertThat(steps.subList(0, 18)).containsExactly(
                "deploy candidate with 1 replica", "await candidate ready",
                "route x-tester exact 'yes' or user-agent regex '.*Canary.*' to candidate",
                "mirror 50% of requests to candidate",
                "pause PT5M",
                "stop mirroring",
                "scale candidate to 20% of stable", "await candidate ready", "set candidate weight 20%",
                "pause until promoted",
                "scale candidate to 75% of stable", "await candidate ready",
                "set candidate weight 50%",
                steps.get(13),
                "remove header routes",
                "pause PT1H30M",
                "pause PT1M30S",
                "scale candidate to full");
        assertThat(steps.get(13)).startsWith("analyze step 10: latency");
        assertThat(steps.subList(18, steps.size())).containsExactly("await candidate ready", "set candidate weight 100%",
                "rollback window PT1M: stable kept, an abort switches back at once",
                "promote candidate to stable", "await stable ready", "send all traffic to stable", "retire previous revision");
        assertThat(plan.backgroundGates()).extracting(Object::toString).containsExactly(Gates.successRate(0.95).toString());
        assertThat(plan.backgroundPolicy()).isEqualTo(POLICY);
        assertThat(plan.steps().get(plan.backgroundFrom()).describe()).as("startingStep 2 is the mirror route")
                .isEqualTo("mirror 50% of requests to candidate");
        assertThat(plan.progressDeadline()).isEqualTo(Duration.ofMinutes(5));
        assertThat(plan.onDeadline()).isEqualTo(Plan.DeadlineAction.ABORT);
        assertThat(plan.drainDelay()).isEqualTo(Duration.ofSeconds(15));
        assertThat(plan.requiredCapabilities()).containsExactlyInAnyOrder(RouterCapability.WEIGHTED, RouterCapability.HEADER_ROUTES,
                RouterCapability.MIRROR);
    }

    @Test
    void argosDefaultsAreKeptWhereTheyDifferFromCutovers() {
        Plan plan = ArgoRollouts.read(manifest("canary-basic.yaml"), templates).deployment().plan();
        assertThat(plan.onDeadline()).as("Argo does not abort at the progress deadline by default").isEqualTo(Plan.DeadlineAction.PAUSE);
        assertThat(plan.progressDeadline()).isEqualTo(Duration.ofMinutes(10));
        assertThat(plan.drainDelay()).as("abortScaleDownDelaySeconds defaults to 30").isEqualTo(Duration.ofSeconds(30));
        assertThat(steps(plan)).contains("rollback window PT30S: stable kept, an abort switches back at once");
        assertThat(plan.backgroundGates()).isEmpty();
    }

    @Test
    void aBasicCanaryOnAReplicaCountRouterHasNoRollbackWindow() {
        Plan plan = ArgoRollouts.read(manifest("canary-basic.yaml"), templates).deployment()
                .plan(new PlanContext(5, EnumSet.of(RouterCapability.REPLICA_RATIO)));
        assertThat(plan.steps()).noneMatch(s -> s instanceof Step.Pause p && p.rollbackWindow());
    }

    private static Scenario scenario(Behaviour candidate, RouterCapability... router) {
        return Scenario.builder().stable(Revision.of("blue", "argoproj/rollouts-demo:blue"), 5, Behaviour.healthy())
                .candidate(Revision.of("yellow", "argoproj/rollouts-demo:yellow"), candidate).router(router).build();
    }

    private static List<Integer> weights(SimulationReport report) {
        return report.timeline().stream().filter(e -> e.what().startsWith("traffic")).map(SimulationReport.TimelineEntry::candidateWeight).toList();
    }

    @Test
    void theImportedGettingStartedCanaryRunsItsWeightsOnTheSimulatorAndSucceeds() {
        var deployment = ArgoRollouts.read(manifest("canary-basic.yaml"), templates).deployment();
        SimulationReport report = Simulation.run(deployment, scenario(Behaviour.healthy(), RouterCapability.WEIGHTED));
        assertThat(report.phase()).as(report.summary()).isEqualTo(Phase.SUCCEEDED);
        assertThat(weights(report)).startsWith(20, 40, 60, 80, 100);
        assertThat(report.violations()).isEmpty();
        assertThat(report.timeline()).map(SimulationReport.TimelineEntry::what).anyMatch(w -> w.startsWith("success-rate PASSED"));
    }

    @Test
    void theImportedAnalysisStepAbortsAFailingCanaryBeforeItsNextWeight() {
        var deployment = ArgoRollouts.read(manifest("canary-basic.yaml"), templates).deployment();
        SimulationReport report = Simulation.run(deployment, scenario(Behaviour.healthy().withErrorRate(0.3), RouterCapability.WEIGHTED));
        assertThat(report.phase()).as(report.summary()).isEqualTo(Phase.ABORTED);
        assertThat(report.reason()).contains("success-rate failed");
        assertThat(weights(report)).containsExactly(20, 40, 0);
        assertThat(report.violations()).isEmpty();
    }

    @Test
    void aBlueGreenWithEveryFieldBecomesACutoverBlueGreen() {
        ArgoRollout imported = ArgoRollouts.read(manifest("blue-green.yaml"), templates);
        assertThat(imported.activeService()).isEqualTo("storefront-active");
        assertThat(imported.previewService()).isEqualTo("storefront-preview");
        assertThat(imported.deployment().strategy()).isEqualTo("blue-green");
        Plan plan = imported.deployment().plan();
        List<String> steps = steps(plan);
        assertThat(steps.get(0)).isEqualTo("deploy candidate with 1 replica");
        assertThat(steps.get(2)).startsWith("analyze pre-promotion: health");
        assertThat(steps.subList(3, 7)).containsExactly("pause PT2M", "scale candidate to full", "await candidate ready",
                "set candidate weight 100%");
        assertThat(steps.get(7)).startsWith("analyze post-promotion: success-rate");
        assertThat(steps.get(8)).isEqualTo("rollback window PT5M: stable kept, an abort switches back at once");
        assertThat(plan.progressDeadline()).isEqualTo(Duration.ofMinutes(2));
        assertThat(plan.onDeadline()).isEqualTo(Plan.DeadlineAction.PAUSE);
        assertThat(plan.drainDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(plan.requiredCapabilities()).isEmpty();
    }

    @Test
    void theImportedBlueGreenSwitchesBackWhenItsPostPromotionAnalysisFails() {
        var deployment = ArgoRollouts.read(manifest("blue-green.yaml"), templates).deployment();
        SimulationReport report = Simulation.run(deployment, scenario(Behaviour.healthy().withErrorRate(0.3)));
        assertThat(report.phase()).as(report.summary()).isEqualTo(Phase.ABORTED);
        assertThat(weights(report)).containsExactly(100, 0);
        assertThat(report.timeline().get(report.timeline().size() - 1).stableReady()).isEqualTo(5);
        assertThat(report.violations()).isEmpty();
    }

    @Test
    void autoPromotionDisabledWaitsForAPerson() {
        String yaml = manifest("blue-green.yaml").replace("      autoPromotionSeconds: 120\n", "      autoPromotionEnabled: false\n");
        Plan plan = ArgoRollouts.read(yaml, templates).deployment().plan();
        assertThat(steps(plan)).contains("pause until promoted").doesNotContain("pause PT2M");
    }

    @Test
    void templatesMeasuredWithDifferentPoliciesInOneAnalysisAreRefused() {
        AnalysisTemplates mixed = (name, args) -> AnalysisTemplates.analysis(
                name.equals("a") ? GatePolicy.DEFAULT : POLICY, Gates.successRate(0.9));
        String yaml = manifest("canary-basic.yaml").replace("          - templateName: success-rate\n",
                "          - templateName: a\n          - templateName: b\n");
        var e = org.assertj.core.api.Assertions.catchThrowableOfType(UnsupportedFieldException.class,
                () -> ArgoRollouts.read(yaml, mixed));
        assertThat(e.field()).isEqualTo("spec.strategy.canary.steps[3].analysis.templates[1].templateName");
        assertThat(e.getMessage()).contains("one analysis with one policy");
    }
}
