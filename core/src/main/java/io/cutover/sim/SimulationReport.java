package io.cutover.sim;

import io.cutover.Phase;
import io.cutover.event.RolloutEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a simulated rollout did.
 *
 * @param phase              how it ended (PAUSED when it waited for a person, or the limit was reached)
 * @param reason             why it aborted, failed or paused; {@code null} on success
 * @param duration           virtual time from start to end
 * @param timeline           what happened when: weights, replicas, verdicts, phases
 * @param requestsByRevision requests each revision served (users' and mirrored)
 * @param blastRadius        failed requests users saw that the release caused: the new revision's errors above
 *                           the old revision's error rate, and requests sent where no replica was ready. A
 *                           healthy candidate's blast radius is about zero: this is the number to hold a
 *                           release strategy to
 * @param failedRequests     every failed request users saw during the run, the old revision's own background
 *                           errors included, so it is above zero even for a perfect release (a stable revision
 *                           at 0.5% errors serving 250,000 requests fails about 1,250 of them on its own)
 * @param timeToDetect       from the candidate's first traffic (weighted, header-routed or mirrored) to the start
 *                           of the abort; {@code null} without abort
 * @param timeToRollBack     from the start of the abort to traffic confirmed on stable; {@code null} without abort
 * @param violations         invariant violations: invalid weights, traffic to unready replicas, capacity short
 * @param platformReads      SPI reads the engine made
 * @param platformWrites     SPI writes the engine made
 */
public record SimulationReport(Phase phase, String reason, Duration duration, List<TimelineEntry> timeline,
                               Map<String, Long> requestsByRevision, long blastRadius, long failedRequests, Duration timeToDetect,
                               Duration timeToRollBack, List<String> violations, long platformReads, long platformWrites) {

    /**
     * One moment of the rollout.
     *
     * @param event the event that made this entry, for pictures and assertions; {@code null} when unknown
     */
    public record TimelineEntry(Duration at, int candidateWeight, int stableReady, int candidateReady, String what,
                                RolloutEvent event) {

        /**
         * An entry without its event.
         *
         * @param at              time since the start
         * @param candidateWeight the candidate's percent of users' requests
         * @param stableReady     stable's ready replicas
         * @param candidateReady  the candidate's ready replicas
         * @param what            the moment in words
         */
        public TimelineEntry(Duration at, int candidateWeight, int stableReady, int candidateReady, String what) {
            this(at, candidateWeight, stableReady, candidateReady, what, null);
        }

        @Override
        public String toString() {
            return String.format("%8s  weight %3d%%  stable %2d  candidate %2d  %s", format(at), candidateWeight, stableReady,
                    candidateReady, what);
        }
    }

    /**
     * Whether the simulator's invariants held throughout: valid weights, no traffic to unready replicas,
     * stable capacity never short while it carried traffic.
     *
     * @return {@code true} when {@link #violations()} is empty
     */
    public boolean invariantsHeld() {
        return violations.isEmpty();
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return String.format("%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }

    /**
     * A few lines for people.
     *
     * @return the phase, duration, requests per revision, blast radius, failed requests and the times to detect and roll back
     */
    public String summary() {
        return phase + (reason == null ? "" : " (" + reason + ")") + " after " + format(duration)
                + ", blast radius " + blastRadius + " failed requests"
                + (timeToDetect == null ? "" : ", detected in " + format(timeToDetect))
                + (timeToRollBack == null ? "" : ", rolled back in " + format(timeToRollBack))
                + ", invariants " + (violations.isEmpty() ? "held" : "violated " + violations.size() + " times");
    }
}
