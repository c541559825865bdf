package io.cutover.test;

import io.cutover.Phase;
import io.cutover.RolloutResult;
import io.cutover.spi.TrafficSplit;
import io.cutover.state.HistoryEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on how a rollout ended, from its {@link RolloutResult} (or a {@link io.cutover.Rollout}'s current state).
 * A result keeps the rollout's history but not its traffic over time: for traffic, detection and blast radius,
 * assert on a simulation report or a recorded timeline.
 *
 * <pre>{@code
 * assertThat(rollout.await()).endedIn(ABORTED).endedOnStable().rolledBackWithin(ofMinutes(1));
 * }</pre>
 */
public final class RolloutResultAssert extends AbstractAssert<RolloutResultAssert, RolloutResult> {

    RolloutResultAssert(RolloutResult actual) {
        super(actual, RolloutResultAssert.class);
        isNotNull();
    }

    /**
     * The rollout ended (or stands) in {@code phase}.
     *
     * @param phase the phase expected
     * @return this assertion, for chaining
     */
    public RolloutResultAssert endedIn(Phase phase) {
        Objects.requireNonNull(phase, "phase");
        if (actual.phase() != phase) {
            fail("to end in " + phase + ", but it is " + actual.phase() + (actual.reason() == null ? "" : " (" + actual.reason() + ")"), null);
        }
        return this;
    }

    /**
     * All users' traffic is on stable: no weight, no header route, no mirror to the candidate.
     *
     * @return this assertion, for chaining
     */
    public RolloutResultAssert endedOnStable() {
        if (!actual.split().isStableOnly()) {
            fail("to leave all traffic on stable, but the platform holds " + actual.split(), null);
        }
        return this;
    }

    /**
     * The platform holds exactly {@code split}.
     *
     * @param split the traffic split expected, weights, header routes and mirror alike
     * @return this assertion, for chaining
     */
    public RolloutResultAssert endedWithSplit(TrafficSplit split) {
        if (!actual.split().equals(split)) {
            fail("to leave traffic at " + split + ", but the platform holds " + actual.split(), null);
        }
        return this;
    }

    /**
     * Its reason mentions {@code text}.
     *
     * @param text a piece of the reason, matched case-sensitively
     * @return this assertion, for chaining
     */
    public RolloutResultAssert hasReasonContaining(String text) {
        if (actual.reason() == null || !actual.reason().contains(text)) {
            fail("to give a reason containing \"" + text + "\", but its reason is " + (actual.reason() == null ? "none" : "\"" + actual.reason() + "\""),
                    null);
        }
        return this;
    }

    /**
     * From the start of the abort to the end of the rollback took at most {@code limit}, as its history tells.
     *
     * @param limit the longest the rollback may have taken
     * @return this assertion, for chaining
     */
    public RolloutResultAssert rolledBackWithin(Duration limit) {
        Optional<HistoryEntry> abort = first("abort: ");
        Optional<HistoryEntry> back = first("rolled back: ");
        if (abort.isEmpty()) {
            fail("to roll back within " + clock(limit) + ", but its history shows no abort", null);
        } else if (back.isEmpty()) {
            fail("to roll back within " + clock(limit) + ", but the rollback never finished", abort.get().at());
        } else {
            Duration took = Duration.between(abort.get().at(), back.get().at());
            if (took.compareTo(limit) > 0) {
                fail("to roll back within " + clock(limit) + ", but it took " + clock(took), back.get().at());
            }
        }
        return this;
    }

    private Optional<HistoryEntry> first(String prefix) {
        return actual.history().stream().filter(h -> h.what().startsWith(prefix)).findFirst();
    }

    private void fail(String what, Instant at) {
        StringBuilder s = new StringBuilder("Expected rollout \"" + actual.name() + "\" " + what + ".\nHistory");
        List<HistoryEntry> history = actual.history();
        int focus = history.size() - 1;
        for (int i = 0; at != null && i < history.size(); i++) {
            if (!history.get(i).at().isBefore(at)) {
                focus = i;
                break;
            }
        }
        int from = Math.max(0, focus - TimelineExcerpt.AROUND);
        int to = Math.min(history.size(), focus + TimelineExcerpt.AROUND + 1);
        s.append(" (").append(history.size()).append(" entries):\n");
        for (int i = from; i < to; i++) {
            HistoryEntry h = history.get(i);
            s.append(i == focus ? "  >> " : "     ").append(clock(Duration.between(actual.startedAt(), h.at()))).append("  ").append(h.what())
                    .append('\n');
        }
        failWithMessage("%s", s.toString());
    }

    private static String clock(Duration d) {
        return io.cutover.view.RolloutTimeline.clock(d.isNegative() ? Duration.ZERO : d);
    }
}
