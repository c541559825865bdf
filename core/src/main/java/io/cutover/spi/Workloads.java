package io.cutover.spi;

import java.util.Optional;

/**
 * Runs the stable and candidate revisions on a platform. Every method states a desired state and
 * is safe to call again with the same arguments (after a crash, the engine re-applies the step it
 * was in).
 */
public interface Workloads {

    /** Ensures the candidate role runs {@code revision} with {@code replicas} replicas, creating it if needed. */
    void deploy(Revision revision, int replicas);

    /** Sets the replica count of a role. */
    void scale(Role role, int replicas);

    /** Reads the status of a role; a role with no workload reports {@link WorkloadStatus#absent()}. */
    WorkloadStatus status(Role role);

    /**
     * Makes the stable role run {@code revision}. Afterwards the candidate role holds whatever is left
     * to retire (the previous colour in blue-green, the canary workload in a canary). Calling it when
     * the stable role already runs {@code revision} changes nothing.
     */
    void promote(Revision revision);

    /** Scales a role to zero and releases what it holds. The default only scales to zero. */
    default void retire(Role role) {
        scale(role, 0);
    }

    /**
     * What identifies the workload and instances that serve {@code role} now, so routers and metric
     * queries select exactly them. The default knows nothing. A decorator of another {@code Workloads}
     * must forward this call.
     */
    default Optional<WorkloadIdentity> identity(Role role) {
        return Optional.empty();
    }
}
