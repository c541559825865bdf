package io.cutover.kubernetes;

import io.cutover.spi.Role;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How Cutover tells a canary's stable pods from its candidate pods: one pod label whose value names
 * the role. Every selector Cutover derives (the backend Services of a Gateway API route, Istio's
 * DestinationRule subsets, the pod labels metric queries carry) comes from here.
 *
 * <p>The default is {@code cutover.io/track: stable} on the stable Deployment's pod template and
 * {@code cutover.io/track: canary} on the candidate's. The label goes on pod templates only, never
 * into the stable Deployment's selector, which Kubernetes does not let change. A stable template
 * without it gets it on the first deploy, which rolls the stable pods once; add it yourself before
 * the first rollout to avoid that roll:
 *
 * <pre>{@code
 * kubectl patch deployment myapp -p '{"spec":{"template":{"metadata":{"labels":{"cutover.io/track":"stable"}}}}}'
 * }</pre>
 *
 * <p>Blue-green pairs are told apart by their colour labels ({@code version: blue|green}), which the
 * team's two Deployments already carry; their identity follows whichever colour plays the role.
 *
 * @param labelKey       the pod label key
 * @param stableValue    its value on the stable pods
 * @param candidateValue its value on the candidate pods
 */
public record PodIdentity(String labelKey, String stableValue, String candidateValue) {

    private static final Pattern KEY = Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
            + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    /** {@code cutover.io/track} = {@code stable} | {@code canary}. */
    public static final PodIdentity DEFAULT = new PodIdentity(CutoverLabels.TRACK, "stable", "canary");

    /**
     * Checks that the key and both values are valid Kubernetes label syntax and that the values differ.
     *
     * @param labelKey       the pod label key
     * @param stableValue    its value on the stable pods
     * @param candidateValue its value on the candidate pods
     */
    public PodIdentity {
        if (labelKey == null || !KEY.matcher(labelKey).matches()) {
            throw new IllegalArgumentException("labelKey must be a Kubernetes label key: '" + labelKey + "'");
        }
        if (stableValue == null || !VALUE.matcher(stableValue).matches()) {
            throw new IllegalArgumentException("stableValue must be a Kubernetes label value: '" + stableValue + "'");
        }
        if (candidateValue == null || !VALUE.matcher(candidateValue).matches()) {
            throw new IllegalArgumentException("candidateValue must be a Kubernetes label value: '" + candidateValue + "'");
        }
        if (stableValue.equals(candidateValue)) {
            throw new IllegalArgumentException("stableValue and candidateValue must differ: both '" + stableValue + "'");
        }
    }

    /**
     * The pod labels that mark {@code role}'s pods.
     *
     * @param role stable or candidate
     * @return a one-entry map: the label key and the role's value
     */
    public Map<String, String> labels(Role role) {
        Objects.requireNonNull(role, "role");
        return Map.of(labelKey, role == Role.STABLE ? stableValue : candidateValue);
    }

    /**
     * The label name Prometheus gives this pod label after the relabelling Cutover documents
     * ({@code labelmap} of {@code __meta_kubernetes_pod_label_(.+)}): every character that is not a
     * letter, digit or underscore becomes an underscore ({@code cutover.io/track} is {@code cutover_io_track}).
     *
     * @param podLabelKey a Kubernetes label key
     * @return the Prometheus label name it becomes
     */
    public static String prometheusLabel(String podLabelKey) {
        return podLabelKey.replaceAll("[^A-Za-z0-9_]", "_");
    }
}
