package io.cutover.test;

import io.cutover.view.RolloutTimeline;
import java.util.List;

/** The lines of a timeline around one moment, the moment marked, for failure messages. */
final class TimelineExcerpt {

    static final int AROUND = 4;

    private TimelineExcerpt() { }

    /** The lines around the point at {@code index}; the last lines when the index is negative. */
    static String around(RolloutTimeline timeline, int index) {
        List<RolloutTimeline.Point> points = timeline.points();
        if (points.isEmpty()) {
            return "(the timeline is empty)";
        }
        int focus = index < 0 ? points.size() - 1 : Math.min(index, points.size() - 1);
        int from = Math.max(0, focus - AROUND);
        int to = Math.min(points.size(), focus + AROUND + 1);
        StringBuilder s = new StringBuilder("Timeline of \"" + timeline.title() + "\" around " + RolloutTimeline.clock(points.get(focus).at())
                + " (" + points.size() + " moments):\n");
        if (from > 0) {
            s.append("     ... ").append(from).append(" earlier\n");
        }
        for (int i = from; i < to; i++) {
            s.append(i == focus ? "  >> " : "     ").append(points.get(i)).append('\n');
        }
        if (to < points.size()) {
            s.append("     ... ").append(points.size() - to).append(" later\n");
        }
        return s.toString();
    }
}
