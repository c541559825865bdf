package io.cutover.kubernetes.internal;

import io.cutover.CutoverException;
import io.cutover.kubernetes.CutoverLabels;
import io.cutover.spi.WorkloadStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** Reading a Deployment: which container is the application, what revision runs, how ready it is. */
public final class Deployments {

    private static final Pattern REVISION_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");

    private Deployments() { }

    /** The index of the application container: the one named {@code container}, or the first when {@code null}. */
    public static int containerIndex(Deployment d, String container) {
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        if (containers.isEmpty()) {
            throw new CutoverException(CutoverException.Kind.PERMANENT, "read deployment " + d.getMetadata().getName(),
                    "deployment " + d.getMetadata().getName() + " has no containers");
        }
        if (container == null) {
            return 0;
        }
        for (int i = 0; i < containers.size(); i++) {
            if (container.equals(containers.get(i).getName())) {
                return i;
            }
        }
        throw new CutoverException(CutoverException.Kind.PERMANENT, "read deployment " + d.getMetadata().getName(),
                "deployment " + d.getMetadata().getName() + " has no container named '" + container + "' (it has "
                        + containers.stream().map(Container::getName).toList() + ")");
    }

    public static String image(Deployment d, String container) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(containerIndex(d, container)).getImage();
    }

    public static String annotation(Deployment d, String key) {
        Map<String, String> a = d.getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }

    /** The revision name: Cutover's annotation, else the image tag when it is a valid revision name, else the image. */
    public static String revision(Deployment d, String container) {
        String annotated = annotation(d, CutoverLabels.REVISION);
        String image = image(d, container);
        if (annotated != null && Objects.equals(annotation(d, CutoverLabels.ARTIFACT), image)) {
            return annotated;
        }
        String tag = tag(image);
        return tag != null && REVISION_NAME.matcher(tag).matches() ? tag : image;
    }

    private static String tag(String image) {
        if (image == null || image.contains("@")) {
            return null;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : "latest";
    }

    /** Whether {@code d} runs revision {@code name} with image {@code artifact}. */
    public static boolean runs(Deployment d, String container, String name, String artifact) {
        return d != null && artifact.equals(image(d, container)) && name.equals(revision(d, container));
    }

    public static int replicas(Deployment d) {
        return d == null ? 0 : d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    /**
     * The status as {@code kubectl rollout status} reads it: nothing counts as updated until the
     * controller has observed the current generation; a progress deadline or a replica failure is
     * reported as a failure. Available replicas are counted by the controller after {@code minReadySeconds}.
     * While old replicas are pending termination ({@code status.replicas > updatedReplicas}) the
     * status cannot tell old available pods from new ones, so only as many as are certainly new count
     * as available: the rollout never reads settled before kubectl would say it is done.
     */
    public static WorkloadStatus status(Deployment d, String container) {
        if (d == null) {
            return WorkloadStatus.absent();
        }
        DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        Long generation = d.getMetadata().getGeneration();
        boolean observed = s.getObservedGeneration() != null && (generation == null || s.getObservedGeneration() >= generation);
        int desired = replicas(d);
        int updated = observed ? nz(s.getUpdatedReplicas()) : 0;
        int ready = nz(s.getReadyReplicas());
        int available = nz(s.getAvailableReplicas());
        int old = nz(s.getReplicas()) - updated;
        if (observed && old > 0) {
            // old replicas are still running (possibly available): count only pods that are certainly new
            available = Math.max(0, Math.min(available, updated) - old);
            ready = Math.max(0, Math.min(ready, updated) - old);
        }
        return new WorkloadStatus(revision(d, container), desired, ready, available, updated, failure(d, s));
    }

    /**
     * Whether {@code kubectl rollout status} would say the rollout is complete: the controller observed
     * the current generation, every desired replica is updated, no old replica is pending termination,
     * every updated replica is available, and no failure is reported.
     */
    public static boolean rolledOut(Deployment d) {
        if (d == null) {
            return false;
        }
        DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        Long generation = d.getMetadata().getGeneration();
        boolean observed = s.getObservedGeneration() != null && (generation == null || s.getObservedGeneration() >= generation);
        int updated = nz(s.getUpdatedReplicas());
        return observed && failure(d, s) == null && updated >= replicas(d) && nz(s.getReplicas()) <= updated
                && nz(s.getAvailableReplicas()) >= updated;
    }

    /**
     * How many pods a RollingUpdate of {@code d} starts at once: maxSurge (percent rounded up) plus
     * maxUnavailable (percent rounded down), as the Deployment controller resolves them (defaults
     * 25% each); 1 when both resolve to zero, which the API server refuses anyway.
     */
    public static int rollingStep(Deployment d) {
        int n = replicas(d);
        var strategy = d.getSpec().getStrategy();
        var rolling = strategy == null ? null : strategy.getRollingUpdate();
        int surge = resolve(rolling == null ? null : rolling.getMaxSurge(), n, true);
        int unavailable = resolve(rolling == null ? null : rolling.getMaxUnavailable(), n, false);
        return Math.max(1, surge + unavailable);
    }

    private static int resolve(io.fabric8.kubernetes.api.model.IntOrString value, int n, boolean roundUp) {
        if (value == null) {
            value = new io.fabric8.kubernetes.api.model.IntOrString("25%");
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal() == null ? "0" : value.getStrVal().trim();
        try {
            if (text.endsWith("%")) {
                double share = n * Integer.parseInt(text.substring(0, text.length() - 1)) / 100.0;
                return (int) (roundUp ? Math.ceil(share) : Math.floor(share));
            }
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String failure(Deployment d, DeploymentStatus s) {
        String name = d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
        for (DeploymentCondition c : s.getConditions()) {
            if ("Progressing".equals(c.getType()) && "False".equals(c.getStatus()) && "ProgressDeadlineExceeded".equals(c.getReason())) {
                Integer deadline = d.getSpec().getProgressDeadlineSeconds();
                return "deployment " + name + " exceeded its progress deadline (" + (deadline == null ? 600 : deadline) + "s): "
                        + Objects.requireNonNullElse(c.getMessage(), "no progress");
            }
            if ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())) {
                return "deployment " + name + " cannot create pods (" + c.getReason() + "): " + Objects.requireNonNullElse(c.getMessage(), "");
            }
        }
        return null;
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }
}
