package io.cutover.spi;

import java.util.Map;
import java.util.Objects;

/**
 * What identifies the instances that serve one role on a platform, as its {@link Workloads} adapter
 * reports it: the workload (a Kubernetes Deployment, an ECS service...) and the labels its instances
 * carry and no instance of the other role carries. Routers and metric queries select a role by it.
 *
 * <pre>{@code
 * // canary on Kubernetes: Deployment myapp-canary, pods labelled cutover.io/track=canary
 * new WorkloadIdentity("shop", "myapp-canary", Map.of("cutover.io/track", "canary"))
 * }</pre>
 *
 * @param namespace the namespace (or cluster, account...) the workload lives in, or {@code null} when the platform has none
 * @param workload  the name of the workload that serves the role now
 * @param labels    labels that select exactly that role's instances (may be empty when the platform has none)
 */
public record WorkloadIdentity(String namespace, String workload, Map<String, String> labels) {

    /**
     * Refuses a missing or blank workload and copies the labels.
     *
     * @param namespace the namespace the workload lives in, or {@code null}
     * @param workload  the name of the workload that serves the role now
     * @param labels    labels that select exactly that role's instances, or {@code null} for none
     */
    public WorkloadIdentity {
        Objects.requireNonNull(workload, "workload");
        if (workload.isBlank()) {
            throw new IllegalArgumentException("workload must not be blank");
        }
        labels = Map.copyOf(labels == null ? Map.of() : labels);
    }
}
