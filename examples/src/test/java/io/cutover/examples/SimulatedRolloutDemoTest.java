package io.cutover.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Phase;
import io.cutover.test.CutoverAssertions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedRolloutDemoTest {

    @Test
    void theDemoEndsEachReleaseAsItShouldAndPrintsItsTable() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<SimulatedRolloutDemo.Run> runs = SimulatedRolloutDemo.runAll(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        CutoverAssertions.assertThat(runs.get(0).report()).endedIn(Phase.SUCCEEDED).blastRadiusAtMost(0).invariantsHeld();
        CutoverAssertions.assertThat(runs.get(1).report()).endedIn(Phase.ABORTED).detectedWithin(Duration.ofMinutes(2))
                .neverExceededWeight(10).invariantsHeld();
        CutoverAssertions.assertThat(runs.get(2).report()).endedIn(Phase.ABORTED).rolledBackWithin(Duration.ofMinutes(1)).invariantsHeld();
        assertThat(runs.get(1).report().blastRadius()).isPositive();
        assertThat(runs.get(2).report().reason()).contains("error-rate failed");
        String table = SimulatedRolloutDemo.table(runs);
        assertThat(table).contains("healthy canary", "SUCCEEDED", "ABORTED", "blast radius");
        String progress = bytes.toString(StandardCharsets.UTF_8);
        assertThat(progress).contains("traffic   stable=90% candidate=10%", "ABORT", "rolled back");
        assertThat(progress).containsPattern("gate {6}success-rate FAILED \\(0\\.\\d+ misses >= 0\\.95\\) at candidate=10%");
    }

    @Test
    void theDemoDrawsItsThreeReleasesInOnePicture(@TempDir Path dir) throws IOException {
        List<SimulatedRolloutDemo.Run> runs = SimulatedRolloutDemo.runAll(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        Path file = SimulatedRolloutDemo.writePicture(dir.resolve("timeline.html"), runs);
        String html = Files.readString(file);
        assertThat(html.split("<svg ", -1)).hasSize(4);
        assertThat(html).contains("healthy canary", "canary at 20% errors", "blue-green, failing post-promotion", "v1.0.0 (stable at the start)",
                "class=\"mark promoted\"", "class=\"mark abort\"", "class=\"exposure\"").doesNotContain("<script");
    }
}
