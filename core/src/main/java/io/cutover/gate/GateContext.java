package io.cutover.gate;

import io.cutover.spi.HealthProbe;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSource;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.WorkloadIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a gate can see when it measures.
 *
 * @param rollout        the rollout's name
 * @param application    the application the target serves
 * @param candidate      the revision being rolled out
 * @param now            the measuring instant, on the engine's clock
 * @param metrics        the target's metric source
 * @param health         the target's health probe
 * @param stableRevision the name of the revision stable ran when the rollout started (the live baseline),
 *                       or {@code null} when unknown
 * @param identities     what identifies the workload serving a role, as the target's workloads report it
 *                       ({@link io.cutover.spi.Workloads#identity}); asked when a query is built
 */
public record GateContext(String rollout, String application, Revision candidate, Instant now,
                          MetricSource metrics, HealthProbe health, String stableRevision,
                          Function<Role, Optional<WorkloadIdentity>> identities) {

    /**
     * A context that does not know the stable revision (baseline comparisons on it report ERROR).
     *
     * @param rollout     the rollout's name
     * @param application the application the target serves
     * @param candidate   the revision being rolled out
     * @param now         the measuring instant
     * @param metrics     the target's metric source
     * @param health      the target's health probe
     * @param identities  what identifies the workload serving a role
     */
    public GateContext(String rollout, String application, Revision candidate, Instant now,
                       MetricSource metrics, HealthProbe health, Function<Role, Optional<WorkloadIdentity>> identities) {
        this(rollout, application, candidate, now, metrics, health, null, identities);
    }

    /**
     * A context whose workloads say nothing of their identity.
     *
     * @param rollout        the rollout's name
     * @param application    the application the target serves
     * @param candidate      the revision being rolled out
     * @param now            the measuring instant
     * @param metrics        the target's metric source
     * @param health         the target's health probe
     * @param stableRevision the revision stable ran when the rollout started, or {@code null}
     */
    public GateContext(String rollout, String application, Revision candidate, Instant now,
                       MetricSource metrics, HealthProbe health, String stableRevision) {
        this(rollout, application, candidate, now, metrics, health, stableRevision, role -> Optional.empty());
    }

    /**
     * A context that knows neither the stable revision nor the workloads' identities.
     *
     * @param rollout     the rollout's name
     * @param application the application the target serves
     * @param candidate   the revision being rolled out
     * @param now         the measuring instant
     * @param metrics     the target's metric source
     * @param health      the target's health probe
     */
    public GateContext(String rollout, String application, Revision candidate, Instant now, MetricSource metrics, HealthProbe health) {
        this(rollout, application, candidate, now, metrics, health, null, role -> Optional.empty());
    }

    /**
     * Puts "no identity known" in place of a {@code null} {@code identities}.
     *
     * @param rollout        the rollout's name
     * @param application    the application the target serves
     * @param candidate      the revision being rolled out
     * @param now            the measuring instant
     * @param metrics        the target's metric source
     * @param health         the target's health probe
     * @param stableRevision the revision stable ran when the rollout started, or {@code null}
     * @param identities     what identifies the workload serving a role, or {@code null}
     */
    public GateContext {
        if (identities == null) {
            identities = role -> Optional.empty();
        }
    }

    /**
     * The query for the candidate over {@code window} ending now, carrying the candidate workload's identity when known.
     *
     * @param window how far back the query looks
     * @return the candidate's query
     */
    public MetricQuery candidateQuery(Duration window) {
        MetricQuery q = new MetricQuery(application, candidate, Role.CANDIDATE, window, now);
        Optional<WorkloadIdentity> identity = identities.apply(Role.CANDIDATE);
        return identity == null || identity.isEmpty() ? q : q.withIdentity(identity.get());
    }

    /**
     * The query for the live stable revision over {@code window} ending now: the baseline the candidate
     * is compared with. Its revision carries only the name (as artifact too); sources match on the name.
     *
     * @throws IllegalStateException when the stable revision is unknown
     * @param window how far back the query looks
     * @return the stable revision's query
     */
    public MetricQuery baselineQuery(Duration window) {
        if (stableRevision == null) {
            throw new IllegalStateException("the stable revision is unknown: there is no baseline to compare with");
        }
        MetricQuery q = new MetricQuery(application, Revision.of(stableRevision, stableRevision), Role.STABLE, window, now);
        Optional<WorkloadIdentity> identity = identities.apply(Role.STABLE);
        return identity == null || identity.isEmpty() ? q : q.withIdentity(identity.get());
    }
}
