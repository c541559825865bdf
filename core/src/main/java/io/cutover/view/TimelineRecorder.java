package io.cutover.view;

import io.cutover.Phase;
import io.cutover.event.RolloutEvent;
import io.cutover.event.RolloutListener;
import io.cutover.spi.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntBiFunction;

/**
 * Records the timeline of every rollout an engine runs, from its events: give it to any engine as a
 * listener, then draw {@link #timelines()} with {@link TimelineHtml}. Safe to call from any thread.
 *
 * <pre>{@code
 * TimelineRecorder recorder = new TimelineRecorder();
 * RolloutEngine engine = RolloutEngine.builder().onEvent(recorder).build();
 * ...
 * TimelineHtml.write(Path.of("target/rollouts.html"), recorder.timelines());
 * }</pre>
 *
 * Events say how many replicas the engine asked for, not how many are ready; to draw ready replicas,
 * construct it with a function that reads them (it is called on the listener's thread at every event, so it
 * should be cheap, and it must not throw).
 */
public final class TimelineRecorder implements RolloutListener {

    private final ToIntBiFunction<String, Role> readiness;
    private final Map<String, Recording> recordings = new LinkedHashMap<>();

    /** Records requested replica counts. */
    public TimelineRecorder() {
        this.readiness = null;
    }

    /**
     * Records ready replicas as {@code readiness} reports them.
     *
     * @param readiness ready replicas of a rollout's role: {@code (rolloutName, role) -> count}
     */
    public TimelineRecorder(ToIntBiFunction<String, Role> readiness) {
        this.readiness = Objects.requireNonNull(readiness, "readiness");
    }

    @Override
    public synchronized void onEvent(RolloutEvent event) {
        recordings.computeIfAbsent(event.rollout(), name -> new Recording(event.at())).add(event);
    }

    /**
     * The timeline of every rollout seen so far, in the order they started.
     *
     * @return the timelines, each up to the last event seen
     */
    public synchronized List<RolloutTimeline> timelines() {
        List<RolloutTimeline> all = new ArrayList<>();
        recordings.forEach((name, r) -> all.add(r.timeline(name)));
        return all;
    }

    /**
     * The timeline of one rollout, if it was seen.
     *
     * @param rollout the rollout's name
     * @return its timeline up to the last event seen, or empty
     */
    public synchronized Optional<RolloutTimeline> timeline(String rollout) {
        Recording r = recordings.get(rollout);
        return r == null ? Optional.empty() : Optional.of(r.timeline(rollout));
    }

    private final class Recording {
        private final Instant start;
        private final List<RolloutTimeline.Point> points = new ArrayList<>();
        private Instant last;
        private int weight;
        private int stable = -1; // unknown until an event or the readiness function says
        private int candidate;
        private Phase phase = Phase.PENDING;
        private String reason;
        private String candidateName = "candidate";

        Recording(Instant start) {
            this.start = start;
            this.last = start;
        }

        void add(RolloutEvent event) {
            if (event.at().isAfter(last)) {
                last = event.at();
            }
            if (event instanceof RolloutEvent.PhaseChanged p) {
                phase = p.phase();
                reason = p.reason();
                return;
            }
            if (event instanceof RolloutEvent.TrafficChanged t) {
                weight = t.split().candidateWeight();
            } else if (event instanceof RolloutEvent.Promoted p) {
                weight = 0;
                candidateName = p.revision();
                stable = candidate; // the candidate's replicas are stable's now
                candidate = 0;
            } else if (event instanceof RolloutEvent.ReplicasChanged r && readiness == null) {
                if (Role.STABLE.name().equalsIgnoreCase(r.role())) {
                    stable = r.replicas();
                } else {
                    candidate = r.replicas();
                }
            }
            if (readiness != null) {
                stable = readiness.applyAsInt(event.rollout(), Role.STABLE);
                candidate = readiness.applyAsInt(event.rollout(), Role.CANDIDATE);
            }
            points.add(new RolloutTimeline.Point(Duration.between(start, event.at()), weight, stable, candidate, event,
                    ConsoleProgress.describe(event)));
        }

        RolloutTimeline timeline(String name) {
            return new RolloutTimeline(name, "stable", candidateName, phase, reason, Duration.between(start, last), points,
                    readiness == null ? RolloutTimeline.ReplicaCount.REQUESTED : RolloutTimeline.ReplicaCount.READY, null, null);
        }
    }
}
