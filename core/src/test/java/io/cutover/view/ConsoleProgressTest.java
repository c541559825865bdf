package io.cutover.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.sim.Simulation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    @Test
    void aRolledBackCanaryReadsLineByLineWithTheSplitAtEachVerdict() {
        List<String> lines = new ArrayList<>();
        Simulation.run(TimelineRecorderTest.canary(), TimelineRecorderTest.scenario(0.2), ConsoleProgress.to(lines::add));
        assertThat(lines).containsSubsequence(
                "   0:00:00  replicas  candidate -> 1",
                "   0:00:10  traffic   stable=90% candidate=10%",
                "   0:01:10  traffic   stable=100% candidate=0%",
                "   0:01:20  rolled back: all traffic on stable, candidate scaled down");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("   0:01:10  gate      success-rate FAILED (")
                .endsWith(" misses >= 0.95) at candidate=10%"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(" {3}0:01:10  ABORT {5}gate success-rate failed: 0\\.8\\d+ misses >= 0\\.95"));
        assertThat(lines).noneMatch(l -> l.contains("step") || l.contains("PhaseChanged"));
    }

    @Test
    void writesToAPrintStreamOrAnAppendableAndCanNameTheRollout() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Simulation.run(TimelineRecorderTest.canary(), TimelineRecorderTest.scenario(0.0),
                ConsoleProgress.to(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("promoted  v2 is stable" + System.lineSeparator(), "succeeded");

        StringBuilder text = new StringBuilder();
        Simulation.run(TimelineRecorderTest.canary(), TimelineRecorderTest.scenario(0.0), ConsoleProgress.to(text).showingRolloutNames());
        assertThat(text.toString().lines()).allSatisfy(l -> assertThat(l).matches(" {3}\\d:\\d\\d:\\d\\d {2}app {2}.+"));
    }

    @Test
    void refusesNoDestination() {
        assertThatThrownBy(() -> ConsoleProgress.to((StringBuilder) null)).hasMessage("appendable");
        assertThatThrownBy(() -> ConsoleProgress.to((PrintStream) null)).hasMessage("stream");
    }
}
