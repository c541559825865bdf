package io.cutover.spi;

/** Checks the liveness and readiness of a revision. */
@FunctionalInterface
public interface HealthProbe {

    /** A probe with nothing to check: always ready. */
    HealthProbe NONE = revision -> Health.ready("no probe configured");

    /**
     * Checks {@code revision}'s health now. A probe that cannot reach it answers not ready rather than throwing.
     *
     * @param revision the revision to check
     * @return whether it is alive and ready
     */
    Health check(Revision revision);
}
