package io.cutover.spi;

/** Checks the liveness and readiness of a revision. */
@FunctionalInterface
public interface HealthProbe {

    /** A probe with nothing to check: always ready. */
    HealthProbe NONE = revision -> Health.ready("no probe configured");

    Health check(Revision revision);
}
