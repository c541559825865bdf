package io.cutover.gate;

import io.cutover.spi.HealthProbe;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSource;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import java.time.Duration;
import java.time.Instant;

/** What a gate can see when it measures. */
public record GateContext(String rollout, String application, Revision candidate, Instant now,
                          MetricSource metrics, HealthProbe health) {

    /** The query for the candidate over {@code window} ending now. */
    public MetricQuery candidateQuery(Duration window) {
        return new MetricQuery(application, candidate, Role.CANDIDATE, window, now);
    }
}
