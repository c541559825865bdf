package io.cutover.benchmarks;

import static io.cutover.gate.Gates.successRate;

import io.cutover.Deployment;
import io.cutover.PlanContext;
import io.cutover.plan.Plan;
import io.cutover.plan.Step;
import io.cutover.sim.Behaviour;
import io.cutover.sim.Scenario;
import io.cutover.spi.Revision;
import io.cutover.spi.RouterCapability;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

/** The deployments and scenarios every measurement of this module uses, so each figure names one setup. */
public final class Fixtures {

    public static final Revision V1 = Revision.of("v1.0.0", "myapp:v1.0.0");
    public static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    /** Stable replicas of every scenario: enough that 10/25/50/75% give four distinct candidate sizes. */
    public static final int STABLE_REPLICAS = 10;

    private Fixtures() { }

    /** Steps 10/25/50/75, 5-minute pauses, success rate of at least 95% measured every minute (the default policy). */
    public static Deployment canary() {
        return Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5))
                .gate(successRate(0.95)).build();
    }

    /** Blue-green that switches one minute after the preview is ready. */
    public static Deployment blueGreen() {
        return Deployment.blueGreen().autoPromoteAfter(Duration.ofMinutes(1)).build();
    }

    /** A healthy candidate replacing a healthy stable on a weighted router, seed 1. */
    public static Scenario healthyScenario() {
        return Scenario.builder()
                .application("myapp")
                .stable(V1, STABLE_REPLICAS, Behaviour.healthy())
                .candidate(V2, Behaviour.healthy())
                .build();
    }

    /**
     * A canary on real time that ends in well under a second: steps 25/50 with {@code pause} after
     * each; no metric gate, so only readiness and the pauses set its pace.
     */
    public static Deployment shortCanary(Duration firstPause, Duration pause) {
        return Deployment.canary().steps(25, 50).pauses(firstPause, pause)
                .drainDelay(Duration.ZERO).build();
    }

    /** The plan of {@code deployment} on the scenarios' platform. */
    public static Plan plan(Deployment deployment) {
        return deployment.plan(new PlanContext(STABLE_REPLICAS,
                EnumSet.of(RouterCapability.WEIGHTED, RouterCapability.HEADER_ROUTES, RouterCapability.MIRROR)));
    }

    /** Steps that ask the platform for a change (the rest read, wait or judge). */
    public static List<Step> stateChangingSteps(Plan plan) {
        return plan.steps().stream().filter(Fixtures::changesPlatform).toList();
    }

    static boolean changesPlatform(Step step) {
        return step instanceof Step.Deploy || step instanceof Step.Scale || step instanceof Step.SetWeight
                || step instanceof Step.SetHeaderRoutes || step instanceof Step.SetMirror
                || step instanceof Step.ResetTraffic || step instanceof Step.Promote || step instanceof Step.Retire;
    }
}
