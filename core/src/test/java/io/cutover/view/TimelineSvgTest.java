package io.cutover.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The picture of a known report: a canary at 10% from 0:00:10, a failed success-rate gate at 0:01:10, the
 * abort, traffic back on stable, the rollback done at 0:01:20. The plot spans 80 seconds over 850 pixels from
 * x = 80, so x(t) = 80 + 850 t / 80; traffic runs from y = 224 (0%) up to y = 64 (100%).
 */
class TimelineSvgTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static double x(int seconds) {
        return 80 + 850 * seconds / 80.0;
    }

    static double y(int percent) {
        return 64 + 160 * (1 - percent / 100.0);
    }

    /** A vertex as the picture writes it: one decimal. */
    static String xy(double x, double y) {
        return String.format(java.util.Locale.ROOT, "%.1f,%.1f", x, y);
    }

    static List<String> vertices(Element path) {
        return SvgDom.vertices(path).stream().map(p -> xy(p[0], p[1])).toList();
    }

    static TimelineEntry entry(int second, int weight, int candidateReady, RolloutEvent event) {
        return new TimelineEntry(Duration.ofSeconds(second), weight, 5, candidateReady, event.getClass().getSimpleName(), event);
    }

    static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    static SimulationReport abortedCanary() {
        List<TimelineEntry> t = new ArrayList<>();
        t.add(entry(0, 0, 0, new RolloutEvent.StepStarted("app", at(0), 0, "deploy candidate with 1 replica")));
        t.add(entry(0, 0, 0, new RolloutEvent.ReplicasChanged("app", at(0), "candidate", 1)));
        t.add(entry(10, 10, 1, new RolloutEvent.TrafficChanged("app", at(10), TrafficSplit.weighted(10))));
        t.add(entry(10, 10, 1, new RolloutEvent.StepStarted("app", at(10), 3, "pause PT5M")));
        t.add(entry(70, 10, 1, new RolloutEvent.MeasurementTaken("app", at(70),
                new Measurement("success-rate", Verdict.FAILED, 0.8, "0.8 misses >= 0.95", at(70)))));
        t.add(entry(70, 10, 1, new RolloutEvent.MeasurementTaken("app", at(70),
                new Measurement("latency-p99", Verdict.PASSED, 0.2, "0.2 meets <= 0.5", at(70)))));
        t.add(entry(70, 10, 1, new RolloutEvent.AbortStarted("app", at(70), "gate success-rate failed")));
        t.add(entry(70, 0, 1, new RolloutEvent.TrafficChanged("app", at(70), TrafficSplit.stableOnly())));
        t.add(entry(80, 0, 0, new RolloutEvent.ReplicasChanged("app", at(80), "candidate", 0)));
        t.add(entry(80, 0, 0, new RolloutEvent.RolledBack("app", at(80), "gate success-rate failed")));
        return new SimulationReport(Phase.ABORTED, "gate success-rate failed", Duration.ofSeconds(80), t,
                Map.of("v1", 4000L, "v2", 60L), 60, 80, Duration.ofSeconds(60), Duration.ofSeconds(10), List.of(), 40, 12);
    }

    static SvgDom picture(SimulationReport report) {
        return SvgDom.parse(TimelineSvg.render(RolloutTimeline.of("canary at 20% errors", report).withRevisions("v1", "v2")));
    }

    @Test
    void theCandidatesShareStepsUpAtItsFirstTrafficAndBackToZeroAtTheAbort() {
        assertThat(vertices(picture(abortedCanary()).one("path", "traffic", "new"))).containsSubsequence(
                xy(x(10), y(0)), xy(x(10), y(10)), xy(x(70), y(10)), xy(x(70), y(0)), xy(930, y(0)));
    }

    @Test
    void stablesShareIsTheRestUpToOneHundredPercent() {
        List<double[]> edge = SvgDom.vertices(picture(abortedCanary()).one("path", "traffic", "old"));
        assertThat(edge.get(0)).containsExactly(80.0, y(100));
        assertThat(edge.get(1)).containsExactly(930.0, y(100));
        assertThat(vertices(svgOld())).contains(xy(x(10), y(10)), xy(x(70), y(10)));
    }

    static Element svgOld() {
        return picture(abortedCanary()).one("path", "traffic", "old");
    }

    @Test
    void eachVerdictIsAMarkerAtItsTimeWithValueAndConditionOnHover() {
        SvgDom svg = picture(abortedCanary());
        Element failed = svg.one("circle", "verdict", "failed");
        assertThat(SvgDom.number(failed, "cx")).isCloseTo(x(70), within(0.05));
        assertThat(failed.getAttribute("data-gate")).isEqualTo("success-rate");
        assertThat(SvgDom.title(failed)).contains("success-rate FAILED at 0:01:10", "value 0.8", "misses >= 0.95");
        Element passed = svg.one("circle", "verdict", "passed");
        assertThat(SvgDom.title(passed)).contains("latency-p99 PASSED", "value 0.2", "meets <= 0.5");
        assertThat(SvgDom.number(passed, "cy")).as("second gate, second lane").isEqualTo(SvgDom.number(failed, "cy") + 7);
    }

    @Test
    void theAbortAndTheRollbacksEndAreLinesAtTheirInstants() {
        SvgDom svg = picture(abortedCanary());
        Element abort = (Element) svg.one("g", "mark", "abort").getElementsByTagNameNS("*", "line").item(0);
        assertThat(SvgDom.number(abort, "x1")).isCloseTo(x(70), within(0.05));
        Element back = (Element) svg.one("g", "mark", "rolled-back").getElementsByTagNameNS("*", "line").item(0);
        assertThat(SvgDom.number(back, "x1")).isCloseTo(x(80), within(0.05));
        assertThat(svg.all("g", "mark", "promoted")).isEmpty();
    }

    @Test
    void theBlastRadiusCoversTheTimeUsersReachedTheRolledBackCandidate() {
        SvgDom svg = picture(abortedCanary());
        Element exposure = svg.one("rect", "exposure");
        assertThat(SvgDom.number(exposure, "x")).isCloseTo(x(10), within(0.05));
        assertThat(SvgDom.number(exposure, "width")).isCloseTo(x(80) - x(10), within(0.1));
        assertThat(SvgDom.title(exposure)).contains("from 0:00:10 to 0:01:20", "blast radius 60 failed requests");
        assertThat(svg.one("text", "facts").getTextContent()).contains("ABORTED after 0:01:20", "blast radius 60",
                "detected in 0:01:00", "rolled back in 0:00:10", "invariants held");
    }

    @Test
    void aPauseIsABandUntilTheNextStepOrTheAbort() {
        Element pause = picture(abortedCanary()).one("rect", "band", "pause");
        assertThat(SvgDom.number(pause, "x")).isCloseTo(x(10), within(0.05));
        assertThat(SvgDom.number(pause, "width")).isCloseTo(x(70) - x(10), within(0.1));
        assertThat(SvgDom.title(pause)).contains("pause PT5M");
    }

    @Test
    void readyReplicasPerRoleAreStepLines() {
        SvgDom svg = picture(abortedCanary());
        // five stable replicas are the top of the replica chart (y = 272), zero its bottom (y = 362)
        List<double[]> stable = SvgDom.vertices(svg.one("path", "replicas", "stable"));
        assertThat(stable).allSatisfy(p -> assertThat(p[1]).isEqualTo(272.0));
        assertThat(vertices(svg.one("path", "replicas", "candidate"))).containsSubsequence(
                xy(80, 362), xy(x(10), 362), xy(x(10), 344), xy(x(80), 344), xy(x(80), 362));
    }

    @Test
    void afterPromotionTheNewRevisionCarriesAllTraffic() {
        List<TimelineEntry> t = List.of(
                entry(0, 50, 2, new RolloutEvent.TrafficChanged("app", at(0), TrafficSplit.weighted(50))),
                entry(40, 0, 0, new RolloutEvent.Promoted("app", at(40), "v2")),
                entry(80, 0, 0, new RolloutEvent.Succeeded("app", at(80))));
        SimulationReport report = new SimulationReport(Phase.SUCCEEDED, null, Duration.ofSeconds(80), t, Map.of(), 0, 0, null, null,
                List.of(), 1, 1);
        SvgDom svg = picture(report);
        assertThat(vertices(svg.one("path", "traffic", "new"))).containsSubsequence(xy(x(0), y(50)), xy(x(40), y(50)), xy(x(40), y(100)), xy(930, y(100)));
        Element promoted = (Element) svg.one("g", "mark", "promoted").getElementsByTagNameNS("*", "line").item(0);
        assertThat(SvgDom.number(promoted, "x1")).isCloseTo(x(40), within(0.05));
        assertThat(svg.all("rect", "exposure")).as("a promoted candidate hurt nobody by rolling back").isEmpty();
    }

    @Test
    void textFromUsersIsEscaped() {
        List<TimelineEntry> t = List.of(entry(0, 0, 0, new RolloutEvent.AbortStarted("app", at(0), "<script>alert('x')</script> & co")));
        SimulationReport report = new SimulationReport(Phase.ABORTED, "<script>alert('x')</script> & co", Duration.ofSeconds(1), t,
                Map.of(), 0, 0, null, null, List.of(), 0, 0);
        String svg = TimelineSvg.render(RolloutTimeline.of("a <b> title", report));
        assertThat(svg).doesNotContain("<script", "<b>").contains("&lt;script&gt;", "a &lt;b&gt; title");
        assertThat(SvgDom.parse(svg).one("text", "reason").getTextContent()).startsWith("<script>alert('x')</script> & co");
    }
}
