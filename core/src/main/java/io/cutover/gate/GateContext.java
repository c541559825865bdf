package io.cutover.gate;

import io.cutover.spi.HealthProbe;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSource;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import java.time.Duration;
import java.time.Instant;

/**
 * What a gate can see when it measures.
 *
 * @param stableRevision the name of the revision stable ran when the rollout started (the live baseline),
 *                       or {@code null} when unknown
 */
public record GateContext(String rollout, String application, Revision candidate, Instant now,
                          MetricSource metrics, HealthProbe health, String stableRevision) {

    /** A context that does not know the stable revision: baseline comparisons on it report ERROR. */
    public GateContext(String rollout, String application, Revision candidate, Instant now,
                       MetricSource metrics, HealthProbe health) {
        this(rollout, application, candidate, now, metrics, health, null);
    }

    /** The query for the candidate over {@code window} ending now. */
    public MetricQuery candidateQuery(Duration window) {
        return new MetricQuery(application, candidate, Role.CANDIDATE, window, now);
    }

    /**
     * The query for the live stable revision over {@code window} ending now: the baseline the candidate
     * is compared with. Its revision carries only the name (as artifact too); sources match on the name.
     *
     * @throws IllegalStateException when the stable revision is unknown
     */
    public MetricQuery baselineQuery(Duration window) {
        if (stableRevision == null) {
            throw new IllegalStateException("the stable revision is unknown: there is no baseline to compare with");
        }
        return new MetricQuery(application, Revision.of(stableRevision, stableRevision), Role.STABLE, window, now);
    }
}
