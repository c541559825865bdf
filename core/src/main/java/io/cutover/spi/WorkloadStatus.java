package io.cutover.spi;

/**
 * What the platform reports of one role's workload.
 *
 * @param revision  the revision name the workload runs, or {@code null} when nothing exists
 * @param desired   replicas asked for
 * @param ready     replicas passing readiness
 * @param available replicas ready for at least the platform's minimum ready time
 * @param updated   replicas running the current template of this workload
 * @param failure   a permanent failure the platform reports (for example a progress deadline), or {@code null}
 */
public record WorkloadStatus(String revision, int desired, int ready, int available, int updated, String failure) {

    /**
     * The status of a role with no workload.
     *
     * @return a status with no revision and no replicas
     */
    public static WorkloadStatus absent() {
        return new WorkloadStatus(null, 0, 0, 0, 0, null);
    }

    /**
     * Whether a workload exists for the role.
     *
     * @return {@code true} when it runs a revision
     */
    public boolean exists() {
        return revision != null;
    }

    /**
     * True when every desired replica is updated and available.
     *
     * @return {@code true} when no failure is reported and updated, available and ready replicas all reach the desired count
     */
    public boolean settled() {
        return failure == null && updated >= desired && available >= desired && ready >= desired;
    }
}
