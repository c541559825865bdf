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

    /**
     * A query with no workload identity.
     *
     * @param application the application's name
     * @param revision    the revision measured
     * @param role        the role it plays now
     * @param window      how far back the measurement looks
     * @param at          the end of the window
     */
    public MetricQuery(String application, Revision revision, Role role, Duration window, Instant at) {
        this(application, revision, role, window, at, null);
    }

    /**
     * Refuses any missing field but the identity.
     *
     * @param application the application's name
     * @param revision    the revision measured
     * @param role        the role it plays now
     * @param window      how far back the measurement looks
     * @param at          the end of the window
     * @param identity    what serves the role, or {@code null}
     */
    public MetricQuery {
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(at, "at");
    }

    /**
     * This query with the identity of the workload that serves the role.
     *
     * @param identity what serves the role, as the workloads adapter reports it
     * @return a new query
     */
    public MetricQuery withIdentity(WorkloadIdentity identity) {
        return new MetricQuery(application, revision, role, window, at, identity);
    }
}
