package io.cutover.test;

import io.cutover.Phase;
import io.cutover.event.RolloutEvent;
import io.cutover.view.RolloutTimeline;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what a rollout did, from a simulation report or a recorded timeline. Every failure message
 * says what was promised and what happened, then prints the timeline around the moment it went wrong.
 *
 * <pre>{@code
 * assertThat(report).endedIn(ABORTED).detectedWithin(ofMinutes(2)).blastRadiusAtMost(500).invariantsHeld();
 * }</pre>
 */
public final class RolloutTimelineAssert extends AbstractAssert<RolloutTimelineAssert, RolloutTimeline> {

    RolloutTimelineAssert(RolloutTimeline actual) {
        super(actual, RolloutTimelineAssert.class);
        isNotNull();
    }

    /**
     * The rollout ended in {@code phase}.
     *
     * @param phase the phase expected at the end of the report
     * @return this assertion, for chaining
     */
    public RolloutTimelineAssert endedIn(Phase phase) {
        Objects.requireNonNull(phase, "phase");
        if (actual.phase() != phase) {
            fail("to end in " + phase + ", but it ended in " + actual.phase() + (actual.reason() == null ? "" : " (" + actual.reason() + ")"),
                    -1);
        }
        return this;
    }

    /**
     * The rollout was aborted at most {@code limit} after the candidate first served users.
     *
     * @param limit the longest time to detect allowed
     * @return this assertion, for chaining
     */
    public RolloutTimelineAssert detectedWithin(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        Optional<Duration> detect = actual.timeToDetect();
        if (detect.isEmpty()) {
            fail("to be aborted within " + clock(limit) + " of the candidate's first traffic, but it was never aborted"
                    + (actual.firstCandidateTraffic().isEmpty() ? " (and the candidate never served users)" : ""), -1);
        } else if (detect.get().compareTo(limit) > 0) {
            fail("to be aborted within " + clock(limit) + " of the candidate's first traffic, but it took " + clock(detect.get())
                    + " (first traffic at " + clock(actual.firstCandidateTraffic().get()) + ", abort at " + clock(actual.abortStarted().get()) + ")",
                    indexOf(RolloutEvent.AbortStarted.class));
        }
        return this;
    }

    /**
     * Traffic was back on stable and the candidate scaled down at most {@code limit} after the abort started.
     *
     * @param limit the longest time to roll back allowed
     * @return this assertion, for chaining
     */
    public RolloutTimelineAssert rolledBackWithin(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        Optional<Duration> abort = actual.abortStarted();
        Optional<Duration> back = actual.timeToRollBack();
        if (abort.isEmpty()) {
            fail("to roll back within " + clock(limit) + ", but it was never aborted", -1);
        } else if (back.isEmpty()) {
            fail("to roll back within " + clock(limit) + " of the abort at " + clock(abort.get()) + ", but the rollback never finished",
                    indexOf(RolloutEvent.AbortStarted.class));
        } else if (back.get().compareTo(limit) > 0) {
            fail("to roll back within " + clock(limit) + ", but it took " + clock(back.get()) + " (abort at " + clock(abort.get())
                    + ", back on stable at " + clock(actual.rolledBack().get()) + ")", indexOf(RolloutEvent.RolledBack.class));
        }
        return this;
    }

    /**
     * At most {@code requests} failed requests were caused by the release (known for simulations only).
     *
     * @param requests the most failed requests the candidate may have caused
     * @return this assertion, for chaining
     */
    public RolloutTimelineAssert blastRadiusAtMost(long requests) {
        if (actual.blastRadius() == null) {
            fail("to hurt at most " + requests + " requests, but its blast radius is unknown: only a simulation counts what users saw", -1);
        } else if (actual.blastRadius() > requests) {
            fail("to hurt at most " + requests + " requests, but its blast radius was " + actual.blastRadius() + " failed requests",
                    indexOf(RolloutEvent.AbortStarted.class));
        }
        return this;
    }

