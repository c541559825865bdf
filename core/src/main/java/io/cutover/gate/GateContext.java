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
 * @param identities what identifies the workload serving a role, as the target's workloads report it
 *                   ({@link io.cutover.spi.Workloads#identity}); asked when a query is built
 */
public record GateContext(String rollout, String application, Revision candidate, Instant now,
                          MetricSource metrics, HealthProbe health,
                          Function<Role, Optional<WorkloadIdentity>> identities) {

    /** A context whose workloads say nothing of their identity. */
    public GateContext(String rollout, String application, Revision candidate, Instant now, MetricSource metrics, HealthProbe health) {
        this(rollout, application, candidate, now, metrics, health, role -> Optional.empty());
    }

    public GateContext {
        if (identities == null) {
            identities = role -> Optional.empty();
        }
    }

    /** The query for the candidate over {@code window} ending now, carrying the candidate workload's identity when known. */
    public MetricQuery candidateQuery(Duration window) {
        MetricQuery q = new MetricQuery(application, candidate, Role.CANDIDATE, window, now);
        Optional<WorkloadIdentity> identity = identities.apply(Role.CANDIDATE);
        return identity == null || identity.isEmpty() ? q : q.withIdentity(identity.get());
    }
}
