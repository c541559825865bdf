package io.cutover.engine;

import static io.cutover.gate.Gates.successRate;

import io.cutover.Deployment;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.gate.Gate;
import io.cutover.gate.GateContext;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.hook.Hooks;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.HookResult;
import io.cutover.spi.HookStage;
import io.cutover.spi.RouterCapability;
import io.cutover.state.FileStateStore;
import io.cutover.time.VirtualScheduler;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a JVM of its own by {@link ForkedResumeTest}: resumes the rollout a parent JVM left in a
 * file store, on a fresh simulated platform, and prints the phase it ended in.
 */
public final class ResumeInFreshJvm {

    private ResumeInFreshJvm() { }

    /** A gate with no name-bearing {@code toString}: only its {@code name()} may enter the fingerprint. */
    static final class AlwaysPasses implements Gate {
        @Override public String name() {
            return "always-passes";
        }
        @Override public Measurement measure(GateContext context) {
            return new Measurement("always-passes", Verdict.PASSED, 1, "ok", context.now());
        }
    }

    /** A canary with hooks at several stages (lambdas and a webhook) and a custom gate. */
    static Deployment deployment() {
        return Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(2))
                .gate(successRate(0.95), new AlwaysPasses())
                .hook(HookStage.ON_COMPLETE, Hooks.webhook("http://127.0.0.1:9/unreachable").named("deploy-bot").build())
                .hook(HookStage.BEFORE_INSTALL, ctx -> HookResult.pass())
                .hook(HookStage.AFTER_ROLLBACK, ctx -> HookResult.pass())
                .hook(HookStage.BEFORE_TRAFFIC, ctx -> HookResult.pass())
                .hook(HookStage.AFTER_INSTALL, ctx -> HookResult.pass())
                .build();
    }

    static SimulatedPlatform platform(VirtualScheduler time) {
        return SimulatedPlatform.builder(time.clock()).stable(Fixture.V1, 4, Behaviour.healthy())
                .behaviour("v2", Behaviour.healthy()).router(RouterCapability.WEIGHTED).build();
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        System.out.println("fingerprint " + deployment().plan(new io.cutover.PlanContext(4,
                java.util.EnumSet.of(RouterCapability.WEIGHTED))).fingerprint());
        VirtualScheduler time = new VirtualScheduler();
        SimulatedPlatform platform = platform(time);
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withStateStore(new FileStateStore(dir)).owner("child").build();
        RolloutResult result = engine.resume("app", deployment(), platform.target("app")).await();
        System.out.println("phase " + result.phase() + " stable " + platform.stableRevision());
    }
}