    /**
     * The highest candidate weight before promotion was at least {@code percent}.
     *
     * @param percent the least peak weight expected, 0 to 100
     * @return this assertion, for chaining
     */
    public RolloutTimelineAssert trafficReached(int percent) {
        int max = actual.maxCandidateWeight();
        if (max < percent) {
            fail("to send at least " + percent + "% of traffic to the candidate, but it reached only " + max + "%", indexOfWeight(max));
        }
        return this;
    }

    /**
     * The candidate never had more than {@code percent} of users' traffic before promotion.
     *
     * @param percent the highest weight allowed, 0 to 100
     * @return this assertion, for chaining
     */
    public RolloutTimelineAssert neverExceededWeight(int percent) {
        List<RolloutTimeline.Point> points = actual.points();
        for (int i = 0; i < points.size() && !(points.get(i).event() instanceof RolloutEvent.Promoted); i++) {
            if (points.get(i).candidateWeight() > percent) {
                fail("never to send more than " + percent + "% of traffic to the candidate, but it sent " + points.get(i).candidateWeight()
                        + "% at " + clock(points.get(i).at()), i);
            }
        }
        return this;
    }

    /**
     * No request was routed to a role without a ready replica.
     *
     * @return this assertion, for chaining
     */
    public RolloutTimelineAssert neverServedUnreadyReplicas() {
        if (actual.violations() != null) {
            for (String v : actual.violations()) {
                if (v.contains("no ready replica")) {
                    fail("never to route requests to a role without ready replicas, but the simulation saw: " + v, -1);
                }
            }
        }
        if (actual.replicas() != RolloutTimeline.ReplicaCount.READY) {
            fail("never to route requests to a role without ready replicas, but its timeline counts requested replicas, not ready ones;"
                    + " record it with a readiness function", -1);
        }
        List<RolloutTimeline.Point> points = actual.points();
        boolean promoted = false;
        for (int i = 0; i < points.size(); i++) {
            RolloutTimeline.Point p = points.get(i);
            promoted |= p.event() instanceof RolloutEvent.Promoted;
            int w = p.candidateWeight();
            if (!promoted && w > 0 && p.candidateReplicas() == 0) {
                fail("never to route requests to a role without ready replicas, but at " + clock(p.at()) + " the candidate had " + w
                        + "% of traffic and no ready replica", i);
            }
            if (w < 100 && p.stableReplicas() == 0) {
                fail("never to route requests to a role without ready replicas, but at " + clock(p.at()) + " stable had " + (100 - w)
                        + "% of traffic and no ready replica", i);
            }
        }
        return this;
    }

    /**
     * The simulator's invariants held: valid weights, no traffic to unready replicas, stable capacity never short.
     *
     * @return this assertion, for chaining
     */
    public RolloutTimelineAssert invariantsHeld() {
        if (actual.violations() == null) {
            fail("to keep every invariant, but nobody checked them: only a simulation does", -1);
        } else if (!actual.violations().isEmpty()) {
            fail("to keep every invariant, but " + actual.violations().size() + " were broken:\n  " + String.join("\n  ", actual.violations()), -1);
        }
        return this;
    }

    private int indexOfWeight(int weight) {
        List<RolloutTimeline.Point> points = actual.points();
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i).candidateWeight() == weight && points.get(i).event() instanceof RolloutEvent.TrafficChanged) {
                return i;
            }
        }
        return -1;
    }

    private void fail(String what, int index) {
        failWithMessage("%s", headline(what) + TimelineExcerpt.around(actual, index));
    }

    /** The index of the first point made by an event of {@code type}; -1 when there is none. */
    private int indexOf(Class<? extends RolloutEvent> type) {
        List<RolloutTimeline.Point> points = actual.points();
        for (int i = 0; i < points.size(); i++) {
            if (type.isInstance(points.get(i).event())) {
                return i;
            }
        }
        return -1;
    }

    private String headline(String what) {
        return "Expected rollout \"" + actual.title() + "\" " + what + ".\n";
    }

    private static String clock(Duration d) {
        return RolloutTimeline.clock(d);
    }
}
