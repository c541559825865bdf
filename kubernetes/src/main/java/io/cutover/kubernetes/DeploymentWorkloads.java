package io.cutover.kubernetes;

import io.cutover.CutoverException;
import io.cutover.kubernetes.internal.CandidateSpecs;
import io.cutover.kubernetes.internal.Deployments;
import io.cutover.kubernetes.internal.JsonPatch;
import io.cutover.kubernetes.internal.Kube;
import io.cutover.kubernetes.internal.KubeNames;
import io.cutover.kubernetes.internal.Ownership;
import io.cutover.kubernetes.internal.Raw;
import io.cutover.kubernetes.internal.Reads;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.WorkloadIdentity;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two Deployments of one application as Cutover's stable and candidate roles.
 *
 * <pre>{@code
 * // blue-green: myapp-blue / myapp-green, told apart by their pod label version=blue|green
 * DeploymentWorkloads bg = DeploymentWorkloads.blueGreen(client, "prod", "myapp").activeService("myapp").build();
 * // canary: myapp (stable) and myapp-canary (created from myapp's pod template)
 * DeploymentWorkloads canary = DeploymentWorkloads.canary(client, "prod", "myapp").container("myapp").build();
 * }</pre>
 *
 * <p><b>Candidate.</b> {@link #deploy} creates the candidate Deployment, when it does not exist, from
 * the stable one: the same spec and pod template with the new image in the application container
 * (chosen by {@link Builder#container name}, default the first), the role's pod labels, the
 * {@value CutoverLabels#REVISION} label and Cutover's annotations. A candidate Cutover created follows
 * stable's template on every deploy; a Deployment the team wrote itself (the other colour of a
 * blue-green pair) only gets the new image, the revision label and the replica count.
 *
 * <p><b>Roles in blue-green.</b> The stable colour is the one with the higher
 * {@value CutoverLabels#STABLE_EPOCH} annotation. Before Cutover has written one, it is the colour
 * the {@linkplain Builder#activeService active Service} selects, else the only colour that exists,
 * else the one with more replicas. The first deploy writes the epoch; {@link #promote} raises the
 * candidate's, a single write, so a crash never leaves two stable colours.
 *
 * <p><b>Writes.</b> Every write is a patch of the fields Cutover owns: a JSON merge patch for
 * replicas and annotations; a JSON Patch (RFC 6902) for the image, which sits in the container
 * list, that replaces that one element and carries the {@code resourceVersion} it was computed
 * from, so the API server refuses it (409) when anyone changed the Deployment in between; the
 * write is then read and applied again. Labels, annotations, probes, resources, sidecars and
 * unknown fields of the user's Deployments are kept.
 *
 * <p><b>Ownership.</b> Cutover writes the Deployments the user named (stable, the two colours) and a
 * canary candidate only if it created it (its {@value CutoverLabels#CREATED_FROM},
 * {@value CutoverLabels#APPLICATION} and managed-by marks): a Deployment of the candidate's name made
 * by someone else is refused before any write, unless {@link Builder#manageExistingCandidate()} hands
 * it over. Names are checked as DNS-1123 when the workloads are built.
 */
public final class DeploymentWorkloads implements Workloads {

    /** How the two Deployments are laid out. */
    public enum Mode {
        /** Two long-lived colours that swap roles on promotion. */
        BLUE_GREEN,
        /** A fixed stable Deployment and a candidate Deployment that is retired (deleted) after the rollout. */
        CANARY
    }

    /** One of the two Deployments: its name and the pod labels that tell its pods apart. */
    public record Slot(String name, Map<String, String> podLabels) {
        /**
         * Copies the labels; they are immutable afterwards.
         *
         * @param name      the Deployment's name
         * @param podLabels the labels its pod template carries and selectors match
         */
        public Slot {
            Objects.requireNonNull(name, "name");
            podLabels = Map.copyOf(podLabels);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentWorkloads.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String application;
    private final Mode mode;
    private final Slot first;
    private final Slot second;
    private final String container;
    private final String activeService;
    private final String activeLabel;
    private final Raw raw;
    private final Reads reads;
    private final CandidateSpecs specs;
    private final RoleServices roleServices;
    private final boolean candidateHandedOver;

    private DeploymentWorkloads(Builder b) {
        this.client = b.client;
        this.namespace = b.namespace;
        this.application = b.application;
        this.mode = b.mode;
        this.first = b.first;
        this.second = b.second;
        this.container = b.container;
        this.activeService = b.activeService;
        this.activeLabel = b.activeLabel;
        this.raw = new Raw(client);
        this.reads = Reads.of(client, b.cache);
        this.specs = new CandidateSpecs(raw, namespace, application, container);
        this.roleServices = b.stableService == null ? null : new RoleServices(reads, namespace, b.stableService, b.candidateService);
        this.candidateHandedOver = b.candidateHandedOver;
    }

    /**
     * Blue-green on {@code <application>-blue} and {@code <application>-green}, whose pods carry
     * {@code version=blue} and {@code version=green}.
     *
     * @param client      the client to write through (build it with {@link KubernetesTarget#client()} so retries are counted once)
     * @param namespace   the namespace of both Deployments
     * @param application the application's name, the prefix of both Deployments
     * @return a builder; {@link Builder#colours} and {@link Builder#activeService} change the layout
     */
    public static Builder blueGreen(KubernetesClient client, String namespace, String application) {
        Builder b = new Builder(client, namespace, application, Mode.BLUE_GREEN);
        return b.colours("version", application + "-blue", "blue", application + "-green", "green");
    }

    /**
     * Canary on {@code <application>} (stable) and {@code <application>-canary}, told apart by the
     * {@linkplain PodIdentity#DEFAULT default pod identity}: {@value CutoverLabels#TRACK}{@code =stable}
     * on stable's pods, {@code =canary} on the candidate's.
     *
     * @param client      the client to write through (build it with {@link KubernetesTarget#client()} so retries are counted once)
     * @param namespace   the namespace of both Deployments
     * @param application the application's name, and the stable Deployment's by default
     * @return a builder; {@link Builder#stable}, {@link Builder#candidate} and {@link Builder#identity} change the layout
     */
    public static Builder canary(KubernetesClient client, String namespace, String application) {
        Builder b = new Builder(client, namespace, application, Mode.CANARY);
        b.first = new Slot(application, PodIdentity.DEFAULT.labels(Role.STABLE));
        b.second = new Slot(application + "-canary", PodIdentity.DEFAULT.labels(Role.CANDIDATE));
        return b;
    }

    /**
     * The client this adapter writes through.
     *
     * @return the client given to the builder
     */
    public KubernetesClient client() { return client; }
    /**
     * The watch cache these workloads read from, or {@code null} when they read from the API server.
     *
     * @return the cache, or {@code null}
     */
    public KubernetesCache cache() { return reads.cache(); }
    Reads reads() { return reads; }

    /**
     * A signal for the engine's readiness waits: fires when the watch reports a change of either
     * Deployment; {@link io.cutover.spi.ChangeSignal#NONE} without a cache.
     *
     * @return the signal
     */
    public io.cutover.spi.ChangeSignal changes() {
        return reads.cache() == null ? io.cutover.spi.ChangeSignal.NONE
                : reads.cache().changes(Deployment.class, namespace, first.name(), second.name());
    }

    /**
     * The namespace of both Deployments.
     *
     * @return the namespace
     */
    public String namespace() { return namespace; }
    /**
     * The application's name.
     *
     * @return the name given to the builder
     */
    public String application() { return application; }
    /**
     * How the two Deployments are laid out.
     *
     * @return blue-green or canary
     */
    public Mode mode() { return mode; }
    /**
     * The application container's name, or {@code null} for the first container.
     *
     * @return the container's name, or {@code null}
     */
    public String container() { return container; }

    /**
     * The Deployment that plays {@code role} now.
     *
     * @param role stable or candidate
     * @return the name and pod labels of that Deployment, read from the cluster for blue-green
     */
    public Slot slot(Role role) {
        return read().slot(role);
    }

    /**
     * The name of the Deployment that plays {@code role} now.
     *
     * @param role stable or candidate
     * @return the Deployment's name
     */
    public String deploymentName(Role role) {
        return slot(role).name();
    }

    /**
     * The live Deployment that plays {@code role}, or {@code null} when it does not exist.
     *
     * @param role stable or candidate
     * @return the Deployment as the API server holds it, or {@code null}
     */
    public Deployment deployment(Role role) {
        return read().deployment(role);
    }

    /**
     * The Deployment that plays {@code role} now and the pod labels only its pods carry (for canary
     * workloads, without a request: the names and labels are fixed; for blue-green, the colour that
     * plays the role as read now).
     */
    @Override
    public Optional<WorkloadIdentity> identity(Role role) {
        Objects.requireNonNull(role, "role");
        Slot s = mode == Mode.CANARY ? (role == Role.STABLE ? first : second) : read().slot(role);
        return Optional.of(new WorkloadIdentity(namespace, s.name(), s.podLabels()));
    }

    @Override
    public void deploy(Revision revision, int replicas) {
        Objects.requireNonNull(revision, "revision");
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative: " + replicas);
        }
        Kube.reapplyOnConflict(() -> {
            Live p = identified(pinned(read()));
            if (roleServices != null && p.stable != null) {
                roleServices.isolate(p.stableSlot.podLabels(), p.candidateSlot.podLabels(), identifiable(p.stable, p.stableSlot),
                        stableProgress(p.stable), Ownership.podTemplateLabels(p.stable));
            }
            if (p.stable == null) {
                throw new CutoverException(CutoverException.Kind.PERMANENT, "get deployment " + ref(p.stableSlot.name()),
                        "stable deployment " + ref(p.stableSlot.name()) + " does not exist: the candidate is made from its pod template");
            }
            requireOwnedCandidate(p.candidate, "patch");
            if (p.candidate == null) {
                create(p, revision, replicas);
            } else if (Deployments.runs(p.candidate, container, revision.name(), revision.artifact())
                    && Deployments.replicas(p.candidate) == replicas) {
                LOG.debug("deployment {} already runs {} with {} replicas", ref(p.candidateSlot.name()), revision.name(), replicas);
            } else {
                update(p, revision, replicas);
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
            Live p = pinned(read());
            Deployment d = role == Role.STABLE ? p.stable : p.candidate;
            String name = (role == Role.STABLE ? p.stableSlot : p.candidateSlot).name();
            if (d == null) {
                if (replicas == 0) {
                    return null;
                }
                throw new CutoverException(CutoverException.Kind.PERMANENT, "scale deployment " + ref(name),
                        "cannot scale deployment " + ref(name) + " to " + replicas + ": it does not exist");
            }
            if (role == Role.CANDIDATE) {
                requireOwnedCandidate(d, "scale");
            }
            if (Deployments.replicas(d) != replicas) {
                patch(d, Raw.path("spec", "replicas", replicas));
            }
            return null;
        });
    }

    @Override
    public WorkloadStatus status(Role role) {
        Objects.requireNonNull(role, "role");
        if (mode == Mode.CANARY) {
            return Deployments.status(get((role == Role.STABLE ? first : second).name()), container);
        }
        Live p = read();
        return Deployments.status(role == Role.STABLE ? p.stable : p.candidate, container);
    }

    @Override
    public void promote(Revision revision) {
        Objects.requireNonNull(revision, "revision");
        Kube.reapplyOnConflict(() -> {
            Live p = pinned(read());
            if (Deployments.runs(p.stable, container, revision.name(), revision.artifact())) {
                LOG.debug("deployment {} already runs {} as stable", ref(p.stableSlot.name()), revision.name());
                return null;
            }
            if (!Deployments.runs(p.candidate, container, revision.name(), revision.artifact())) {
                throw new CutoverException(CutoverException.Kind.PERMANENT, "promote " + revision.name(),
                        "cannot promote " + revision.name() + ": neither " + ref(p.stableSlot.name()) + " nor "
                                + ref(p.candidateSlot.name()) + " runs " + revision.artifact());
            }
            if (mode == Mode.BLUE_GREEN) {
                long next = Math.max(epoch(p.stable), epoch(p.candidate)) + 1;
                patch(p.candidate, Raw.path("metadata", "annotations", Map.of(CutoverLabels.STABLE_EPOCH, Long.toString(next))));
                LOG.info("promoted {}: {} is stable now", revision.name(), ref(p.candidateSlot.name()));
            } else {
                int capacity = Math.max(Deployments.replicas(p.stable), Deployments.replicas(p.candidate));
                jsonPatch(p.stable, specs.image(p.stable, revision).put("replicas", capacity, "spec"));
                LOG.info("promoted {}: {} runs {} with {} replicas", revision.name(), ref(p.stableSlot.name()), revision.artifact(), capacity);
            }
            return null;
        });
    }

    /**
     * Scales the role to zero. A canary Deployment Cutover created is deleted instead; the colours of
     * a blue-green pair stay, at zero replicas, for the next rollout.
     */
    @Override
    public void retire(Role role) {
        Objects.requireNonNull(role, "role");
        Live p = read();
        Deployment d = role == Role.STABLE ? p.stable : p.candidate;
        if (d != null && mode == Mode.CANARY && role == Role.CANDIDATE && Ownership.createdByCutover(d, first.name(), application)) {
            Kube.run("delete", "deployment " + ref(d.getMetadata().getName()),
                    () -> client.apps().deployments().inNamespace(namespace).resource(d).delete());
            reads.deleted(d);
            return;
        }
        scale(role, 0);
    }

    // --- reading the pair ---------------------------------------------------------------------

    /**
     * Both Deployments as read now, by role ({@code null} for one that does not exist).
     *
     * @param pinned whether the roles are marked on the Deployments (always true for canary)
     */
    public record Live(Slot stableSlot, Deployment stable, Slot candidateSlot, Deployment candidate, boolean pinned) {
        /**
         * The Deployment that plays {@code role}.
         *
         * @param role stable or candidate
         * @return the Deployment as read, or {@code null} when it does not exist
         */
        public Deployment deployment(Role role) {
            return role == Role.STABLE ? stable : candidate;
        }

        /**
         * The name and pod labels of the Deployment that plays {@code role}.
         *
         * @param role stable or candidate
         * @return the slot
         */
        public Slot slot(Role role) {
            return role == Role.STABLE ? stableSlot : candidateSlot;
        }
    }

    /**
     * Reads both Deployments and tells which plays which role (two GETs, three before blue-green roles are marked).
     *
     * @return both Deployments and their roles
     */
    public Live live() {
        return read();
    }

    /**
     * Like {@link #live()}, and marks the stable colour first if Cutover has not yet: a router must
     * call this before it moves traffic, so that moving traffic never changes which colour is stable.
     *
     * @return both Deployments and their roles, the roles marked on them
     */
    public Live liveMarked() {
        return Kube.reapplyOnConflict(() -> pinned(read()));
    }

    private Live read() {
        Deployment a = get(first.name());
        Deployment b = get(second.name());
        if (mode == Mode.CANARY) {
            return new Live(first, a, second, b, true);
        }
        long ea = epoch(a);
        long eb = epoch(b);
        if (ea >= 0 || eb >= 0) {
            return ea >= eb ? new Live(first, a, second, b, true) : new Live(second, b, first, a, true);
        }
        boolean firstStable;
        String selected = activeColour();
        if (selected != null && (selected.equals(first.podLabels().get(activeLabel)) || selected.equals(second.podLabels().get(activeLabel)))) {
            firstStable = selected.equals(first.podLabels().get(activeLabel));
        } else if (a == null || b == null) {
            firstStable = b == null;
        } else {
            firstStable = Deployments.replicas(a) >= Deployments.replicas(b);
        }
        return firstStable ? new Live(first, a, second, b, false) : new Live(second, b, first, a, false);
    }

    /**
     * Canary: adds the stable role's pod labels to the stable Deployment's pod template (never to its
     * selector) when they are missing, so that routers and metrics can tell its pods from the
     * candidate's. The stable pods roll once.
     */
    private Live identified(Live p) {
        if (mode != Mode.CANARY || p.stable == null || carries(p.stable, p.stableSlot.podLabels())) {
            return p;
        }
        Deployment stable = patch(p.stable, Raw.path("spec", "template", "metadata", "labels", p.stableSlot.podLabels()));
        LOG.info("deployment {}: pod template labelled {} so that its pods can be told from the candidate's; its pods roll once",
                ref(p.stableSlot.name()), p.stableSlot.podLabels());
        return new Live(p.stableSlot, stable, p.candidateSlot, p.candidate, p.pinned);
    }

    /**
     * Whether every pod of the Deployment playing {@code role} carries its identity labels: its
     * template carries them and its rollout is complete as {@code kubectl rollout status} decides.
     * Routers select a role by its labels only when this holds, so no pod of the role is left out.
     *
     * @param role stable or candidate
     * @return {@code true} when every pod of the role carries its identity labels
     */
    public boolean identifiable(Role role) {
        Live p = read();
        Deployment d = p.deployment(role);
        return d != null && identifiable(d, p.slot(role));
    }

    /**
     * Canary: labels the stable Deployment's pod template with its identity when it lacks it (its pods
     * roll once) and tells whether every stable pod carries it yet. Blue-green colours carry their
     * labels already. A router that selects roles by their labels calls this before it narrows a
     * selector to the stable role's labels.
     *
     * @return {@code true} when every stable pod carries its identity labels now
     */
    public boolean prepareIdentity() {
        return Kube.reapplyOnConflict(() -> {
            Live p = identified(pinned(read()));
            return p.stable != null && identifiable(p.stable, p.stableSlot);
        });
    }

    private boolean identifiable(Deployment d, Slot slot) {
        return carries(d, slot.podLabels()) && Deployments.rolledOut(d);
    }

    private String stableProgress(Deployment d) {
        var st = Deployments.status(d, container);
        return "deployment " + ref(d.getMetadata().getName()) + ": " + st.updated() + " of " + st.desired() + " pods updated, "
                + st.available() + " available";
    }

    /** Whether {@code d}'s pod template carries every one of {@code labels}. */
    static boolean carries(Deployment d, Map<String, String> labels) {
        Map<String, String> template = d.getSpec().getTemplate().getMetadata() == null ? null
                : d.getSpec().getTemplate().getMetadata().getLabels();
        return labels.entrySet().stream().allMatch(e -> template != null && e.getValue().equals(template.get(e.getKey())));
    }

    /** Writes the stable colour's epoch before the first change, so later reads never depend on the Service. */
    private Live pinned(Live p) {
        if (p.pinned || p.stable == null) {
            return p;
        }
        Deployment stable = patch(p.stable, Raw.path("metadata", "annotations", Map.of(CutoverLabels.STABLE_EPOCH, "1")));
        return new Live(p.stableSlot, stable, p.candidateSlot, p.candidate, true);
    }

    private String activeColour() {
        if (activeService == null) {
            return null;
        }
        Service s = reads.get(Service.class, namespace, activeService, "service");
        return s == null || s.getSpec().getSelector() == null ? null : s.getSpec().getSelector().get(activeLabel);
    }

    private static long epoch(Deployment d) {
        String e = d == null ? null : Deployments.annotation(d, CutoverLabels.STABLE_EPOCH);
        if (e == null) {
            return -1;
        }
        try {
            return Long.parseLong(e.trim());
        } catch (NumberFormatException ex) {
            return -1;
        }
    }

    /** Refuses, before any write, a canary candidate Cutover did not create and the user did not hand over. */
    private void requireOwnedCandidate(Deployment candidate, String verb) {
        if (candidate != null && mode == Mode.CANARY && !candidateHandedOver) {
            Ownership.requireCreatedByCutover(candidate, ref(second.name()), first.name(), application, verb);
        }
    }

    private Deployment get(String name) {
        return reads.get(Deployment.class, namespace, name, "deployment");
    }

    // --- writing ------------------------------------------------------------------------------

    private void create(Live p, Revision revision, int replicas) {
        Deployment candidate = specs.newCandidate(p.stable, p.candidateSlot.name(), p.candidateSlot.podLabels(),
                p.stableSlot.podLabels(), revision, replicas);
        reads.wrote(Kube.call("create", "deployment " + ref(p.candidateSlot.name()),
                () -> client.apps().deployments().inNamespace(namespace).resource(candidate).create()));
        LOG.info("created deployment {} from {} running {} with {} replicas", ref(p.candidateSlot.name()),
                ref(p.stableSlot.name()), revision.artifact(), replicas);
    }

    private void update(Live p, Revision revision, int replicas) {
        JsonPatch patch = Deployments.annotation(p.candidate, CutoverLabels.CREATED_FROM) != null
                ? specs.followStable(p.candidate, p.stable, p.candidateSlot.podLabels(), p.stableSlot.podLabels(), revision) // a candidate Cutover made
                : specs.image(p.candidate, revision);                                              // a colour the team wrote
        jsonPatch(p.candidate, patch.put("replicas", replicas, "spec"));
        LOG.info("deployment {} runs {} with {} replicas", ref(p.candidateSlot.name()), revision.artifact(), replicas);
    }

    private Deployment patch(Deployment live, Map<String, Object> patch) {
        String name = live.getMetadata().getName();
        String json = raw.json(reads.guarded(new java.util.LinkedHashMap<>(patch), live));
        return reads.wrote(Kube.call("patch", "deployment " + ref(name), () -> client.apps().deployments().inNamespace(namespace)
                .resource(live).patch(PatchContext.of(PatchType.JSON_MERGE), json)));
    }

    private Deployment jsonPatch(Deployment live, JsonPatch patch) {
        String name = live.getMetadata().getName();
        String json = raw.json(patch.ops());
        return reads.wrote(Kube.call("patch", "deployment " + ref(name), () -> client.apps().deployments().inNamespace(namespace)
                .resource(live).patch(PatchContext.of(PatchType.JSON), json)));
    }

    private String ref(String name) {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return "DeploymentWorkloads[" + mode.name().toLowerCase().replace('_', '-') + " " + ref(first.name()) + ", " + ref(second.name()) + "]";
    }

    /** Builds {@link DeploymentWorkloads}; the defaults are those of {@link #blueGreen} and {@link #canary}. */
    public static final class Builder {
        private final KubernetesClient client;
        private final String namespace;
        private final String application;
        private final Mode mode;
        private Slot first;
        private Slot second;
        private String container;
        private String activeService;
        private String activeLabel;
        private String stableService;
        private String candidateService;
        private boolean candidateHandedOver;
        private KubernetesCache cache;

        private Builder(KubernetesClient client, String namespace, String application, Mode mode) {
            this.client = Objects.requireNonNull(client, "client");
            this.namespace = requireName("namespace", namespace);
            this.application = requireName("application", application);
            this.mode = mode;
        }

        /**
         * Blue-green only: the two Deployments and the value each colour's pods carry in {@code label}
         * (default {@code version}: {@code <app>-blue}/{@code blue}, {@code <app>-green}/{@code green}).
         *
         * @param label            the pod label whose value tells the colours apart
         * @param firstDeployment  the first colour's Deployment
         * @param firstValue       the value of {@code label} on its pods
         * @param secondDeployment the second colour's Deployment
         * @param secondValue      the value of {@code label} on its pods
         * @return this builder
         */
        public Builder colours(String label, String firstDeployment, String firstValue, String secondDeployment, String secondValue) {
            if (mode != Mode.BLUE_GREEN) {
                throw new IllegalArgumentException("colours apply to blue-green workloads only");
            }
            KubeNames.labelKey("colour label", label);
            if (Objects.equals(firstDeployment, secondDeployment) || Objects.equals(firstValue, secondValue)) {
                throw new IllegalArgumentException("the two colours must differ: " + firstDeployment + "/" + firstValue
                        + " and " + secondDeployment + "/" + secondValue);
            }
            this.first = new Slot(requireName("first deployment", firstDeployment), Map.of(label, KubeNames.labelValue("first colour", firstValue)));
            this.second = new Slot(requireName("second deployment", secondDeployment), Map.of(label, KubeNames.labelValue("second colour", secondValue)));
            this.activeLabel = label;
            return this;
        }

        /**
         * Canary only: the stable Deployment (default {@code <app>}); its pods keep the stable role's pod labels.
         *
         * @param deployment the Deployment's name, DNS-1123
         * @return this builder
         */
        public Builder stable(String deployment) {
            requireCanary("stable");
            this.first = new Slot(requireName("stable deployment", deployment), first.podLabels());
            return this;
        }

        /**
         * Canary only: the pod label that tells stable pods from candidate pods (default
         * {@link PodIdentity#DEFAULT}); sets the pod labels of both Deployments.
         *
         * @param identity the label and its value per role
         * @return this builder
         */
        public Builder identity(PodIdentity identity) {
            requireCanary("identity");
            Objects.requireNonNull(identity, "identity");
            this.first = new Slot(first.name(), identity.labels(Role.STABLE));
            this.second = new Slot(second.name(), identity.labels(Role.CANDIDATE));
            return this;
        }

        /**
         * Canary only: the candidate Deployment and the pod labels that set its pods apart (default {@code <app>-canary}, {@code cutover.io/track=canary}).
         *
         * @param deployment the Deployment's name, DNS-1123
         * @param podLabels  labels only the candidate's pods carry
         * @return this builder
         */
        public Builder candidate(String deployment, Map<String, String> podLabels) {
            requireCanary("candidate");
            if (podLabels == null || podLabels.isEmpty()) {
                throw new IllegalArgumentException("candidate pod labels must not be empty: the candidate's selector must differ from stable's");
            }
            podLabels.forEach((k, v) -> KubeNames.labelValue("candidate pod label " + KubeNames.labelKey("candidate pod label", k), v));
            this.second = new Slot(requireName("candidate deployment", deployment), podLabels);
            return this;
        }

        /**
         * Canary only: a Service in front of each role (the backends of a Gateway API route, default
         * none). Cutover adds each role's pod labels to its Service's selector before it creates the
         * candidate, so that the stable Service never sends requests to candidate pods; the stable
         * Service narrows once every stable pod carries its label.
         *
         * @param stableService    the Service in front of stable's pods
         * @param candidateService the Service in front of the candidate's pods
         * @return this builder
         */
        public Builder roleServices(String stableService, String candidateService) {
            requireCanary("roleServices");
            this.stableService = requireName("stableService", stableService);
            this.candidateService = requireName("candidateService", candidateService);
            if (stableService.equals(candidateService)) {
                throw new IllegalArgumentException("stableService and candidateService must differ: " + stableService);
            }
            return this;
        }

        /**
         * Canary only: the candidate Deployment already exists and is the user's to hand over; Cutover
         * may change its image and replicas although it did not create it. Default: a candidate
         * Deployment Cutover did not create is refused before any write.
         *
         * @return this builder
         */
        public Builder manageExistingCandidate() {
            requireCanary("manageExistingCandidate");
            this.candidateHandedOver = true;
            return this;
        }

        /**
         * Reads the Deployments (and the active Service) from {@code cache}'s watches instead of the API
         * server: a status read costs no request. Default: no cache, every read is a GET.
         *
         * @param cache the watch cache
         * @return this builder
         */
        public Builder cache(KubernetesCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * The application container, by name (default: the first container of the pod template).
         *
         * @param name the container's name in the pod template
         * @return this builder
         */
        public Builder container(String name) {
            this.container = KubeNames.label("container", name);
            return this;
        }

        /**
         * Blue-green only: the Service whose selector tells which colour is live before Cutover has marked one.
         *
         * @param service the Service's name
         * @return this builder
         */
        public Builder activeService(String service) {
            if (mode != Mode.BLUE_GREEN) {
                throw new IllegalArgumentException("activeService applies to blue-green workloads only");
            }
            this.activeService = requireName("activeService", service);
            return this;
        }

        /**
         * Builds the adapter; nothing is read or written until a rollout calls it.
         *
         * @return the workloads adapter
         * @throws IllegalArgumentException if a name is not DNS-1123 or a setting does not fit the mode
         */
        public DeploymentWorkloads build() {
            if (first.name().equals(second.name())) {
                throw new IllegalArgumentException("stable and candidate deployments must differ: " + first.name());
            }
            if (first.podLabels().equals(second.podLabels())) {
                throw new IllegalArgumentException("stable and candidate pod labels must differ: both " + first.podLabels());
            }
            return new DeploymentWorkloads(this);
        }

        private void requireCanary(String what) {
            if (mode != Mode.CANARY) {
                throw new IllegalArgumentException(what + " applies to canary workloads only; use colours(..) for blue-green");
            }
        }
    }

    /** A name that becomes part of an API path: a DNS-1123 name, checked before any request. */
    static String requireName(String parameter, String value) {
        return KubeNames.objectName(parameter, value);
    }
}
