package io.cutover.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a gate asks a {@link MetricSource}: a revision of an application over a window ending at an instant.
 *
 * @param application the application (service) name the rollout is for
 * @param revision    the revision measured
 * @param role        the role that revision plays now
 * @param window      how far back the measurement looks
 * @param at          the end of the window
 * @param identity    the workload and instance labels that serve the role, as the {@link Workloads}
 *                    adapter reports them, or {@code null} when it does not say
 */
public record MetricQuery(String application, Revision revision, Role role, Duration window, Instant at,
                          WorkloadIdentity identity) {

    /** A query with no workload identity. */
    public MetricQuery(String application, Revision revision, Role role, Duration window, Instant at) {
        this(application, revision, role, window, at, null);
    }

    public MetricQuery {
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(at, "at");
    }

    /** This query with the identity of the workload that serves the role. */
    public MetricQuery withIdentity(WorkloadIdentity identity) {
        return new MetricQuery(application, revision, role, window, at, identity);
    }
}
