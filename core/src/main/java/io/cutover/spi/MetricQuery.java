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
 */
public record MetricQuery(String application, Revision revision, Role role, Duration window, Instant at) {

    public MetricQuery {
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(at, "at");
    }
}
