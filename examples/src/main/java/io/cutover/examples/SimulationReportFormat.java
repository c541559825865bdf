package io.cutover.examples;

import java.time.Duration;

/** Formats virtual durations as h:mm:ss. */
final class SimulationReportFormat {

    private SimulationReportFormat() { }

    static String clock(Duration d) {
        long s = d.toSeconds();
        return String.format("%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }
}
