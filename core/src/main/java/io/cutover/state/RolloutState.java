package io.cutover.state;

import io.cutover.Phase;
import io.cutover.gate.Measurement;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything an engine needs to continue a rollout, saved after every transition.
 *
 * @param name             the rollout's name (the key in the state store)
 * @param application      the application the target serves
 * @param candidate        the revision being rolled out
 * @param planFingerprint  identifies the plan; a resume with another plan is refused
 * @param phase            where the rollout stands
 * @param reason           why it is paused, aborting, aborted or failed; {@code null} otherwise
 * @param stepIndex        the plan step being run (or the rollback step while aborting)
 * @param stepStartedAt    when that step started: timed pauses end at this instant plus their duration
 * @param split            the traffic split last written and confirmed
 * @param stableReplicas   the stable replica count when the rollout started: the capacity to return to
 * @param stableRevision   the revision stable ran when the rollout started
 * @param analysis         counters of the current step's analysis
 * @param background       counters of the background gates
 * @param attempts         failed platform calls in the current step (the retry budget spent)
 * @param fullPromotion    a person asked to skip the remaining pauses and analyses
 * @param promoted         the candidate has become stable: there is nothing to roll back to
 * @param startedAt        when the rollout started
 * @param updatedAt        when this state was made
 * @param measurements     the latest measurements (at most {@value #KEPT_MEASUREMENTS})
 * @param history          what happened (at most {@value #KEPT_HISTORY} lines, newest last)
 * @param owner            the engine that last claimed the rollout, or {@code null} before the first claim
 * @param epoch            how many times the rollout has been claimed; an engine may write (state or
 *                         platform) only while the stored epoch is still the one it claimed
 * @param supersededBy     the revision that takes over once this rollout is rolled back ({@code update}),
 *                         or {@code null}: whichever engine ends the rollback starts it
 */
public record RolloutState(String name, String application, Revision candidate, String planFingerprint,
                           Phase phase, String reason, int stepIndex, Instant stepStartedAt, TrafficSplit split,
                           int stableReplicas, String stableRevision, AnalysisProgress analysis,
                           AnalysisProgress background, int attempts, boolean fullPromotion, boolean promoted,
                           Instant startedAt, Instant updatedAt, List<Measurement> measurements,
                           List<HistoryEntry> history, String owner, long epoch, Revision supersededBy) {

    /** How many of the latest measurements a state keeps. */
    public static final int KEPT_MEASUREMENTS = 20;
    /** How many history lines a state keeps, newest last. */
    public static final int KEPT_HISTORY = 60;

    /**
     * Checks the name, phase and split are given, puts empty analysis counters in place of {@code null}
     * and copies the lists.
     *
     * @param name            the rollout's name
     * @param application     the application the target serves
     * @param candidate       the revision being rolled out
     * @param planFingerprint identifies the plan
     * @param phase           where the rollout stands
     * @param reason          why it is paused, aborting, aborted or failed, or {@code null}
     * @param stepIndex       the plan step being run, counted from 0
     * @param stepStartedAt   when that step started
     * @param split           the traffic split last written and confirmed
     * @param stableReplicas  stable's replica count when the rollout started
     * @param stableRevision  the revision stable ran when the rollout started
     * @param analysis        counters of the current step's analysis
     * @param background      counters of the background gates
     * @param attempts        failed platform calls in the current step
     * @param fullPromotion   a person asked to skip the remaining pauses and analyses
     * @param promoted        the candidate has become stable
     * @param startedAt       when the rollout started
     * @param updatedAt       when this state was made
     * @param measurements    the latest measurements
     * @param history         what happened, newest last
     * @param owner           the engine that last claimed the rollout, or {@code null}
     * @param epoch           how many times the rollout has been claimed
     * @param supersededBy    the revision that takes over once the rollback ends, or {@code null}
     */
    public RolloutState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(split, "split");
        analysis = analysis == null ? AnalysisProgress.NONE : analysis;
        background = background == null ? AnalysisProgress.NONE : background;
        measurements = List.copyOf(measurements == null ? List.of() : measurements);
        history = List.copyOf(history == null ? List.of() : history);
    }

    /**
     * A state that no update supersedes (the form before {@code supersededBy} existed).
     *
     * @param name            the rollout's name
     * @param application     the application the target serves
     * @param candidate       the revision being rolled out
     * @param planFingerprint identifies the plan
     * @param phase           where the rollout stands
     * @param reason          why it is paused, aborting, aborted or failed, or {@code null}
     * @param stepIndex       the plan step being run, counted from 0
     * @param stepStartedAt   when that step started
     * @param split           the traffic split last written and confirmed
     * @param stableReplicas  stable's replica count when the rollout started
     * @param stableRevision  the revision stable ran when the rollout started
     * @param analysis        counters of the current step's analysis
     * @param background      counters of the background gates
     * @param attempts        failed platform calls in the current step
     * @param fullPromotion   a person asked to skip the remaining pauses and analyses
     * @param promoted        the candidate has become stable
     * @param startedAt       when the rollout started
     * @param updatedAt       when this state was made
     * @param measurements    the latest measurements
     * @param history         what happened, newest last
     * @param owner           the engine that last claimed the rollout, or {@code null}
     * @param epoch           how many times the rollout has been claimed
     */
    public RolloutState(String name, String application, Revision candidate, String planFingerprint,
                        Phase phase, String reason, int stepIndex, Instant stepStartedAt, TrafficSplit split,
                        int stableReplicas, String stableRevision, AnalysisProgress analysis,
                        AnalysisProgress background, int attempts, boolean fullPromotion, boolean promoted,
                        Instant startedAt, Instant updatedAt, List<Measurement> measurements,
                        List<HistoryEntry> history, String owner, long epoch) {
        this(name, application, candidate, planFingerprint, phase, reason, stepIndex, stepStartedAt, split, stableReplicas,
                stableRevision, analysis, background, attempts, fullPromotion, promoted, startedAt, updatedAt, measurements,
                history, owner, epoch, null);
    }

    /**
     * A mutable copy of this state, for making the next one.
     *
     * @return a builder holding every field of this state
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The step being run counted from 1, as {@link io.cutover.plan.Plan#describe()} and a rollout's
     * {@code toString()} number steps for people. {@link #stepIndex()} is the same step counted from
     * 0: its index in {@link io.cutover.plan.Plan#steps()} (or in the rollback plan while aborting).
     *
     * @return {@code stepIndex() + 1}
     */
    public int stepNumber() {
        return stepIndex + 1;
    }

    /**
     * A mutable copy for making the next state; {@link #build()} gives an immutable one. It knows
     * whether anything differs from the state it came from, so an engine saves only real changes.
     */
    public static final class Builder {
        private final RolloutState source;
        private boolean changed;
        private Phase phase;
        private String reason;
        private int stepIndex;
        private Instant stepStartedAt;
        private TrafficSplit split;
        private int stableReplicas;
        private String stableRevision;
        private AnalysisProgress analysis;
        private AnalysisProgress background;
        private int attempts;
        private boolean fullPromotion;
        private boolean promoted;
        private Instant updatedAt;
        private List<Measurement> measurements;
        private List<HistoryEntry> history;
        private String owner;
        private long epoch;
        private Revision supersededBy;

        private Builder(RolloutState s) {
            source = s;
            phase = s.phase; reason = s.reason; stepIndex = s.stepIndex; stepStartedAt = s.stepStartedAt;
            split = s.split; stableReplicas = s.stableReplicas; stableRevision = s.stableRevision;
            analysis = s.analysis; background = s.background; attempts = s.attempts;
            fullPromotion = s.fullPromotion; promoted = s.promoted; updatedAt = s.updatedAt;
            measurements = s.measurements; history = s.history; owner = s.owner; epoch = s.epoch;
            supersededBy = s.supersededBy;
        }

        private <T> T mark(T before, T after) {
            changed |= !Objects.equals(before, after);
            return after;
        }

        /**
         * Sets the phase and its reason.
         *
         * @param phase  the new phase
         * @param reason why, or {@code null} for a phase that needs none
         * @return this builder
         */
        public Builder phase(Phase phase, String reason) {
            this.phase = mark(this.phase, phase);
            this.reason = mark(this.reason, reason);
            return this;
        }

        /**
         * Moves to step {@code index}, started at {@code startedAt}, with fresh analysis counters and no failed attempts.
         *
         * @param index     the step's index in the plan, counted from 0
         * @param startedAt when it started
         * @return this builder
         */
        public Builder step(int index, Instant startedAt) {
            this.stepIndex = mark(this.stepIndex, index);
            this.stepStartedAt = mark(this.stepStartedAt, startedAt);
            this.analysis = mark(this.analysis, AnalysisProgress.NONE);
            this.attempts = mark(this.attempts, 0);
            return this;
        }

        /**
         * Sets the traffic split confirmed on the platform.
         *
         * @param split the split
         * @return this builder
         */
        public Builder split(TrafficSplit split) { this.split = mark(this.split, split); return this; }
        /**
         * Sets stable's replica count and revision to return to.
         *
         * @param replicas stable's replica count
         * @param revision the revision stable runs
         * @return this builder
         */
        public Builder stable(int replicas, String revision) {
            this.stableReplicas = mark(this.stableReplicas, replicas);
            this.stableRevision = mark(this.stableRevision, revision);
            return this;
        }
        /**
         * Sets the current step's analysis counters.
         *
         * @param analysis the counters
         * @return this builder
         */
        public Builder analysis(AnalysisProgress analysis) { this.analysis = mark(this.analysis, analysis); return this; }
        /**
         * Sets the background gates' counters.
         *
         * @param background the counters
         * @return this builder
         */
        public Builder background(AnalysisProgress background) { this.background = mark(this.background, background); return this; }
        /**
         * Sets the failed platform calls of the current step.
         *
         * @param attempts 0 or more
         * @return this builder
         */
        public Builder attempts(int attempts) { this.attempts = mark(this.attempts, attempts); return this; }
        /**
         * Sets whether a person asked to skip the remaining pauses and analyses.
         *
         * @param fullPromotion the request
         * @return this builder
         */
        public Builder fullPromotion(boolean fullPromotion) { this.fullPromotion = mark(this.fullPromotion, fullPromotion); return this; }
        /**
         * Sets whether the candidate has become stable.
         *
         * @param promoted {@code true} after promotion
         * @return this builder
         */
        public Builder promoted(boolean promoted) { this.promoted = mark(this.promoted, promoted); return this; }
        /**
         * Claims the rollout for {@code owner} under {@code epoch} (one more than the stored one).
         *
         * @param owner the claiming engine's name
         * @param epoch the new epoch
         * @return this builder
         */
        public Builder claim(String owner, long epoch) {
            this.owner = mark(this.owner, owner);
            this.epoch = mark(this.epoch, epoch);
            return this;
        }
        /**
         * Sets the revision that takes over once the rollback ends.
         *
         * @param next the revision, or {@code null} for none
         * @return this builder
         */
        public Builder supersededBy(Revision next) { this.supersededBy = mark(this.supersededBy, next); return this; }

        /**
         * Sets when the new state is made.
         *
         * @param at the instant
         * @return this builder
         */
        public Builder updatedAt(Instant at) { this.updatedAt = mark(this.updatedAt, at); return this; }

        /**
         * Appends a measurement, dropping the oldest beyond {@value RolloutState#KEPT_MEASUREMENTS}.
         *
         * @param m the measurement
         * @return this builder
         */
        public Builder measured(Measurement m) {
            measurements = append(measurements, m, KEPT_MEASUREMENTS);
            return this;
        }

        /**
         * Appends a history line, dropping the oldest beyond {@value RolloutState#KEPT_HISTORY}.
         *
         * @param at   when it happened
         * @param what what happened, in a few words
         * @return this builder
         */
        public Builder note(Instant at, String what) {
            history = append(history, new HistoryEntry(at, what), KEPT_HISTORY);
            return this;
        }

        private <T> List<T> append(List<T> list, T item, int keep) {
            List<T> copy = new ArrayList<>(Math.min(list.size() + 1, keep + 1));
            copy.addAll(list.size() >= keep ? list.subList(list.size() - keep + 1, list.size()) : list);
            copy.add(item);
            changed = true;
            return copy;
        }

        /**
         * Whether anything differs from the state this builder started from.
         *
         * @return {@code true} when a setter changed a field or a line was appended
         */
        public boolean changed() {
            return changed;
        }

        /**
         * The phase being built.
         *
         * @return the phase
         */
        public Phase phase() { return phase; }
        /**
         * The step index being built.
         *
         * @return the index, counted from 0
         */
        public int stepIndex() { return stepIndex; }
        /**
         * The split being built.
         *
         * @return the split
         */
        public TrafficSplit split() { return split; }
        /**
         * The step's analysis counters being built.
         *
         * @return the counters
         */
        public AnalysisProgress analysis() { return analysis; }
        /**
         * The background counters being built.
         *
         * @return the counters
         */
        public AnalysisProgress background() { return background; }
        /**
         * The failed attempts being built.
         *
         * @return the count
         */
        public int attempts() { return attempts; }
        /**
         * Whether the state being built is promoted.
         *
         * @return {@code true} after promotion
         */
        public boolean promoted() { return promoted; }
        /**
         * The revision that takes over once the rollback ends, in the state being built.
         *
         * @return the revision, or {@code null} for none
         */
        public Revision supersededBy() { return supersededBy; }

        /**
         * Builds the next state.
         *
         * @return the state this builder came from when nothing changed, else a new state
         */
        public RolloutState build() {
            if (!changed) {
                return source;
            }
            return new RolloutState(source.name, source.application, source.candidate, source.planFingerprint, phase, reason,
                    stepIndex, stepStartedAt, split, stableReplicas, stableRevision, analysis, background, attempts,
                    fullPromotion, promoted, source.startedAt, updatedAt, measurements, history, owner, epoch, supersededBy);
        }
    }

    /**
     * The first state of a rollout.
     *
     * @param name            the rollout's name
     * @param application     the application the target serves
     * @param candidate       the revision to roll out
     * @param planFingerprint identifies the plan
     * @param stableReplicas  stable's replica count now
     * @param stableRevision  the revision stable runs now
     * @param now             the start instant
     * @return a PENDING state at step index 0 with all traffic on stable
     */
    public static RolloutState initial(String name, String application, Revision candidate, String planFingerprint,
                                       int stableReplicas, String stableRevision, Instant now) {
        return new RolloutState(name, application, candidate, planFingerprint, Phase.PENDING, null, 0, now,
                TrafficSplit.stableOnly(), stableReplicas, stableRevision, AnalysisProgress.NONE, AnalysisProgress.NONE, 0, false, false,
                now, now, List.of(), List.of(new HistoryEntry(now, "created for " + candidate.name())), null, 0);
    }
}
