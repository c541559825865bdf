package io.cutover.kubernetes.internal;

import io.cutover.kubernetes.CutoverLabels;
import io.cutover.spi.Revision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Cutover writes into Deployments: a candidate made from stable's spec, the patch that makes a
 * Cutover-made candidate follow stable's template, and the patch that changes only the image.
 */
public final class CandidateSpecs {

    private final Raw raw;
    private final String namespace;
    private final String application;
    private final String container;

    public CandidateSpecs(Raw raw, String namespace, String application, String container) {
        this.raw = raw;
        this.namespace = namespace;
        this.application = application;
        this.container = container;
    }

    /**
     * A new Deployment {@code name} made from {@code stable}: its spec and pod template (unknown fields
     * included) with {@code podLabels} added to the selector and the pods, the revision's image, and
     * stable's labels and annotations except those of Cutover, kubectl and the Deployment controller.
     * Stable's role labels ({@code stableLabels}) that the candidate's do not replace are dropped.
     */
    public Deployment newCandidate(Deployment stable, String name, Map<String, String> podLabels, Map<String, String> stableLabels,
                                   Revision revision, int replicas) {
        Map<String, Object> tree = raw.tree(stable);
        Map<String, Object> metadata = Raw.child(tree, "metadata");
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put("name", name);
        kept.put("namespace", namespace);
        Map<String, Object> labels = new LinkedHashMap<>(Raw.child(metadata, "labels"));
        labels.putAll(podLabels);
        labels.put(CutoverLabels.REVISION, revision.name());
        labels.put(CutoverLabels.MANAGED_BY, CutoverLabels.MANAGED_BY_VALUE);
        kept.put("labels", labels);
        Map<String, Object> annotations = new LinkedHashMap<>();
        Raw.child(metadata, "annotations").forEach((k, v) -> {
            if (!k.startsWith("cutover.io/") && !k.startsWith("deployment.kubernetes.io/") && !k.startsWith("kubectl.kubernetes.io/")) {
                annotations.put(k, v);
            }
        });
        annotations.putAll(owner(revision));
        annotations.put(CutoverLabels.CREATED_FROM, stable.getMetadata().getName());
        kept.put("annotations", annotations);
        tree.put("metadata", kept);
        tree.remove("status");
        Map<String, Object> spec = Raw.child(tree, "spec");
        spec.put("replicas", replicas);
        spec.remove("paused");
        Raw.child(Raw.child(spec, "selector"), "matchLabels").putAll(podLabels);
        Raw.merge(Raw.child(spec, "template"), templateChanges(stable, revision, podLabels));
        dropStableLabels(Raw.child(spec, "template"), podLabels, stableLabels);
        return raw.typed(tree, Deployment.class);
    }

    /** Replaces a Cutover-made candidate's pod template with stable's plus the candidate's changes. */
    public JsonPatch followStable(Deployment candidate, Deployment stable, Map<String, String> podLabels,
                                  Map<String, String> stableLabels, Revision revision) {
        Map<String, Object> template = raw.tree(stable.getSpec().getTemplate());
        Raw.merge(template, templateChanges(stable, revision, podLabels));
        dropStableLabels(template, podLabels, stableLabels);
        JsonPatch patch = new JsonPatch(raw.tree(candidate)).expectVersion(candidate.getMetadata().getResourceVersion())
                .replace(template, "spec", "template");
        return marks(patch, revision, false);
    }

    /** Changes {@code d}'s application image and revision labels, guarded by its resourceVersion. */
    public JsonPatch image(Deployment d, Revision revision) {
        int index = Deployments.containerIndex(d, container);
        JsonPatch patch = new JsonPatch(raw.tree(d)).expectVersion(d.getMetadata().getResourceVersion())
                .replace(revision.artifact(), "spec", "template", "spec", "containers", index, "image");
        return marks(patch, revision, true);
    }

    private static void dropStableLabels(Map<String, Object> template, Map<String, String> podLabels, Map<String, String> stableLabels) {
        Map<String, Object> labels = Raw.child(Raw.child(template, "metadata"), "labels");
        stableLabels.forEach((k, v) -> {
            if (!podLabels.containsKey(k) && v.equals(labels.get(k))) {
                labels.remove(k);
            }
        });
    }

    private JsonPatch marks(JsonPatch patch, Revision revision, boolean podLabel) {
        patch.put(CutoverLabels.REVISION, revision.name(), "metadata", "labels");
        if (podLabel) {
            patch.put(CutoverLabels.REVISION, revision.name(), "spec", "template", "metadata", "labels");
            patch.put(CutoverLabels.APPLICATION, application, "spec", "template", "metadata", "labels");
        }
        owner(revision).forEach((k, v) -> patch.put(k, v, "metadata", "annotations"));
        return patch;
    }

    /** What the candidate's pod template adds to stable's: role labels, revision label, the new image. */
    private Map<String, Object> templateChanges(Deployment stable, Revision revision, Map<String, String> podLabels) {
        int index = Deployments.containerIndex(stable, container);
        List<Object> containers = Raw.list(raw.tree(stable.getSpec().getTemplate().getSpec()), "containers");
        @SuppressWarnings("unchecked")
        Map<String, Object> app = (Map<String, Object>) containers.get(index);
        app.put("image", revision.artifact());
        Map<String, Object> labels = new LinkedHashMap<>(podLabels);
        labels.put(CutoverLabels.REVISION, revision.name());
        labels.put(CutoverLabels.APPLICATION, application);
        Map<String, Object> changes = new LinkedHashMap<>();
        Raw.child(changes, "metadata").put("labels", labels);
        Raw.child(changes, "spec").put("containers", containers);
        return changes;
    }

    private Map<String, Object> owner(Revision revision) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(CutoverLabels.REVISION, revision.name());
        a.put(CutoverLabels.ARTIFACT, revision.artifact());
        a.put(CutoverLabels.APPLICATION, application);
        return a;
    }
}
