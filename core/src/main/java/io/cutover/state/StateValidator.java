package io.cutover.state;

import io.cutover.gate.Measurement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Bounds on a loaded {@link RolloutState}: nothing read from a store is used before it passes. A
 * state outside them is refused as altered; history and measurements longer than an engine keeps
 * are trimmed to their newest entries; on save, texts longer than {@value #MAX_TEXT_CHARS}
 * characters are cut, so a saved state always fits {@value #MAX_JSON_CHARS} characters (at most
 * 768 KiB of UTF-8, below a ConfigMap's 1 MiB).
 */
public final class StateValidator {

    /** The longest JSON text of a state a store will read. */
    public static final int MAX_JSON_CHARS = 256 * 1024;
    /** The longest reason, history line, measurement detail, artifact or application name. */
    public static final int MAX_TEXT_CHARS = 2048;
    /** The highest step index accepted. */
    public static final int MAX_STEP_INDEX = 10_000;
    /** The largest replica count accepted for stable. */
    public static final int MAX_REPLICAS = 10_000;
    /** The highest counter (attempts, analysis rounds) accepted. */
    public static final int MAX_COUNTER = 1_000_000;
    /** The most header matches a split may carry. */
    public static final int MAX_HEADER_MATCHES = 32;

    private static final Pattern ROLLOUT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{1,64}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");

    private StateValidator() { }

    /**
     * {@code state} with its history and measurements trimmed to what an engine keeps, once every
     * field is within bounds.
     *
     * @throws io.cutover.CutoverException of kind STATE, saying it was altered and what is wrong, otherwise
     * @param state  the state as read
     * @param source where it came from, for the message
     * @return the checked, trimmed state
     */
    public static RolloutState check(RolloutState state, String source) {
        String problem = problem(state);
        if (problem != null) {
            throw StateIntegrity.altered(source, problem);
        }
        return trimmed(state);
    }

    /** What is out of bounds in {@code state}, or {@code null}. */
    static String problem(RolloutState s) {
        if (!ROLLOUT_NAME.matcher(s.name()).matches()) {
            return "name '" + shown(s.name()) + "' is not a rollout name";
        }
        if (s.application() == null || s.application().isBlank() || s.application().length() > 253
                || CONTROL.matcher(s.application()).find()) {
            return "application '" + shown(s.application()) + "' is not an application name";
        }
        if (s.candidate() == null || !isArtifact(s.candidate())) {
            return "candidate is missing or its artifact is not one";
        }
        if (s.supersededBy() != null && !isArtifact(s.supersededBy())) {
            return "supersededBy's artifact is not one";
        }
        if (s.supersededBy() != null && s.promoted()) {
            return "supersededBy is set on a promoted rollout, which has nothing to roll back";
        }
        if (s.planFingerprint() == null || !FINGERPRINT.matcher(s.planFingerprint()).matches()) {
            return "planFingerprint '" + shown(s.planFingerprint()) + "' is not a plan fingerprint";
        }
        if (s.stepIndex() < 0 || s.stepIndex() > MAX_STEP_INDEX) {
            return "stepIndex " + s.stepIndex() + " is outside 0.." + MAX_STEP_INDEX;
        }
        if (s.stableReplicas() < 1 || s.stableReplicas() > MAX_REPLICAS) {
            return "stableReplicas " + s.stableReplicas() + " is outside 1.." + MAX_REPLICAS;
        }
        if (s.attempts() < 0 || s.attempts() > MAX_COUNTER) {
            return "attempts " + s.attempts() + " is outside 0.." + MAX_COUNTER;
        }
        String counters = counters("analysis", s.analysis());
        if (counters == null) {
            counters = counters("background", s.background());
        }
        if (counters != null) {
            return counters;
        }
        if (s.startedAt() == null || s.updatedAt() == null || s.stepStartedAt() == null) {
            return "startedAt, updatedAt and stepStartedAt must all be present";
        }
        // no ordering check between the instants: a wall clock that jumps back makes them out of order honestly
        if (s.split().candidateMatches().size() > MAX_HEADER_MATCHES) {
            return "split has " + s.split().candidateMatches().size() + " header matches, over " + MAX_HEADER_MATCHES;
        }
        if (s.epoch() < 0) {
            return "epoch " + s.epoch() + " is negative";
        }
        if (s.owner() != null && (s.owner().length() > 253 || CONTROL.matcher(s.owner()).find())) {
            return "owner '" + shown(s.owner()) + "' is not an engine name";
        }
        if (tooLong(s.reason()) || tooLong(s.stableRevision())) {
            return "reason or stableRevision is longer than " + MAX_TEXT_CHARS + " characters";
        }
        for (HistoryEntry h : s.history()) {
            if (h == null || h.at() == null || h.what() == null || tooLong(h.what())) {
                return "a history entry is missing its time or text, or is longer than " + MAX_TEXT_CHARS + " characters";
            }
        }
        for (Measurement m : s.measurements()) {
            if (m == null || tooLong(m.detail()) || tooLong(m.gate())) {
                return "a measurement is missing or its text is longer than " + MAX_TEXT_CHARS + " characters";
            }
        }
        return null;
    }

    private static boolean isArtifact(io.cutover.spi.Revision r) {
        return r.artifact().length() <= MAX_TEXT_CHARS && r.artifact().strip().equals(r.artifact())
                && !CONTROL.matcher(r.artifact()).find();
    }

    private static String counters(String what, AnalysisProgress p) {
        int[] values = {p.taken(), p.failed(), p.consecutiveErrors(), p.inconclusive()};
        for (int v : values) {
            if (v < 0 || v > MAX_COUNTER) {
                return what + " counter " + v + " is outside 0.." + MAX_COUNTER;
            }
        }
        return null;
    }

    /** History and measurements trimmed to the newest {@link RolloutState#KEPT_HISTORY} and {@link RolloutState#KEPT_MEASUREMENTS}. */
    static RolloutState trimmed(RolloutState s) {
        if (s.history().size() <= RolloutState.KEPT_HISTORY && s.measurements().size() <= RolloutState.KEPT_MEASUREMENTS) {
            return s;
        }
        return new RolloutState(s.name(), s.application(), s.candidate(), s.planFingerprint(), s.phase(), s.reason(),
                s.stepIndex(), s.stepStartedAt(), s.split(), s.stableReplicas(), s.stableRevision(), s.analysis(),
                s.background(), s.attempts(), s.fullPromotion(), s.promoted(), s.startedAt(), s.updatedAt(),
                newest(s.measurements(), RolloutState.KEPT_MEASUREMENTS), newest(s.history(), RolloutState.KEPT_HISTORY),
                s.owner(), s.epoch(), s.supersededBy());
    }

    /** {@code s} trimmed, with every text cut at {@value #MAX_TEXT_CHARS} characters: what a store saves. */
    static RolloutState bounded(RolloutState s) {
        RolloutState t = trimmed(s);
        boolean cut = tooLong(t.reason()) || t.history().stream().anyMatch(h -> tooLong(h.what()))
                || t.measurements().stream().anyMatch(m -> tooLong(m.detail()));
        if (!cut) {
            return t;
        }
        List<HistoryEntry> history = new ArrayList<>();
        t.history().forEach(h -> history.add(new HistoryEntry(h.at(), cut(h.what()))));
        List<Measurement> measurements = new ArrayList<>();
        t.measurements().forEach(m -> measurements.add(new Measurement(m.gate(), m.verdict(), m.value(), cut(m.detail()), m.at())));
        return new RolloutState(t.name(), t.application(), t.candidate(), t.planFingerprint(), t.phase(), cut(t.reason()),
                t.stepIndex(), t.stepStartedAt(), t.split(), t.stableReplicas(), t.stableRevision(), t.analysis(),
                t.background(), t.attempts(), t.fullPromotion(), t.promoted(), t.startedAt(), t.updatedAt(),
                measurements, history, t.owner(), t.epoch(), t.supersededBy());
    }

    private static <T> List<T> newest(List<T> list, int keep) {
        return list.size() <= keep ? list : list.subList(list.size() - keep, list.size());
    }

    private static boolean tooLong(String text) {
        return text != null && text.length() > MAX_TEXT_CHARS;
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_TEXT_CHARS ? text : text.substring(0, MAX_TEXT_CHARS - 3) + "...";
    }

    private static String shown(String text) {
        return text == null ? "null" : io.cutover.internal.Redaction.none().maxChars(80).apply(text);
    }
}
