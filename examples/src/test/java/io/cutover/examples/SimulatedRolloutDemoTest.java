package io.cutover.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Phase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedRolloutDemoTest {

    @Test
    void theDemoEndsEachReleaseAsItShouldAndPrintsItsTable() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<SimulatedRolloutDemo.Run> runs = SimulatedRolloutDemo.runAll(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(runs).extracting(r -> r.report().phase()).containsExactly(Phase.SUCCEEDED, Phase.ABORTED, Phase.ABORTED);
        assertThat(runs).allSatisfy(r -> assertThat(r.report().violations()).isEmpty());
        assertThat(runs.get(0).report().blastRadius()).isZero();
        assertThat(runs.get(1).report().blastRadius()).isPositive();
        assertThat(runs.get(2).report().reason()).contains("error-rate failed");
        String table = SimulatedRolloutDemo.table(runs);
        assertThat(table).contains("healthy canary", "SUCCEEDED", "ABORTED", "blast radius");
        String progress = bytes.toString(StandardCharsets.UTF_8);
        assertThat(progress).contains("traffic   stable=90% candidate=10%", "ABORT", "rolled back");
    }
}
