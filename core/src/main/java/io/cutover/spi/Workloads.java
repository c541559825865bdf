package io.cutover.spi;

import java.util.Optional;

/**
 * Runs the stable and candidate revisions on a platform. Every method states a desired state and
 * is safe to call again with the same arguments (after a crash, the engine re-applies the step it
 * was in).
 */
public interface Workloads {

    /**
     * Ensures the candidate role runs {@code revision} with {@code replicas} replicas, creating it if needed.
     *
     * @param revision the candidate revision
     * @param replicas its replica count, 0 or more
     */
    void deploy(Revision revision, int replicas);

    /**
     * Sets the replica count of a role.
     *
     * @param role     stable or candidate
     * @param replicas the count, 0 or more
     */
    void scale(Role role, int replicas);

    /**
     * Reads the status of a role; a role with no workload reports {@link WorkloadStatus#absent()}.
     *
     * @param role stable or candidate
     * @return the revision it runs, its desired, ready, available and updated replicas, and any permanent failure
     */
    WorkloadStatus status(Role role);

    /**
     * Makes the stable role run {@code revision}. Afterwards the candidate role holds whatever is left
     * to retire (the previous colour in blue-green, the canary workload in a canary). Calling it when
     * the stable role already runs {@code revision} changes nothing.
     *
     * @param revision the revision stable must run
     */
    void promote(Revision revision);

    /**
     * Scales a role to zero and releases what it holds. The default only scales to zero.
     *
     * @param role the role to retire
     */
    default void retire(Role role) {
        scale(role, 0);
    }

    /**
     * What identifies the workload and instances that serve {@code role} now, so routers and metric
     * queries select exactly them. The default knows nothing. A decorator of another {@code Workloads}
     * must forward this call.
     *
     * @param role stable or candidate
     * @return the identity, or empty when this adapter cannot tell
     */
    default Optional<WorkloadIdentity> identity(Role role) {
        return Optional.empty();
    }
}
