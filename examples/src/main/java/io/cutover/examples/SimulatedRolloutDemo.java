package io.cutover.examples;

import static io.cutover.gate.Gates.errorRate;
import static io.cutover.gate.Gates.latency;
import static io.cutover.gate.Gates.successRate;

import io.cutover.Deployment;
import io.cutover.sim.Behaviour;
import io.cutover.sim.Scenario;
import io.cutover.sim.Simulation;
import io.cutover.sim.SimulationReport;
import io.cutover.spi.Revision;
import io.cutover.spi.RouterCapability;
import io.cutover.view.ConsoleProgress;
import io.cutover.view.RolloutTimeline;
import io.cutover.view.TimelineHtml;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The main job: three releases on the in-memory platform, on virtual time, each shown as it runs and
 * summed up in a table at the end, and drawn as a timeline picture (one HTML file, path printed last;
 * the first argument names it, {@code target/cutover-timeline.html} by default).
 *
 * <ol>
 *   <li>a healthy canary (10/25/50/75, 5-minute pauses) that is promoted;</li>
 *   <li>the same canary with a candidate failing 20% of requests, rolled back on its own;</li>
 *   <li>a blue-green whose post-promotion gate fails and switches traffic straight back.</li>
 * </ol>
 */
public final class SimulatedRolloutDemo {

    static final Revision V1 = Revision.of("v1.0.0", "myapp:v1.0.0");
    static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    /** One release of the demo and what came of it. */
    record Run(String name, SimulationReport report) { }

    public static void main(String[] args) {
        List<Run> runs = runAll(System.out);
        System.out.println();
        System.out.println(table(runs));
        System.out.println("blast radius: failed requests the release added (the new revision's errors above the old one's,");
        System.out.println("and requests sent where no replica was ready); durations are virtual time.");
        boolean asExpected = runs.get(0).report().phase() == io.cutover.Phase.SUCCEEDED
                && runs.get(1).report().phase() == io.cutover.Phase.ABORTED
                && runs.get(2).report().phase() == io.cutover.Phase.ABORTED
                && runs.stream().allMatch(r -> r.report().invariantsHeld());
        System.out.println(asExpected ? "All three releases ended as they should, with every invariant held."
                : "UNEXPECTED: a release did not end as it should; see above.");
        Path picture = writePicture(Path.of(args.length > 0 ? args[0] : "target/cutover-timeline.html"), runs);
        System.out.println("Timeline picture of the three releases: " + picture.toAbsolutePath().normalize().toUri());
        if (!asExpected) {
            System.exit(1);
        }
    }

    /** The three releases in one self-contained HTML page. */
    static Path writePicture(Path file, List<Run> runs) {
        return TimelineHtml.write(file, runs.stream()
                .map(r -> RolloutTimeline.of(r.name(), r.report()).withRevisions(V1.name(), V2.name())).toList());
    }

    static List<Run> runAll(PrintStream out) {
        Deployment canary = Deployment.canary()
                .steps(10, 25, 50, 75)
                .pauseBetween(Duration.ofMinutes(5))
                .gate(successRate(0.95), latency(0.99, Duration.ofMillis(500)))
                .build();
        Deployment blueGreen = Deployment.blueGreen()
                .autoPromoteAfter(Duration.ofMinutes(2))
                .postPromotionGate(errorRate(0.05))
                .scaleDownDelay(Duration.ofMinutes(10))
                .build();

        Scenario.Builder base = Scenario.builder().application("myapp").stable(V1, 5, Behaviour.healthy())
                .requestsPerSecond(200).seed(42);
        List<Run> runs = new ArrayList<>();
        runs.add(run(out, "healthy canary", canary, base.candidate(V2, Behaviour.healthy()).build()));
        runs.add(run(out, "canary at 20% errors", canary,
                base.candidate(V2, Behaviour.healthy().withErrorRate(0.20)).build()));
        runs.add(run(out, "blue-green, failing post-promotion", blueGreen,
                base.candidate(V2, Behaviour.healthy().withErrorRate(0.12)).router(new RouterCapability[0]).build()));
        return runs;
    }

    static Run run(PrintStream out, String name, Deployment deployment, Scenario scenario) {
        out.println();
        out.println("== " + name + ": " + deployment.strategy() + " of " + scenario.candidate().name()
                + " over " + scenario.stable().name() + " (" + scenario.stableReplicas() + " replicas)");
        out.println(deployment.describe().lines().map(l -> "   " + l).reduce((a, b) -> a + "\n" + b).orElse(""));
        SimulationReport report = Simulation.run(deployment, scenario, ConsoleProgress.to(out));
        out.println("-> " + report.summary());
        return new Run(name, report);
    }

    static String table(List<Run> runs) {
        StringBuilder s = new StringBuilder();
        String format = "%-36s %-10s %10s %14s %16s %10s %12s %11s%n";
        s.append(String.format(format, "release", "phase", "duration", "blast radius", "all failed req", "detected", "rolled back", "invariants"));
        for (Run r : runs) {
            SimulationReport p = r.report();
            s.append(String.format(format, r.name(), p.phase(), SimulationReportFormat.clock(p.duration()),
                    p.blastRadius() + " req", p.failedRequests() + " req", p.timeToDetect() == null ? "-" : SimulationReportFormat.clock(p.timeToDetect()),
                    p.timeToRollBack() == null ? "-" : SimulationReportFormat.clock(p.timeToRollBack()),
                    p.invariantsHeld() ? "held" : p.violations().size() + " broken"));
        }
        return s.toString();
    }

    private SimulatedRolloutDemo() { }
}
