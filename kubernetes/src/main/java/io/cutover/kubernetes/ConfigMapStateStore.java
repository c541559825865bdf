package io.cutover.kubernetes;

import io.cutover.CutoverException;
import io.cutover.kubernetes.internal.Kube;
import io.cutover.kubernetes.internal.Names;
import io.cutover.kubernetes.internal.Raw;
import io.cutover.kubernetes.internal.Reads;
import io.cutover.spi.StateStore;
import io.cutover.state.RolloutState;
import io.cutover.state.StateCodec;
import io.cutover.state.StateConflictException;
import io.cutover.state.StateIntegrity;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps each rollout's state as JSON in a ConfigMap ({@code cutover-rollout-<name>}, key
 * {@value #KEY}); the version is the ConfigMap's {@code resourceVersion}.
 *
 * <pre>{@code
 * RolloutEngine engine = RolloutEngine.builder().withStateStore(new ConfigMapStateStore(client, "prod")).build();
 * }</pre>
 *
 * <p>A first save creates the ConfigMap (409 "already exists" is a conflict); later saves are a
 * merge patch that carries the expected {@code resourceVersion}, which the API server checks: a
 * writer that read an older version gets {@link StateConflictException}. One request per save.
 *
 * <p>Anyone allowed to update ConfigMaps in the namespace can edit a state. Seal it with a key
 * ({@link #ConfigMapStateStore(KubernetesClient, String, StateIntegrity)}, or the engine's
 * {@code stateKey}) so an edited state is refused as altered.
 */
public final class ConfigMapStateStore implements StateStore {

    /** The data key holding the state's JSON. */
    public static final String KEY = "state.json";
    /** Annotation with the rollout's name as given (the ConfigMap name may be shortened). */
    public static final String ROLLOUT_ANNOTATION = "cutover.io/rollout";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConfigMapStateStore.class);

    private final KubernetesClient client;
    private final String namespace;
    private final Raw raw;
    private final StateIntegrity integrity;
    private final Reads reads;
    private static final Map<String, String> MANAGED = Map.of(CutoverLabels.MANAGED_BY, CutoverLabels.MANAGED_BY_VALUE);

    /**
     * A store trusting what it reads: see {@link #ConfigMapStateStore(KubernetesClient, String, StateIntegrity)}.
     *
     * @param client    the client that reads and writes the ConfigMaps
     * @param namespace the ConfigMaps' namespace, DNS-1123
     */
    public ConfigMapStateStore(KubernetesClient client, String namespace) {
        this(client, namespace, StateIntegrity.none());
    }

    /**
     * A store sealing every state with {@code integrity} and refusing one whose seal does not match.
     *
     * @param client    the client that reads and writes the ConfigMaps
     * @param namespace the ConfigMaps' namespace, DNS-1123
     * @param integrity the key that seals and checks each state
     */
    public ConfigMapStateStore(KubernetesClient client, String namespace, StateIntegrity integrity) {
        this(client, namespace, integrity, null);
    }

    private ConfigMapStateStore(KubernetesClient client, String namespace, StateIntegrity integrity, KubernetesCache cache) {
        this.client = Objects.requireNonNull(client, "client");
        this.reads = Reads.of(client, cache);
        this.namespace = DeploymentWorkloads.requireName("namespace", namespace);
        this.raw = new Raw(client);
        this.integrity = Objects.requireNonNull(integrity, "integrity");
    }

    @Override
    public boolean integrityProtected() {
        return integrity.sealed();
    }

    @Override
    public ConfigMapStateStore withIntegrity(StateIntegrity integrity) {
        return new ConfigMapStateStore(client, namespace, integrity, reads.cache());
    }

    /**
     * This store, loading states from {@code cache}'s watch of the namespace's ConfigMaps labelled
     * {@value CutoverLabels#MANAGED_BY}{@code =}{@value CutoverLabels#MANAGED_BY_VALUE} (a load costs no
     * request; a save's answer is read until the watch delivers it). A save is still a compare-and-set
     * on the API server, so a load that lags behind another engine's save only makes the next save
     * conflict.
     *
     * @param cache the watch cache to load from
     * @return a new store reading from the cache
     */
    public ConfigMapStateStore withCache(KubernetesCache cache) {
        return new ConfigMapStateStore(client, namespace, integrity, Objects.requireNonNull(cache, "cache"));
    }

    /**
     * The ConfigMap that holds {@code rollout}'s state.
     *
     * @param rollout the rollout's name
     * @return the ConfigMap's name, DNS-1123, derived from the rollout's name
     */
    public String configMapName(String rollout) {
        return Names.objectName("cutover-rollout-", io.cutover.internal.Checks.notBlank("rollout", rollout));
    }

    @Override
    public Optional<Stored> load(String rollout) {
        String name = configMapName(rollout);
        ConfigMap cm = reads.get(ConfigMap.class, namespace, name, "configmap", MANAGED);
        if (cm == null) {
            return Optional.empty();
        }
        String json = cm.getData() == null ? null : cm.getData().get(KEY);
        if (json == null) {
            throw new CutoverException(CutoverException.Kind.STATE, "read state " + rollout,
                    "configmap " + ref(name) + " has no '" + KEY + "' entry");
        }
        return Optional.of(new Stored(StateCodec.fromJson(json, "configmap " + ref(name), integrity), cm.getMetadata().getResourceVersion()));
    }

    @Override
    public String save(String rollout, RolloutState state, String expectedVersion) {
        Objects.requireNonNull(state, "state");
        String name = configMapName(rollout);
        String json = StateCodec.toJson(state, integrity);
        try {
            if (expectedVersion == null) {
                ConfigMap cm = new ConfigMapBuilder()
                        .withNewMetadata().withName(name).withNamespace(namespace)
                        .addToLabels(CutoverLabels.MANAGED_BY, CutoverLabels.MANAGED_BY_VALUE)
                        .addToAnnotations(ROLLOUT_ANNOTATION, rollout)
                        .endMetadata()
                        .addToData(KEY, json)
                        .build();
                ConfigMap created = Kube.call("create", "configmap " + ref(name),
                        () -> client.configMaps().inNamespace(namespace).resource(cm).create());
                return reads.wrote(created, MANAGED).getMetadata().getResourceVersion();
            }
            Map<String, Object> patch = new LinkedHashMap<>();
            Raw.child(patch, "metadata").put("resourceVersion", expectedVersion);
            Raw.child(patch, "data").put(KEY, json);
            String body = raw.json(patch);
            // a named stub: fabric8 patches it as it is, without reading the ConfigMap first
            ConfigMap stub = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata().build();
            ConfigMap saved = Kube.call("patch", "configmap " + ref(name), () -> client.configMaps().inNamespace(namespace)
                    .resource(stub).patch(PatchContext.of(PatchType.JSON_MERGE), body));
            return reads.wrote(saved, MANAGED).getMetadata().getResourceVersion();
        } catch (CutoverException e) {
            if (e.kind() == CutoverException.Kind.CONFLICT) {
                throw new StateConflictException(rollout, expectedVersion, "a newer version");
            }
            if (expectedVersion != null && e.getCause() instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getCode() == 404) {
                throw new StateConflictException(rollout, expectedVersion, null);
            }
            throw e;
        }
    }

    /**
     * Every rollout state in the namespace, in one list request: ConfigMaps Cutover labelled whose
     * annotation names a rollout that maps back to the same ConfigMap and whose state (sealed, when
     * this store has a key) names that rollout. A ConfigMap that fails a check is left out and logged.
     *
     * @return the states that passed the checks
     */
    public java.util.List<Stored> list() {
        java.util.List<ConfigMap> items = Kube.call("list", "configmaps " + namespace, () -> client.configMaps().inNamespace(namespace)
                .withLabel(CutoverLabels.MANAGED_BY, CutoverLabels.MANAGED_BY_VALUE).list().getItems());
        java.util.List<Stored> states = new java.util.ArrayList<>();
        for (ConfigMap cm : items) {
            String name = cm.getMetadata().getName();
            String rollout = cm.getMetadata().getAnnotations() == null ? null : cm.getMetadata().getAnnotations().get(ROLLOUT_ANNOTATION);
            String json = cm.getData() == null ? null : cm.getData().get(KEY);
            if (rollout == null || json == null) {
                continue; // another object of Cutover's, not a state
            }
            try {
                if (!configMapName(rollout).equals(name)) {
                    throw new IllegalArgumentException("its annotation names rollout '" + rollout + "', whose state is kept elsewhere");
                }
                RolloutState state = StateCodec.fromJson(json, "configmap " + ref(name), integrity);
                if (!rollout.equals(state.name())) {
                    throw new IllegalArgumentException("it holds the state of rollout '" + state.name() + "'");
                }
                states.add(new Stored(state, cm.getMetadata().getResourceVersion()));
            } catch (RuntimeException e) {
                LOG.warn("configmap {} is left out of the rollouts listed: {}", ref(name), e.getMessage());
            }
        }
        return states;
    }

    /**
     * Deletes {@code rollout}'s ConfigMap, if any.
     *
     * @param rollout the rollout's name
     */
    public void delete(String rollout) {
        String name = configMapName(rollout);
        Kube.run("delete", "configmap " + ref(name), () -> client.configMaps().inNamespace(namespace).withName(name).delete());
        reads.deleted(ConfigMap.class, namespace, name, MANAGED);
    }

    private String ref(String name) {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return "ConfigMapStateStore[" + namespace + "]";
    }
}
