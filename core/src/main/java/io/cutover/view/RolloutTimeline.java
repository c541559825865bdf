package io.cutover.view;

import io.cutover.Phase;
import io.cutover.event.RolloutEvent;
import io.cutover.sim.SimulationReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What happened to one rollout, moment by moment: the data behind the timeline picture and the testkit's
 * assertions. Take it from a simulation ({@link #of(String, SimulationReport)}) or record it from any engine
 * with a {@link TimelineRecorder}.
 *
 * @param title             what the picture calls this rollout
 * @param stableRevision    the revision stable ran at the start ({@code "stable"} when unknown)
 * @param candidateRevision the revision rolled out ({@code "candidate"} when unknown)
 * @param phase             the phase at the end of the timeline
 * @param reason            why it aborted, failed or paused; {@code null} otherwise
 * @param end               time from the start to the end of the timeline
 * @param points            every moment, in order, each with the event that made it
 * @param replicas          what the replica counts of the points are
 * @param blastRadius       failed requests the release caused, when known (a simulation knows, a live rollout does not)
 * @param violations        invariant violations a simulation found; {@code null} when nobody checked
 */
public record RolloutTimeline(String title, String stableRevision, String candidateRevision, Phase phase, String reason,
                              Duration end, List<Point> points, ReplicaCount replicas, Long blastRadius,
                              List<String> violations) {

    /** What the replica counts of a timeline's points mean. */
    public enum ReplicaCount {
        /** Replicas ready to serve, as the platform reported them. */
        READY,
        /** Replicas the engine asked for; a live event stream knows no more without reading the platform. */
        REQUESTED
    }

    /**
     * One moment.
     *
     * @param at              time since the start
     * @param candidateWeight percent of users' requests routed to the candidate role
     * @param stableReplicas  replicas of the stable role (ready or requested, see {@link RolloutTimeline#replicas()}); -1 when unknown
     * @param candidateReplicas replicas of the candidate role
     * @param event           the event of this moment; {@code null} when unknown
     * @param text            the moment in words
     */
    public record Point(Duration at, int candidateWeight, int stableReplicas, int candidateReplicas, RolloutEvent event,
                        String text) {
        /**
         * Checks that the instant and text are given.
         *
         * @param at                time since the start
         * @param candidateWeight   percent of users' requests routed to the candidate role
         * @param stableReplicas    replicas of the stable role; -1 when unknown
         * @param candidateReplicas replicas of the candidate role
         * @param event             the event of this moment; {@code null} when unknown
         * @param text              the moment in words
         */
        public Point {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String toString() {
            return String.format("%8s  weight %3d%%  stable %2d  candidate %2d  %s", clock(at), candidateWeight, stableReplicas,
                    candidateReplicas, text);
        }
    }

    /**
     * Checks that the names, phase and end are given and copies the lists.
     *
     * @param title             the picture's title
     * @param stableRevision    the name of the revision stable ran at the start
     * @param candidateRevision the candidate's name
     * @param phase             how the rollout ended, or where it stands
     * @param reason            why it aborted, failed or paused; {@code null} otherwise
     * @param end               time from the start to the last point
     * @param points            the moments, in time order
     * @param replicas          what the points' replica counts mean
     * @param blastRadius       failed requests the release caused, or {@code null} when nothing counted them
     * @param violations        invariant violations found, or {@code null} when nobody checked
     */
    public RolloutTimeline {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(stableRevision, "stableRevision");
        Objects.requireNonNull(candidateRevision, "candidateRevision");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(replicas, "replicas");
        points = List.copyOf(points);
        violations = violations == null ? null : List.copyOf(violations);
    }

    /**
     * The timeline of a simulated rollout; the candidate's name comes from its promotion when there was one.
     *
     * @param title  the picture's title
     * @param report the simulation's report
     * @return the timeline
     */
    public static RolloutTimeline of(String title, SimulationReport report) {
        List<Point> points = new ArrayList<>();
        String candidate = "candidate";
        for (SimulationReport.TimelineEntry e : report.timeline()) {
            points.add(new Point(e.at(), e.candidateWeight(), e.stableReady(), e.candidateReady(), e.event(), e.what()));
            if (e.event() instanceof RolloutEvent.Promoted p) {
                candidate = p.revision();
            }
        }
        return new RolloutTimeline(title, "stable", candidate, report.phase(), report.reason(), report.duration(), points,
                ReplicaCount.READY, report.blastRadius(), report.violations());
    }

    /**
     * The same timeline with the revisions' names, for the picture's legend.
     *
     * @param stable    the name of the revision stable ran at the start
     * @param candidate the candidate's name
     * @return a copy with these names
     */
    public RolloutTimeline withRevisions(String stable, String candidate) {
        return new RolloutTimeline(title, stable, candidate, phase, reason, end, points, replicas, blastRadius, violations);
    }

    /**
     * The same timeline under another title.
     *
     * @param newTitle the title
     * @return a copy with this title
     */
    public RolloutTimeline withTitle(String newTitle) {
        return new RolloutTimeline(newTitle, stableRevision, candidateRevision, phase, reason, end, points, replicas, blastRadius,
                violations);
    }

    /**
     * The blast radius, when something counted it.
     *
     * @return the count, or empty for a live timeline
     */
    public OptionalLong blastRadiusIfKnown() {
        return blastRadius == null ? OptionalLong.empty() : OptionalLong.of(blastRadius);
    }

    /**
     * When users' requests first reached the candidate (by weight or header route).
     *
     * @return time since the start, or empty when it never did
     */
    public Optional<Duration> firstCandidateTraffic() {
        for (Point p : points) {
            if (p.event() instanceof RolloutEvent.TrafficChanged t && (t.split().candidateWeight() > 0 || !t.split().candidateMatches().isEmpty())) {
                return Optional.of(p.at());
            }
        }
        return Optional.empty();
    }

    /**
     * When the abort started.
     *
     * @return time since the start, or empty when there was no abort
     */
    public Optional<Duration> abortStarted() {
        return first(RolloutEvent.AbortStarted.class);
    }

    /**
     * When traffic was confirmed back on stable after an abort.
     *
     * @return time since the start, or empty when there was no rollback
     */
    public Optional<Duration> rolledBack() {
        return first(RolloutEvent.RolledBack.class);
    }

    /**
     * When the candidate became stable.
     *
     * @return time since the start, or empty when there was no promotion
     */
    public Optional<Duration> promoted() {
        return first(RolloutEvent.Promoted.class);
    }

    /**
     * When the rollout failed to reach a safe state.
     *
     * @return time since the start, or empty when it did not fail
     */
    public Optional<Duration> failed() {
        return first(RolloutEvent.Failed.class);
    }

    /**
     * From the candidate's first user traffic to the start of the abort.
     *
     * @return the time to detect, or empty without an abort after user traffic
     */
    public Optional<Duration> timeToDetect() {
        return firstCandidateTraffic().flatMap(t -> abortStarted().map(a -> a.minus(t)));
    }

    /**
     * From the start of the abort to traffic back on stable.
     *
     * @return the time to roll back, or empty without a finished rollback
     */
    public Optional<Duration> timeToRollBack() {
        return abortStarted().flatMap(a -> rolledBack().map(r -> r.minus(a)));
    }

    /**
     * The highest candidate weight before promotion (after it, the candidate is stable).
     *
     * @return the weight, 0 to 100
     */
    public int maxCandidateWeight() {
        int max = 0;
        for (Point p : points) {
            if (p.event() instanceof RolloutEvent.Promoted) {
                break;
            }
            max = Math.max(max, p.candidateWeight());
        }
        return max;
    }

    private Optional<Duration> first(Class<? extends RolloutEvent> type) {
        return points.stream().filter(p -> type.isInstance(p.event())).map(Point::at).findFirst();
    }

    /**
     * The whole timeline, one point a line.
     *
     * @return the text, one line per point
     */
    public String text() {
        StringBuilder s = new StringBuilder(title).append(": ").append(phase);
        if (reason != null) {
            s.append(" (").append(reason).append(')');
        }
        s.append('\n');
        points.forEach(p -> s.append(p).append('\n'));
        return s.toString();
    }

    /**
     * Formats a duration as h:mm:ss.
     *
     * @param d a duration, not negative
     * @return the duration as {@code h:mm:ss}
     */
    public static String clock(Duration d) {
        long s = d.toSeconds();
        return String.format("%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }
}
