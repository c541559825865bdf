package io.cutover.kubernetes;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Plays the Deployment controller against the CRUD mock server: pods (kept in memory) of the
 * current template start and become ready after {@code startup}, available after the Deployment's
 * {@code minReadySeconds}; RollingUpdate honours maxSurge/maxUnavailable, Recreate stops old pods
 * first; a paused Deployment does not move; an image the {@code broken} predicate matches never
 * becomes ready and hits the progress deadline. Each template gets a ReplicaSet with the
 * {@code deployment.kubernetes.io/revision} annotation, as the real controller keeps them.
 * It talks with its own client (user agent {@value #USER_AGENT}) so tests can tell its requests apart.
 */
public final class FakeDeploymentController {

    static final String USER_AGENT = "fake-deployment-controller";
    static final String REVISION = "deployment.kubernetes.io/revision";

    /** A pod as a Service or a mesh sees it: its owner, labels (template's plus pod-template-hash) and readiness. */
    public record PodView(String name, String deployment, Map<String, String> labels, boolean ready) { }

    private record Pod(String hash, Instant created, boolean broken, Map<String, String> labels, int serial) { }

    private int serials;

    private final KubernetesClient client;
    private final String namespace;
    private final Supplier<Instant> clock;
    private final Duration startup;
    private final Predicate<String> broken;
    private final Map<String, List<Pod>> pods = new HashMap<>();
    private final Map<String, Instant> lastProgress = new HashMap<>();
    private int syncs;
    private List<ReplicaSet> replicaSets = List.of();

    public FakeDeploymentController(KubernetesClient mock, String namespace, Supplier<Instant> clock, Duration startup,
                                    Predicate<String> broken) {
        this.client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(mock.getConfiguration())
                .withUserAgent(USER_AGENT).withRequestRetryBackoffLimit(0).build()).build();
        this.namespace = namespace;
        this.clock = clock;
        this.startup = startup;
        this.broken = broken;
    }

    int syncs() {
        return syncs;
    }

    /** Every pod the controller runs now, as of the last {@link #reconcile()}, readiness at the clock's instant. */
    public synchronized List<PodView> pods() {
        Instant now = clock.get();
        List<PodView> views = new ArrayList<>();
        pods.forEach((deployment, list) -> list.forEach(p -> views.add(new PodView(deployment + "-" + p.hash() + "-" + p.serial(),
                deployment, p.labels(), ready(p, now)))));
        return views;
    }

    /** One pass over every Deployment of the namespace, at the clock's instant; true when every one is complete. */
    public synchronized boolean reconcile() {
        syncs++;
        Instant now = clock.get();
        List<Deployment> deployments = client.apps().deployments().inNamespace(namespace).list().getItems();
        complete = true;
        replicaSets = client.apps().replicaSets().inNamespace(namespace).list().getItems();
        for (Deployment d : deployments) {
            sync(d, now);
        }
        pods.keySet().removeIf(name -> deployments.stream().noneMatch(d -> d.getMetadata().getName().equals(name)));
        return complete;
    }

    private boolean complete;

    private void sync(Deployment d, Instant now) {
        String name = d.getMetadata().getName();
        List<Pod> list = pods.computeIfAbsent(name, k -> new ArrayList<>());
        String hash = hash(d.getSpec().getTemplate());
        boolean isBroken = d.getSpec().getTemplate().getSpec().getContainers().stream().anyMatch(c -> broken.test(c.getImage()));
        int n = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int minReady = d.getSpec().getMinReadySeconds() == null ? 0 : d.getSpec().getMinReadySeconds();
        int before = fingerprint(list, hash, now, minReady);
        String revision = ensureReplicaSet(d, hash);
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        if (!paused) {
            boolean recreate = d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType());
            if (recreate) {
                if (list.removeIf(p -> !p.hash().equals(hash))) {
                    // old pods stop first; new ones start on the next pass
                } else {
                    grow(list, d, hash, n, now, isBroken, Integer.MAX_VALUE);
                }
            } else {
                int surge = resolve(d, true, n);
                int unavailable = resolve(d, false, n);
                if (surge == 0 && unavailable == 0) {
                    unavailable = 1;
                }
                grow(list, d, hash, n, now, isBroken, n + surge - list.size());
                int minAvailable = n - unavailable;
                list.removeIf(p -> !p.hash().equals(hash) && !available(p, now, minReady));
                for (var it = list.iterator(); it.hasNext(); ) {
                    Pod p = it.next();
                    if (!p.hash().equals(hash) && count(list, now, minReady, null) > minAvailable) {
                        it.remove();
                    }
                }
            }
            shrinkNew(list, hash, n, now, minReady);
        }
        if (fingerprint(list, hash, now, minReady) != before || !lastProgress.containsKey(name + hash)) {
            lastProgress.put(name + hash, now);
        }
        writeStatus(d, list, hash, now, minReady, revision, paused);
        updateReplicaSets(d, list, now, minReady);
    }

    private void grow(List<Pod> list, Deployment d, String hash, int n, Instant now, boolean isBroken, int room) {
        long current = list.stream().filter(p -> p.hash().equals(hash)).count();
        Map<String, String> labels = new LinkedHashMap<>();
        if (d.getSpec().getTemplate().getMetadata() != null && d.getSpec().getTemplate().getMetadata().getLabels() != null) {
            labels.putAll(d.getSpec().getTemplate().getMetadata().getLabels());
        }
        labels.put("pod-template-hash", hash);
        for (long i = current; i < n && room > 0; i++, room--) {
            list.add(new Pod(hash, now, isBroken, Map.copyOf(labels), serials++));
        }
    }

    private void shrinkNew(List<Pod> list, String hash, int n, Instant now, int minReady) {
        while (list.stream().filter(p -> p.hash().equals(hash)).count() > n) {
            Pod victim = list.stream().filter(p -> p.hash().equals(hash)).filter(p -> !ready(p, now))
                    .findFirst().orElseGet(() -> list.stream().filter(p -> p.hash().equals(hash)).reduce((a, b) -> b).orElseThrow());
            list.remove(victim);
        }
    }

    private boolean ready(Pod p, Instant now) {
        return !p.broken() && !now.isBefore(p.created().plus(startup));
    }

    private boolean available(Pod p, Instant now, int minReady) {
        return !p.broken() && !now.isBefore(p.created().plus(startup).plusSeconds(minReady));
    }

    private int count(List<Pod> list, Instant now, int minReady, String hash) {
        return (int) list.stream().filter(p -> hash == null || p.hash().equals(hash)).filter(p -> available(p, now, minReady)).count();
    }

    private int fingerprint(List<Pod> list, String hash, Instant now, int minReady) {
        return Objects.hash(list.size(), list.stream().filter(p -> p.hash().equals(hash)).count(), count(list, now, minReady, hash));
    }

    private void writeStatus(Deployment d, List<Pod> list, String hash, Instant now, int minReady, String revision, boolean paused) {
        String name = d.getMetadata().getName();
        int n = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int updated = (int) list.stream().filter(p -> p.hash().equals(hash)).count();
        int ready = (int) list.stream().filter(p -> ready(p, now)).count();
        int available = count(list, now, minReady, null);
        boolean complete = updated == n && list.size() == n && count(list, now, minReady, hash) == n;
        this.complete &= complete;
        int deadline = d.getSpec().getProgressDeadlineSeconds() == null ? 600 : d.getSpec().getProgressDeadlineSeconds();
        DeploymentCondition progressing;
        if (paused) {
            progressing = condition("True", "DeploymentPaused", "Deployment is paused");
        } else if (complete) {
            progressing = condition("True", "NewReplicaSetAvailable", "ReplicaSet has successfully progressed.");
        } else if (now.isAfter(lastProgress.get(name + hash).plusSeconds(deadline))) {
            progressing = condition("False", "ProgressDeadlineExceeded", "ReplicaSet \"" + name + "-" + hash + "\" has timed out progressing.");
        } else {
            progressing = condition("True", "ReplicaSetUpdated", "ReplicaSet \"" + name + "-" + hash + "\" is progressing.");
        }
        DeploymentStatus status = new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(list.size()).withUpdatedReplicas(updated).withReadyReplicas(ready)
                .withAvailableReplicas(available).withUnavailableReplicas(Math.max(0, list.size() - available))
                .withConditions(progressing).build();
        String annotated = d.getMetadata().getAnnotations() == null ? null : d.getMetadata().getAnnotations().get(REVISION);
        if (status.equals(d.getStatus()) && revision.equals(annotated)) {
            return;
        }
        Deployment fresh = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (fresh == null) {
            return;
        }
        if (!revision.equals(annotated)) {
            fresh = client.apps().deployments().inNamespace(namespace).withName(name).edit(x -> {
                x.getMetadata().getAnnotations().put(REVISION, revision);
                return x;
            });
        }
        fresh.setStatus(status);
        client.apps().deployments().inNamespace(namespace).resource(fresh).updateStatus();
    }

    private static DeploymentCondition condition(String status, String reason, String message) {
        return new DeploymentConditionBuilder().withType("Progressing").withStatus(status).withReason(reason).withMessage(message).build();
    }

    /** The ReplicaSet of the current template, created or re-used (then made the newest revision), and its revision. */
    private String ensureReplicaSet(Deployment d, String hash) {
        String name = d.getMetadata().getName();
        List<ReplicaSet> sets = replicaSets(d);
        int max = sets.stream().mapToInt(FakeDeploymentController::revisionOf).max().orElse(0);
        for (ReplicaSet rs : sets) {
            if (rs.getMetadata().getName().equals(name + "-" + hash)) {
                if (revisionOf(rs) != max || sets.stream().filter(s -> revisionOf(s) == max).count() > 1) {
                    rs.getMetadata().getAnnotations().put(REVISION, Integer.toString(max + 1));
                    replace(client.apps().replicaSets().inNamespace(namespace).resource(rs).update());
                    return Integer.toString(max + 1);
                }
                return Integer.toString(revisionOf(rs));
            }
        }
        PodTemplateSpec template = client.getKubernetesSerialization().clone(d.getSpec().getTemplate());
        template.getMetadata().getLabels().put("pod-template-hash", hash);
        Map<String, String> labels = new LinkedHashMap<>(d.getSpec().getTemplate().getMetadata().getLabels());
        labels.put("pod-template-hash", hash);
        ReplicaSet rs = new ReplicaSetBuilder()
                .withNewMetadata().withName(name + "-" + hash).withNamespace(namespace).withLabels(labels)
                .addToAnnotations(REVISION, Integer.toString(max + 1))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment").withName(name)
                        .withUid(d.getMetadata().getUid()).withController(true).build())
                .endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().withMatchLabels(labels).endSelector().withTemplate(template).endSpec()
                .build();
        ReplicaSet created = client.apps().replicaSets().inNamespace(namespace).resource(rs).create();
        replicaSets = new ArrayList<>(replicaSets);
        replicaSets.add(created);
        return Integer.toString(max + 1);
    }

    private void updateReplicaSets(Deployment d, List<Pod> list, Instant now, int minReady) {
        for (ReplicaSet rs : replicaSets(d)) {
            String hash = rs.getMetadata().getLabels().get("pod-template-hash");
            int count = (int) list.stream().filter(p -> p.hash().equals(hash)).count();
            int ready = (int) list.stream().filter(p -> p.hash().equals(hash)).filter(p -> ready(p, now)).count();
            int available = count(list, now, minReady, hash);
            var status = new io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder().withReplicas(count).withReadyReplicas(ready)
                    .withAvailableReplicas(available).withObservedGeneration(rs.getMetadata().getGeneration()).build();
            if (!Objects.equals(rs.getSpec().getReplicas(), count)) {
                rs.getSpec().setReplicas(count);
                rs = client.apps().replicaSets().inNamespace(namespace).resource(rs).update();
                replace(rs);
            }
            if (!status.equals(rs.getStatus())) {
                rs.setStatus(status);
                replace(client.apps().replicaSets().inNamespace(namespace).resource(rs).updateStatus());
            }
        }
    }

    private void replace(ReplicaSet updated) {
        replicaSets = new ArrayList<>(replicaSets.stream().filter(r -> !r.getMetadata().getName().equals(updated.getMetadata().getName())).toList());
        replicaSets.add(updated);
    }

    private List<ReplicaSet> replicaSets(Deployment d) {
        return replicaSets.stream()
                .filter(rs -> rs.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getName().equals(d.getMetadata().getName())))
                .toList();
    }

    private static int revisionOf(ReplicaSet rs) {
        String r = rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(REVISION);
        return r == null ? 0 : Integer.parseInt(r);
    }

    private static int resolve(Deployment d, boolean surge, int n) {
        IntOrString value = null;
        if (d.getSpec().getStrategy() != null && d.getSpec().getStrategy().getRollingUpdate() != null) {
            value = surge ? d.getSpec().getStrategy().getRollingUpdate().getMaxSurge() : d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable();
        }
        if (value == null) {
            value = new IntOrString("25%");
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        int percent = Integer.parseInt(value.getStrVal().replace("%", ""));
        return surge ? (int) Math.ceil(n * percent / 100.0) : (int) Math.floor(n * percent / 100.0);
    }

    private String hash(PodTemplateSpec template) {
        try {
            PodTemplateSpec copy = client.getKubernetesSerialization().clone(template);
            copy.getMetadata().getLabels().remove("pod-template-hash");
            byte[] d = MessageDigest.getInstance("SHA-256").digest(client.getKubernetesSerialization().asJson(copy).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 5);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void close() {
        client.close();
    }
}
