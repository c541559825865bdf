package io.cutover.kubernetes;

import io.cutover.CutoverException;
import io.cutover.kubernetes.internal.Deployments;
import io.cutover.kubernetes.internal.Kube;
import io.cutover.plan.Replicas;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Canary weights without a mesh: one Service selects the pods of both Deployments, so each role
 * gets the share of requests its ready replicas make up. Declares {@link RouterCapability#REPLICA_RATIO}:
 * the engine reaches a weight by scaling the two Deployments through {@link DeploymentWorkloads} and
 * then calls {@link #apply} with the weight the replica counts give; this router writes nothing.
 *
 * <pre>{@code
 * var workloads = DeploymentWorkloads.canary(client, "prod", "myapp").build();
 * var router = ReplicaRatioRouter.of(workloads, "myapp");   // Service myapp selects app=myapp
 * }</pre>
 *
 * <p>{@link #read} computes the effective weight from what is really there: the ready replicas
 * (never more than a Deployment asks for, so a Deployment scaled to zero counts as zero at once) of
 * each role whose pods the Service's selector matches.
 */
public final class ReplicaRatioRouter implements TrafficRouter {

    private final DeploymentWorkloads workloads;
    private final String service;

    private ReplicaRatioRouter(DeploymentWorkloads workloads, String service) {
        this.workloads = workloads;
        this.service = service;
    }

    /**
     * A router for the Service {@code service}, which must select the pods of both of {@code workloads}' Deployments.
     *
     * @param workloads the canary Deployments whose replica counts make the weights
     * @param service   the Service in front of both, DNS-1123
     * @return the router
     */
    public static ReplicaRatioRouter of(DeploymentWorkloads workloads, String service) {
        Objects.requireNonNull(workloads, "workloads");
        DeploymentWorkloads.requireName("service", service);
        if (workloads.mode() != DeploymentWorkloads.Mode.CANARY) {
            throw new IllegalArgumentException("a replica-ratio router needs canary workloads (one Service over both Deployments), not "
                    + workloads.mode());
        }
        return new ReplicaRatioRouter(workloads, service);
    }

    @Override
    public Set<RouterCapability> capabilities() {
        return Set.of(RouterCapability.REPLICA_RATIO);
    }

    /**
     * Checks that the split is one replicas can give (no header routes, no mirror) and that the
     * Service sends requests to the candidate's pods whenever the weight is above zero.
     */
    @Override
    public void apply(TrafficSplit split) {
        Objects.requireNonNull(split, "split");
        if (!split.candidateMatches().isEmpty() || split.mirrorPercent() != 0) {
            throw new IllegalArgumentException("a replica-ratio router cannot route by header or mirror: " + split);
        }
        if (split.candidateWeight() > 0) {
            Map<String, String> selector = selector();
            Deployment candidate = workloads.deployment(Role.CANDIDATE);
            if (candidate != null && !selects(selector, candidate)) {
                throw new CutoverException(CutoverException.Kind.PERMANENT, "read service " + ref(),
                        "service " + ref() + " selects " + selector + ", which the pods of " + candidate.getMetadata().getName()
                                + " do not carry: the candidate would get no traffic");
            }
        }
    }

    @Override
    public TrafficSplit read() {
        Map<String, String> selector = selector();
        DeploymentWorkloads.Live live = workloads.live();
        int stable = serving(live.stable(), selector);
        int candidate = serving(live.candidate(), selector);
        return TrafficSplit.weighted(Replicas.effectiveWeight(stable + candidate, candidate));
    }

    private static int serving(Deployment d, Map<String, String> selector) {
        if (d == null || !selects(selector, d)) {
            return 0;
        }
        int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
        return Math.min(ready, Deployments.replicas(d));
    }

    private static boolean selects(Map<String, String> selector, Deployment d) {
        Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
        return !selector.isEmpty() && labels != null && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private Map<String, String> selector() {
        Service s = workloads.reads().get(Service.class, workloads.namespace(), service, "service");
        if (s == null) {
            throw new CutoverException(CutoverException.Kind.PERMANENT, "get service " + ref(),
                    "get service " + ref() + " found nothing (404): the router reads the Service in front of both Deployments");
        }
        return s.getSpec().getSelector() == null ? Map.of() : s.getSpec().getSelector();
    }

    private String ref() {
        return workloads.namespace() + "/" + service;
    }

    @Override
    public String toString() {
        return "ReplicaRatioRouter[" + ref() + "]";
    }
}
