package io.cutover;

import io.cutover.gate.Measurement;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import io.cutover.state.HistoryEntry;
import io.cutover.state.RolloutState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How a rollout ended.
 *
 * @param name         the rollout
 * @param phase        SUCCEEDED, ABORTED or FAILED (or the phase it stood in when the result was read)
 * @param reason       why it aborted or failed; {@code null} on success
 * @param candidate    the revision rolled out
 * @param split        the traffic split as last confirmed on the platform; for FAILED, exactly what the
 *                     platform was left with as far as it could be read
 * @param startedAt    when it started
 * @param finishedAt   when it reached this phase
 * @param measurements the latest measurements
 * @param history      what happened
 */
public record RolloutResult(String name, Phase phase, String reason, Revision candidate, TrafficSplit split,
                            Instant startedAt, Instant finishedAt, List<Measurement> measurements,
                            List<HistoryEntry> history) {

    /**
     * The result as the state {@code state} says.
     *
     * @param state a rollout's state, ended or not
     * @return the result
     */
    public static RolloutResult of(RolloutState state) {
        return new RolloutResult(state.name(), state.phase(), state.reason(), state.candidate(), state.split(),
                state.startedAt(), state.updatedAt(), state.measurements(), state.history());
    }

    /**
     * From the start to the end (or to the state's last update, for a rollout not ended).
     *
     * @return the duration
     */
    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }

    /**
     * Whether the candidate became stable.
     *
     * @return {@code true} for {@link Phase#SUCCEEDED} only
     */
    public boolean succeeded() {
        return phase == Phase.SUCCEEDED;
    }
}
