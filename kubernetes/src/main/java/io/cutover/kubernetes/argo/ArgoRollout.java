package io.cutover.kubernetes.argo;

import io.cutover.Deployment;
import java.util.Objects;
import java.util.Set;

/**
 * What an Argo {@code Rollout} manifest says, in Cutover terms: the deployment (its strategy) and
 * what wires the target (services, the traffic routing it used).
 *
 * @param name           {@code metadata.name}
 * @param namespace      {@code metadata.namespace}, or {@code null}
 * @param replicas       {@code spec.replicas}, or {@code null} when absent (Cutover reads stable's count from the platform)
 * @param deployment     the strategy
 * @param activeService  blue-green's {@code activeService}, or {@code null}
 * @param previewService blue-green's {@code previewService}, or {@code null}
 * @param stableService  canary's {@code stableService}, or {@code null}
 * @param canaryService  canary's {@code canaryService}, or {@code null}
 * @param trafficRouting the providers under canary's {@code trafficRouting} (such as {@code istio}); empty
 *                       for a canary that scales replicas, where Cutover's replica-ratio router fits
 */
public record ArgoRollout(String name, String namespace, Integer replicas, Deployment deployment, String activeService,
                          String previewService, String stableService, String canaryService, Set<String> trafficRouting) {

    /**
     * Checks that the name and deployment are given and copies the providers.
     *
     * @param name           {@code metadata.name}
     * @param namespace      {@code metadata.namespace}, or {@code null}
     * @param replicas       {@code spec.replicas}, or {@code null}
     * @param deployment     the strategy
     * @param activeService  blue-green's {@code activeService}, or {@code null}
     * @param previewService blue-green's {@code previewService}, or {@code null}
     * @param stableService  canary's {@code stableService}, or {@code null}
     * @param canaryService  canary's {@code canaryService}, or {@code null}
     * @param trafficRouting the providers under canary's {@code trafficRouting}
     */
    public ArgoRollout {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(deployment, "deployment");
        trafficRouting = Set.copyOf(trafficRouting);
    }
}
