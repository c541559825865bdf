package io.cutover.kubernetes;

import io.cutover.CutoverException;
import io.cutover.kubernetes.internal.Deployments;
import io.cutover.kubernetes.internal.JsonPatch;
import io.cutover.kubernetes.internal.Kube;
import io.cutover.kubernetes.internal.Raw;
import io.cutover.plan.Replicas;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Deployment rolled by its own strategy ({@code RollingUpdate} with its maxSurge/maxUnavailable,
 * or {@code Recreate}), what {@code kubectl set image} and {@code kubectl rollout status / pause /
 * undo} do by hand. The candidate role is the pods of the new template, the stable role those of
 * the previous one.
 *
 * <pre>{@code
 * var native = NativeDeploymentWorkloads.builder(client, "prod", "myapp").pauseAtBatches(true).build();
 * Target target = Target.builder("myapp").workloads(native).router(native.router()).build();
 * engine.start("myapp", Deployment.rolling().maxSurge(1).maxUnavailable(0).batchGate(successRate(0.95)).build(), v2, target);
 * }</pre>
 *
 * <ul>
 *   <li>{@link #deploy} sets the application container's image (a JSON Patch of that one element,
 *       guarded by {@code resourceVersion}) and remembers the revision it replaces in annotations.</li>
 *   <li>With {@link Builder#pauseAtBatches}, the replica count the plan asks of the candidate is a
 *       batch boundary: the Deployment is paused ({@code spec.paused}) once that many replicas run the
 *       new template, so the plan's batch gates judge it, and resumed by the next {@link #scale}.</li>
 *   <li>Readiness is read as {@code kubectl rollout status} reads it; {@code ProgressDeadlineExceeded}
 *       is a failure.</li>
 *   <li>Asking for stable's full capacity, or for no candidate, while the template runs the candidate
 *       (the rollback steps) is {@code kubectl rollout undo}: the template of the previous ReplicaSet (by
 *       {@code deployment.kubernetes.io/revision}) goes back into the Deployment.</li>
 *   <li>Other scale requests are left to the Deployment's own strategy.</li>
 * </ul>
 */
public final class NativeDeploymentWorkloads implements Workloads {

    /** Annotation: the revision the template ran before Cutover changed it. */
    public static final String PREVIOUS_REVISION = "cutover.io/previous-revision";
    /** Annotation: the image the template ran before Cutover changed it. */
    public static final String PREVIOUS_ARTIFACT = "cutover.io/previous-artifact";
    /** Annotation: the candidate replicas of the current batch. */
    public static final String BATCH = "cutover.io/batch";
    private static final String RS_REVISION = "deployment.kubernetes.io/revision";

    private static final Logger LOG = LoggerFactory.getLogger(NativeDeploymentWorkloads.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String container;
    private final boolean pauseAtBatches;
    private final Raw raw;
    private final io.cutover.kubernetes.internal.Reads reads;

    private NativeDeploymentWorkloads(Builder b) {
        this.client = b.client;
        this.namespace = b.namespace;
        this.name = b.name;
        this.container = b.container;
        this.pauseAtBatches = b.pauseAtBatches;
        this.raw = new Raw(client);
        this.reads = io.cutover.kubernetes.internal.Reads.of(client, b.cache);
    }

    /**
     * A signal for the engine's readiness waits: fires when the watch reports a change of the
     * Deployment; {@link io.cutover.spi.ChangeSignal#NONE} without a cache. Give it to
     * {@link io.cutover.Target.Builder#changes}.
     *
     * @return the signal
     */
    public io.cutover.spi.ChangeSignal changes() {
        return reads.cache() == null ? io.cutover.spi.ChangeSignal.NONE : reads.cache().changes(Deployment.class, namespace, name);
    }

    /**
     * Starts the adapter of one Deployment that rolls by its own strategy. Defaults: the first container, no pause at batches.
     *
     * @param client     the client to write through
     * @param namespace  the Deployment's namespace, DNS-1123
     * @param deployment the Deployment's name, DNS-1123
     * @return a new builder
     */
    public static Builder builder(KubernetesClient client, String namespace, String deployment) {
        return new Builder(client, namespace, deployment);
    }

    /**
     * The Deployment this drives.
     *
     * @return the Deployment's name
     */
    public String deployment() {
        return name;
    }

    @Override
    public void deploy(Revision revision, int replicas) {
        Objects.requireNonNull(revision, "revision");
        Kube.reapplyOnConflict(() -> {
            Deployment d = require();
            int total = Deployments.replicas(d);
            if (!Deployments.runs(d, container, revision.name(), revision.artifact())) {
                int index = Deployments.containerIndex(d, container);
                JsonPatch patch = new JsonPatch(raw.tree(d)).expectVersion(d.getMetadata().getResourceVersion())
                        .replace(revision.artifact(), "spec", "template", "spec", "containers", index, "image")
                        .put(CutoverLabels.REVISION, revision.name(), "spec", "template", "metadata", "labels")
                        .put(PREVIOUS_REVISION, Deployments.revision(d, container), "metadata", "annotations")
                        .put(PREVIOUS_ARTIFACT, Deployments.image(d, container), "metadata", "annotations")
                        .put(CutoverLabels.REVISION, revision.name(), "metadata", "annotations")
                        .put(CutoverLabels.ARTIFACT, revision.artifact(), "metadata", "annotations")
                        .put(BATCH, Integer.toString(batch(d, replicas, total)), "metadata", "annotations")
                        .put("paused", false, "spec");
                send(d, patch);
                LOG.info("deployment {} rolls to {} by its {} strategy", ref(), revision.artifact(), strategy(d));
            } else {
                setBatch(d, batch(d, replicas, total));
            }
            return null;
        });
    }

    @Override
    public void scale(Role role, int replicas) {
        Objects.requireNonNull(role, "role");
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative: " + replicas);
        }
        Kube.reapplyOnConflict(() -> {
            Deployment d = require();
            boolean rolling = previous(d).isPresent();
            if (rolling && ((role == Role.STABLE && replicas >= Deployments.replicas(d)) || (role == Role.CANDIDATE && replicas == 0))) {
                undo(d);
            } else if (role == Role.CANDIDATE && rolling && replicas > 0) {
                setBatch(d, batch(d, replicas, Deployments.replicas(d)));
            }
            return null;
        });
    }

    @Override
    public WorkloadStatus status(Role role) {
        Deployment d = require();
        Optional<String> previous = previous(d);
        WorkloadStatus current = Deployments.status(d, container);
        if (role == Role.CANDIDATE) {
            if (previous.isEmpty()) {
                return WorkloadStatus.absent();
            }
            int batch = annotationInt(d, BATCH, current.desired());
            if (batch < current.desired()) {
                if (pauseAtBatches && current.updated() >= batch && !Boolean.TRUE.equals(d.getSpec().getPaused())) {
                    pause(d);
                }
                // the pods really updated, even when the controller went past the batch before the pause took hold
                Optional<ReplicaSet> rs = newSet(d);
                return new WorkloadStatus(current.revision(), batch, ready(rs), available(rs), current.updated(), current.failure());
            }
            return current;
        }
        if (previous.isEmpty()) {
            return current;
        }
        // what the previous template keeps: the replicas the current batch leaves it
        int keep = Math.max(0, current.desired() - annotationInt(d, BATCH, current.desired()));
        Optional<ReplicaSet> rs = newSet(d);
        return new WorkloadStatus(previous.get(), keep, Math.max(0, ready(d) - ready(rs)), Math.max(0, available(d) - available(rs)), keep, null);
    }

    /** The stable role is the template itself from here on: the previous revision is forgotten. */
    @Override
    public void promote(Revision revision) {
        Kube.reapplyOnConflict(() -> {
            Deployment d = require();
            if (!Deployments.runs(d, container, revision.name(), revision.artifact())) {
                throw new CutoverException(CutoverException.Kind.PERMANENT, "promote " + revision.name(),
                        "cannot promote " + revision.name() + ": deployment " + ref() + " runs " + Deployments.image(d, container));
            }
            if (previous(d).isPresent() || Boolean.TRUE.equals(d.getSpec().getPaused())) {
                JsonPatch patch = new JsonPatch(raw.tree(d)).expectVersion(d.getMetadata().getResourceVersion()).put("paused", false, "spec");
                forget(d, patch);
                send(d, patch);
            }
            return null;
        });
    }

    /**
     * Retiring the candidate before promotion undoes the rollout, as {@code scale(CANDIDATE, 0)} does;
     * otherwise there is nothing to release: the Deployment's controller scales old ReplicaSets down itself.
     */
    @Override
    public void retire(Role role) {
        Objects.requireNonNull(role, "role");
        if (role == Role.CANDIDATE) {
            scale(Role.CANDIDATE, 0);
        }
    }

    /**
     * Weights by the pods of each template that are ready: what a Service over the Deployment sends
     * each role. Declares {@link RouterCapability#REPLICA_RATIO}; it writes nothing.
     *
     * @return a read-only router over this Deployment's ready pods
     */
    public TrafficRouter router() {
        return new TrafficRouter() {
            @Override
            public Set<RouterCapability> capabilities() {
                return Set.of(RouterCapability.REPLICA_RATIO);
            }

            @Override
            public void apply(TrafficSplit split) {
                if (!split.candidateMatches().isEmpty() || split.mirrorPercent() != 0) {
                    throw new IllegalArgumentException("a Deployment's own rollout cannot route by header or mirror: " + split);
                }
            }

            @Override
            public TrafficSplit read() {
                Deployment d = require();
                if (previous(d).isEmpty()) {
                    return TrafficSplit.stableOnly();
                }
                return TrafficSplit.weighted(Replicas.effectiveWeight(ready(d), Math.min(newReady(d), ready(d))));
            }

            @Override
            public String toString() {
                return "pods of " + ref();
            }
        };
    }

    // --- kubectl rollout undo -----------------------------------------------------------------

    private void undo(Deployment d) {
        List<ReplicaSet> sets = replicaSets(d);
        int current = sets.stream().filter(rs -> sameTemplate(rs, d)).mapToInt(NativeDeploymentWorkloads::revisionOf).max().orElse(Integer.MAX_VALUE);
        ReplicaSet previous = sets.stream().filter(rs -> revisionOf(rs) < current)
                .max(Comparator.comparingInt(NativeDeploymentWorkloads::revisionOf))
                .orElseThrow(() -> new CutoverException(CutoverException.Kind.PERMANENT, "undo deployment " + ref(),
                        "cannot undo deployment " + ref() + ": no previous ReplicaSet"));
        Map<String, Object> template = raw.tree(previous.getSpec().getTemplate());
        Map<String, Object> labels = Raw.child(Raw.child(template, "metadata"), "labels");
        labels.remove("pod-template-hash");
        Map<String, Object> tree = raw.tree(d);
        JsonPatch patch = new JsonPatch(tree).expectVersion(d.getMetadata().getResourceVersion())
                .replace(template, "spec", "template")
                .put("paused", false, "spec");
        forget(d, patch);
        String previousRevision = Deployments.annotation(d, PREVIOUS_REVISION);
        if (previousRevision != null) {
            patch.put(CutoverLabels.REVISION, previousRevision, "metadata", "annotations");
            patch.put(CutoverLabels.ARTIFACT, Deployments.annotation(d, PREVIOUS_ARTIFACT), "metadata", "annotations");
        }
        send(d, patch);
        LOG.info("deployment {} undone to the template of {} (revision {})", ref(), previous.getMetadata().getName(), revisionOf(previous));
    }

    private static void forget(Deployment d, JsonPatch patch) {
        for (String key : List.of(PREVIOUS_REVISION, PREVIOUS_ARTIFACT, BATCH)) {
            if (Deployments.annotation(d, key) != null) {
                patch.remove("metadata", "annotations", key);
            }
        }
    }

    private boolean sameTemplate(ReplicaSet rs, Deployment d) {
        Map<String, Object> a = raw.tree(rs.getSpec().getTemplate());
        Raw.child(Raw.child(a, "metadata"), "labels").remove("pod-template-hash");
        return a.equals(raw.tree(d.getSpec().getTemplate()));
    }

    private List<ReplicaSet> replicaSets(Deployment d) {
        return reads.list(ReplicaSet.class, namespace, d.getSpec().getSelector().getMatchLabels(), "replicasets of " + ref()).stream()
                .filter(rs -> rs.getMetadata().getOwnerReferences().stream().anyMatch(o -> "Deployment".equals(o.getKind()) && name.equals(o.getName())))
                .toList();
    }

    private static int revisionOf(ReplicaSet rs) {
        String r = rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(RS_REVISION);
        try {
            return r == null ? 0 : Integer.parseInt(r);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Ready pods of the current template: its ReplicaSet's status. */
    private int newReady(Deployment d) {
        return ready(newSet(d));
    }

    private static int ready(Optional<ReplicaSet> rs) {
        return rs.map(r -> r.getStatus() == null || r.getStatus().getReadyReplicas() == null ? 0 : r.getStatus().getReadyReplicas()).orElse(0);
    }

    private static int available(Optional<ReplicaSet> rs) {
        return rs.map(r -> r.getStatus() == null || r.getStatus().getAvailableReplicas() == null ? 0 : r.getStatus().getAvailableReplicas()).orElse(0);
    }

    /** The ReplicaSet of the current template, found by the Deployment's revision annotation. */
    private Optional<ReplicaSet> newSet(Deployment d) {
        String revision = Deployments.annotation(d, RS_REVISION);
        if (revision == null || d.getStatus() == null || d.getStatus().getObservedGeneration() == null
                || d.getStatus().getObservedGeneration() < d.getMetadata().getGeneration()) {
            return Optional.empty();
        }
        return replicaSets(d).stream().filter(rs -> revision.equals(rs.getMetadata().getAnnotations().get(RS_REVISION))).findFirst();
    }

    private static int ready(Deployment d) {
        return d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
    }

    private static int available(Deployment d) {
        return d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0 : d.getStatus().getAvailableReplicas();
    }

    // --- small writes -------------------------------------------------------------------------

    private Optional<String> previous(Deployment d) {
        return Optional.ofNullable(Deployments.annotation(d, PREVIOUS_REVISION));
    }

    /**
     * The batch boundary for {@code replicas} candidate pods, raised to one the controller can
     * honour: it starts new pods {@code maxSurge + maxUnavailable} at a time, so a smaller batch
     * would be overshot before the pause takes hold.
     */
    private int batch(Deployment d, int replicas, int total) {
        if (!pauseAtBatches) {
            return total;
        }
        int step = Math.max(1, Deployments.rollingStep(d));
        int asked = Math.max(replicas, 1);
        int batch = Math.min(total, (asked + step - 1) / step * step);
        if (batch != Math.min(asked, total)) {
            LOG.info("deployment {} updates {} pods at a time (maxSurge + maxUnavailable): the batch of {} becomes {}", ref(), step, asked, batch);
        }
        return batch;
    }

    private void setBatch(Deployment d, int batch) {
        if (String.valueOf(batch).equals(Deployments.annotation(d, BATCH)) && !Boolean.TRUE.equals(d.getSpec().getPaused())) {
            return;
        }
        Map<String, Object> patch = Raw.path("metadata", "annotations", Map.of(BATCH, Integer.toString(batch)));
        Raw.child(patch, "spec").put("paused", false);
        merge(d, patch);
    }

    private void pause(Deployment d) {
        merge(d, Raw.path("spec", "paused", true));
        LOG.info("deployment {} paused at a batch boundary ({} updated)", ref(), d.getStatus() == null ? 0 : d.getStatus().getUpdatedReplicas());
    }

    private static int annotationInt(Deployment d, String key, int otherwise) {
        String v = Deployments.annotation(d, key);
        try {
            return v == null ? otherwise : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static String strategy(Deployment d) {
        return d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null ? "RollingUpdate" : d.getSpec().getStrategy().getType();
    }

    private Deployment require() {
        Deployment d = reads.get(Deployment.class, namespace, name, "deployment");
        if (d == null) {
            throw new CutoverException(CutoverException.Kind.PERMANENT, "get deployment " + ref(), "get deployment " + ref() + " found nothing (404)");
        }
        return d;
    }

    private void send(Deployment d, JsonPatch patch) {
        String json = raw.json(patch.ops());
        reads.wrote(Kube.call("patch", "deployment " + ref(), () -> client.apps().deployments().inNamespace(namespace).resource(d)
                .patch(PatchContext.of(PatchType.JSON), json)));
    }

    private void merge(Deployment d, Map<String, Object> patch) {
        String json = raw.json(reads.guarded(new java.util.LinkedHashMap<>(patch), d));
        reads.wrote(Kube.call("patch", "deployment " + ref(), () -> client.apps().deployments().inNamespace(namespace).resource(d)
                .patch(PatchContext.of(PatchType.JSON_MERGE), json)));
    }

    private String ref() {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return "NativeDeploymentWorkloads[" + ref() + "]";
    }

    /** Builds {@link NativeDeploymentWorkloads}; by default the first container, no pauses between batches. */
    public static final class Builder {
        private final KubernetesClient client;
        private final String namespace;
        private final String name;
        private String container;
        private boolean pauseAtBatches;
        private KubernetesCache cache;

        private Builder(KubernetesClient client, String namespace, String deployment) {
            this.client = Objects.requireNonNull(client, "client");
            this.namespace = DeploymentWorkloads.requireName("namespace", namespace);
            this.name = DeploymentWorkloads.requireName("deployment", deployment);
        }

        /**
         * The application container, by name. Default: the first container of the pod template.
         *
         * @param name the container's name, DNS-1123
         * @return this builder
         */
        public Builder container(String name) {
            this.container = DeploymentWorkloads.requireName("container", name);
            return this;
        }

        /**
         * Pause the Deployment when the batch the plan asks for runs the new template (use with batch gates).
         *
         * @param pause whether to pause at each batch; default {@code false}
         * @return this builder
         */
        public Builder pauseAtBatches(boolean pause) {
            this.pauseAtBatches = pause;
            return this;
        }

        /**
         * Reads the Deployment and its ReplicaSets from {@code cache}'s watches instead of the API server;
         * default: no cache, every status read is a GET and a list.
         *
         * @param cache the watch cache
         * @return this builder
         */
        public Builder cache(KubernetesCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * Builds the adapter; nothing is read or written until a rollout calls it.
         *
         * @return the workloads adapter
         */
        public NativeDeploymentWorkloads build() {
            return new NativeDeploymentWorkloads(this);
        }
    }
}
