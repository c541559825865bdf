package io.cutover.benchmarks;

import io.cutover.Deployment;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.plan.Plan;
import io.cutover.plan.Step;
import io.cutover.sim.Scenario;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.sim.Simulation;
import io.cutover.time.VirtualScheduler;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Platform calls per rollout, on virtual time: reads and writes as the engine counts them, as the
 * platform counts them, and by operation; the platform's log of writes next to the plan's
 * state-changing steps, and every write that left the platform as it was (a repeated write).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.cutover.benchmarks.PlatformCallCount}
 */
public final class PlatformCallCount {

    /** What one rollout cost the platform. */
    public record Calls(String strategy, RolloutResult result, long engineReads, long engineWrites, int platformReads,
                        int platformWrites, Map<String, Integer> byOperation, List<String> log,
                        List<Step> stateChangingSteps, List<String> repeatedWrites) { }

    private PlatformCallCount() { }

    public static void main(String[] args) {
        PrintStream out = System.out;
        boolean ok = true;
        for (Deployment d : List.of(Fixtures.blueGreen(), Fixtures.canary())) {
            Calls c = measure(d, Fixtures.healthyScenario());
            print(c, out);
            ok &= c.repeatedWrites().isEmpty() && c.engineWrites() == c.platformWrites();
        }
        if (!ok) {
            out.println("UNEXPECTED: a write was repeated or the counts disagree; see above.");
            System.exit(1);
        }
    }

    /** Runs {@code deployment} once to its end on virtual time and counts its platform calls. */
    public static Calls measure(Deployment deployment, Scenario scenario) {
        VirtualScheduler time = new VirtualScheduler();
        SimulatedPlatform platform = Simulation.platform(scenario, time);
        CountingPlatform counting = new CountingPlatform(platform);
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withClock(time.clock())
                .pollInterval(scenario.pollInterval()).build();
        Rollout rollout = engine.start(scenario.application(), deployment, scenario.candidate(),
                counting.target(scenario.application()));
        RolloutResult result = rollout.await();
        engine.shutdown();
        Plan plan = Fixtures.plan(deployment);
        List<String> log = platform.log();
        return new Calls(deployment.strategy(), result, rollout.platformReads(), rollout.platformWrites(), platform.reads(),
                platform.writes(), counting.counts(), log, Fixtures.stateChangingSteps(plan), repeated(log));
    }

    /** Writes after which the platform stood exactly as before: they changed nothing. */
    static List<String> repeated(List<String> log) {
        List<String> out = new ArrayList<>();
        String before = null;
        for (String line : log) {
            String after = line.substring(line.indexOf(" -> ") + 4);
            if (after.equals(before)) {
                out.add(line);
            }
            before = after;
        }
        return out;
    }

    static void print(Calls c, PrintStream out) {
        out.println("== " + c.strategy() + ": " + c.result().phase());
        out.println("engine counted   reads " + c.engineReads() + ", writes " + c.engineWrites());
        out.println("platform counted reads " + c.platformReads() + ", writes " + c.platformWrites());
        out.println("by operation     " + c.byOperation());
        out.println("state-changing plan steps (" + c.stateChangingSteps().size() + "):");
        c.stateChangingSteps().forEach(s -> out.println("  " + s.describe()));
        out.println("platform log of writes (" + c.log().size() + "):");
        c.log().forEach(l -> out.println("  " + l));
        out.println("writes that changed nothing: " + c.repeatedWrites().size());
        c.repeatedWrites().forEach(l -> out.println("  " + l));
        out.println();
    }
}
