package io.cutover.test;

import io.cutover.Phase;
import io.cutover.event.RolloutEvent;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.sim.SimulationReport;
import io.cutover.sim.SimulationReport.TimelineEntry;
import io.cutover.spi.TrafficSplit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reports whose every moment is known, so failure messages can be pinned. */
final class KnownReports {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private KnownReports() { }

    static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    static TimelineEntry entry(int second, int weight, int stableReady, int candidateReady, String what, RolloutEvent event) {
        return new TimelineEntry(Duration.ofSeconds(second), weight, stableReady, candidateReady, what, event);
    }

    /** 10% from 0:00:10, a failed gate and the abort at 0:01:10, back on stable at 0:01:20; 60 failed requests. */
    static SimulationReport aborted() {
        List<TimelineEntry> t = new ArrayList<>();
        t.add(entry(0, 0, 5, 0, "scale candidate to 1", new RolloutEvent.ReplicasChanged("app", at(0), "candidate", 1)));
        t.add(entry(10, 10, 5, 1, "traffic stable=90% candidate=10%", new RolloutEvent.TrafficChanged("app", at(10), TrafficSplit.weighted(10))));
        t.add(entry(10, 10, 5, 1, "step 4: pause PT5M", new RolloutEvent.StepStarted("app", at(10), 3, "pause PT5M")));
        t.add(entry(70, 10, 5, 1, "success-rate FAILED: 0.8 misses >= 0.95", new RolloutEvent.MeasurementTaken("app", at(70),
                new Measurement("success-rate", Verdict.FAILED, 0.8, "0.8 misses >= 0.95", at(70)))));
        t.add(entry(70, 10, 5, 1, "abort: gate success-rate failed", new RolloutEvent.AbortStarted("app", at(70), "gate success-rate failed")));
        t.add(entry(70, 0, 5, 1, "traffic stable=100% candidate=0%", new RolloutEvent.TrafficChanged("app", at(70), TrafficSplit.stableOnly())));
        t.add(entry(80, 0, 5, 0, "scale candidate to 0", new RolloutEvent.ReplicasChanged("app", at(80), "candidate", 0)));
        t.add(entry(80, 0, 5, 0, "rolled back", new RolloutEvent.RolledBack("app", at(80), "gate success-rate failed")));
        return new SimulationReport(Phase.ABORTED, "gate success-rate failed", Duration.ofSeconds(80), t, Map.of("v1", 4000L, "v2", 60L),
                60, 80, Duration.ofSeconds(60), Duration.ofSeconds(10), List.of(), 40, 12);
    }

    /** 25% then 50% then promoted at 0:02:00, with a moment where the candidate had traffic and no ready replica. */
    static SimulationReport promotedWithUnreadyCandidate() {
        List<TimelineEntry> t = new ArrayList<>();
        t.add(entry(0, 25, 5, 1, "traffic stable=75% candidate=25%", new RolloutEvent.TrafficChanged("app", at(0), TrafficSplit.weighted(25))));
        t.add(entry(30, 25, 5, 0, "success-rate PASSED: 0.99 meets >= 0.95", new RolloutEvent.MeasurementTaken("app", at(30),
                new Measurement("success-rate", Verdict.PASSED, 0.99, "0.99 meets >= 0.95", at(30)))));
        t.add(entry(60, 50, 5, 2, "traffic stable=50% candidate=50%", new RolloutEvent.TrafficChanged("app", at(60), TrafficSplit.weighted(50))));
        t.add(entry(120, 0, 2, 0, "promoted v2", new RolloutEvent.Promoted("app", at(120), "v2")));
        t.add(entry(120, 0, 2, 0, "succeeded", new RolloutEvent.Succeeded("app", at(120))));
        return new SimulationReport(Phase.SUCCEEDED, null, Duration.ofSeconds(120), t, Map.of(), 0, 3, null, null,
                List.of("2026-01-01T00:00:30Z traffic to candidate (25%) with no ready replica"), 10, 5);
    }
}
