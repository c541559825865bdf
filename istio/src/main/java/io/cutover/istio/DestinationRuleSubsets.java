package io.cutover.istio;

import static io.cutover.istio.internal.JsonMaps.map;
import static io.cutover.istio.internal.JsonMaps.maps;
import static io.cutover.istio.internal.JsonMaps.string;

import io.cutover.CutoverException;
import io.cutover.istio.internal.JsonMaps;
import io.cutover.istio.internal.KubeCalls;
import io.cutover.spi.Role;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code stable} and {@code canary} subsets of one DestinationRule, each selecting pods by a
 * version label whose value is a revision name ({@code version: v2.0.0}).
 *
 * <pre>{@code
 * DestinationRuleSubsets subsets = DestinationRuleSubsets.builder(client)
 *         .destinationRule("shop", "myapp")
 *         .host("myapp")              // needed only to create the DestinationRule when it is missing
 *         .build();
 * subsets.point(Role.CANDIDATE, "v2.0.0");
 * }</pre>
 *
 * A DestinationRule of the configured name whose {@code host} is another than the one given with
 * {@link Builder#host} is another team's: it is refused before any write.
 *
 * <p>Only the label under {@link Builder#labelKey} of Cutover's two subsets is written; other labels,
 * other subsets, traffic policies and unknown fields are kept. Moving a subset while it carries
 * traffic would send that traffic to other pods: {@link SubsetAwareWorkloads} moves them in a safe order.
 */
public final class DestinationRuleSubsets {

    private static final Logger LOG = LoggerFactory.getLogger(DestinationRuleSubsets.class);

    private final KubernetesClient client;
    private final ResourceDefinitionContext context;
    private final String namespace;
    private final String name;
    private final String host;
    private final String labelKey;
    private final String stableSubset;
    private final String candidateSubset;
    private final String where;
    private final io.cutover.kubernetes.internal.Reads reads;

    private DestinationRuleSubsets(Builder b) {
        this.client = b.client;
        this.context = IstioResources.destinationRules(b.apiVersion);
        this.namespace = b.namespace;
        this.name = b.name;
        this.host = b.host;
        this.labelKey = b.labelKey;
        this.stableSubset = b.stableSubset;
        this.candidateSubset = b.candidateSubset;
        this.where = "destinationrule " + namespace + "/" + name;
        this.reads = io.cutover.kubernetes.internal.Reads.of(client, b.cache);
    }

    /**
     * Subsets of one DestinationRule, named with {@link Builder#destinationRule}.
     *
     * @param client the Kubernetes client
     * @return a builder: label key {@code version}, subsets {@code stable} and {@code canary}
     */
    public static Builder builder(KubernetesClient client) {
        return new Builder(client);
    }

    /**
     * The subset that serves a role.
     *
     * @param role stable or candidate
     * @return the subset's name
     */
    public String subsetName(Role role) {
        return role == Role.STABLE ? stableSubset : candidateSubset;
    }

    /**
     * The pod label the subsets select on.
     *
     * @return the label key, {@code version} by default
     */
    public String labelKey() {
        return labelKey;
    }

    /**
     * The label value the subset of {@code role} selects, empty when the subset or the label is missing.
     *
     * @param role stable or candidate
     * @return the value, read from the cluster
     */
    public Optional<String> labelValue(Role role) {
        GenericKubernetesResource dr = get();
        if (dr == null) {
            return Optional.empty();
        }
        Map<String, Object> subset = subset(spec(dr), subsetName(role));
        return Optional.ofNullable(string(map(subset, "labels"), labelKey));
    }

    /**
     * Whether the DestinationRule defines a subset of this name.
     *
     * @param subsetName a subset name
     * @return {@code true} when the DestinationRule exists and has the subset
     */
    public boolean defines(String subsetName) {
        GenericKubernetesResource dr = get();
        return dr != null && subset(spec(dr), subsetName) != null;
    }

    /**
     * Throws a PERMANENT {@link CutoverException} when any of {@code destinations} names a subset this
     * DestinationRule lacks (one read for all of them).
     *
     * @param destinations the destinations about to receive traffic
     */
    public void requireSubsetsOf(IstioDestination... destinations) {
        GenericKubernetesResource dr = get();
        for (IstioDestination destination : destinations) {
            if (destination.subset() != null && (dr == null || subset(spec(dr), destination.subset()) == null)) {
                throw CutoverException.permanent("get " + where, where + (dr == null ? " does not exist" : " defines no subset '"
                        + destination.subset() + "'") + ": Cutover will not route traffic to " + destination, null);
            }
        }
    }

    /**
     * Makes the subset of {@code role} select pods labelled {@code labelKey=value}, creating the subset
     * (and the DestinationRule, when a host was given) if missing. Repeating it changes nothing.
     *
     * @param role stable or candidate
     * @param value a Kubernetes label value, usually the revision's name
     */
    public void point(Role role, String value) {
        Objects.requireNonNull(role, "role");
        if (value == null || !value.matches("([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]")) {
            throw new IllegalArgumentException("label value must be a Kubernetes label value: '" + value + "'");
        }
        KubeCalls.reapplyOnConflict(() -> {
            pointOnce(role, value);
            return null;
        });
    }

    private void pointOnce(Role role, String value) {
        editOnce(role, Map.of(labelKey, value), old -> {
            Map<String, Object> next = new LinkedHashMap<>(old);
            next.put(labelKey, value);
            return next;
        });
    }

    /**
     * The labels the subset of {@code role} selects, empty when the subset is missing.
     *
     * @param role the subset's role, stable or candidate
     * @return the subset's labels, as an immutable map
     */
    public Map<String, String> labels(Role role) {
        GenericKubernetesResource dr = get();
        Map<String, Object> subset = dr == null ? null : subset(spec(dr), subsetName(role));
        Map<String, String> labels = new LinkedHashMap<>();
        if (subset != null && map(subset, "labels") != null) {
            map(subset, "labels").forEach((k, v) -> labels.put(k, String.valueOf(v)));
        }
        return labels;
    }

    /**
     * Makes the subset of {@code role} select exactly the pods carrying {@code labels} (a role's
     * {@linkplain io.cutover.spi.WorkloadIdentity identity}): Cutover owns the labels of its two
     * subsets, so labels outside {@code labels} are removed from them (a {@code version} label the
     * candidate's pods inherit from stable's would otherwise select the wrong pods). Creates the
     * subset, or the DestinationRule when a host was given, if missing. Repeating it changes nothing.
     *
     * @param role   the subset's role, stable or candidate
     * @param labels the labels its pods carry; the subset selects these and no others
     */
    public void select(Role role, Map<String, String> labels) {
        Objects.requireNonNull(role, "role");
        if (labels == null || labels.isEmpty()) {
            throw new IllegalArgumentException("labels must not be empty: a subset without labels selects every pod");
        }
        KubeCalls.reapplyOnConflict(() -> {
            selectOnce(role, labels);
            return null;
        });
    }

    private void selectOnce(Role role, Map<String, String> labels) {
        editOnce(role, labels, old -> new LinkedHashMap<>(labels));
    }

    /**
     * One read-modify-write of the subset of {@code role}: its labels become {@code relabel} of the labels
     * it has (empty when it is missing); a missing DestinationRule is created selecting {@code created}.
     * Writes nothing when the labels would not change.
     */
    private void editOnce(Role role, Map<String, String> created,
                          java.util.function.UnaryOperator<Map<String, Object>> relabel) {
        String subsetName = subsetName(role);
        GenericKubernetesResource current = get();
        if (current == null) {
            create(subsetName, created);
            return;
        }
        Map<String, Object> spec = JsonMaps.copyOfMap(spec(current));
        requireHostOfApplication(spec);
        List<Object> subsets = new ArrayList<>(maps(spec, "subsets"));
        Map<String, Object> subset = subset(spec, subsetName);
        if (subset == null) {
            subset = new LinkedHashMap<>();
            subset.put("name", subsetName);
            subsets.add(subset);
        }
        Map<String, Object> old = map(subset, "labels");
        Map<String, Object> next = relabel.apply(old == null ? Map.of() : old);
        if (next.equals(old)) {
            return;
        }
        subset.put("labels", next);
        spec.put("subsets", subsets);
        current.setAdditionalProperty("spec", spec);
        reads.wrote(context, KubeCalls.call("update " + where, () -> client.genericKubernetesResources(context)
                .inNamespace(namespace).resource(current).update()));
        LOG.info("{}: subset {} now selects {}", where, subsetName, next);
    }

    /**
     * Refuses to write a DestinationRule for another host than the one Cutover was given: a rule of that
     * name for another Service is another team's, and its subsets select other pods.
     */
    private void requireHostOfApplication(Map<String, Object> spec) {
        String theirs = string(spec, "host");
        if (host != null && !shortHost(host).equals(theirs == null ? null : shortHost(theirs))) {
            throw CutoverException.permanent("update " + where, where + " is for host '" + theirs + "', not '" + host
                    + "': it is not this application's DestinationRule (another team's?) and it was not changed; "
                    + "name the DestinationRule of " + host, null);
        }
    }

    /** {@code myapp}, {@code myapp.shop}, {@code myapp.shop.svc} and {@code myapp.shop.svc.<cluster domain>} as one name. */
    private String shortHost(String h) {
        int svc = h.indexOf(".svc");
        String name = svc > 0 && (h.length() == svc + 4 || h.charAt(svc + 4) == '.') ? h.substring(0, svc) : h;
        return name.endsWith("." + namespace) ? name.substring(0, name.length() - namespace.length() - 1) : name;
    }

    private void create(String subsetName, Map<String, String> selected) {
        if (host == null) {
            throw CutoverException.permanent("get " + where, "get " + where + ": not found (give a host to let Cutover create it)", null);
        }
        GenericKubernetesResource dr = new GenericKubernetesResource();
        dr.setApiVersion(IstioResources.GROUP + "/" + context.getVersion());
        dr.setKind(context.getKind());
        dr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        Map<String, Object> subset = new LinkedHashMap<>();
        subset.put("name", subsetName);
        subset.put("labels", new LinkedHashMap<>(selected));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("host", host);
        spec.put("subsets", new ArrayList<>(List.of(subset)));
        dr.setAdditionalProperty("spec", spec);
        reads.wrote(context, KubeCalls.call("create " + where, () -> client.genericKubernetesResources(context)
                .inNamespace(namespace).resource(dr).create()));
        LOG.info("{}: created with subset {} selecting {}", where, subsetName, selected);
    }

    private GenericKubernetesResource get() {
        return reads.get(context, namespace, name, "destinationrule");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> spec(GenericKubernetesResource dr) {
        if (!(dr.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)) {
            throw CutoverException.permanent("get " + where, where + " has no spec", null);
        }
        return (Map<String, Object>) spec;
    }

    private static Map<String, Object> subset(Map<String, Object> spec, String subsetName) {
        return maps(spec, "subsets").stream().filter(s -> subsetName.equals(string(s, "name"))).findFirst().orElse(null);
    }

    @Override
    public String toString() {
        return "DestinationRuleSubsets[" + namespace + "/" + name + " " + stableSubset + "," + candidateSubset + " by " + labelKey + "]";
    }

    /** Builds {@link DestinationRuleSubsets}. Defaults: label key {@code version}, subsets {@code stable} and {@code canary}. */
    public static final class Builder {
        private final KubernetesClient client;
        private String namespace;
        private String name;
        private String host;
        private String labelKey = "version";
        private String stableSubset = "stable";
        private String candidateSubset = "canary";
        private String apiVersion = IstioResources.DEFAULT_VERSION;
        private io.cutover.kubernetes.KubernetesCache cache;

        private Builder(KubernetesClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /**
         * Reads the DestinationRule from {@code cache}'s watch instead of the API server (no request
         * once synced; a write's answer is read until the watch delivers it; a write refused with 409
         * is re-read from the API server). Default: no cache, every read is a GET.
         *
         * @param cache the watch cache shared by the engine's targets; its owner closes it
         * @return this builder
         */
        public Builder cache(io.cutover.kubernetes.KubernetesCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * The DestinationRule that holds the subsets (required).
         *
         * @param namespace its namespace
         * @param name its name
         * @return this builder
         */
        public Builder destinationRule(String namespace, String name) {
            if (namespace == null || !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                throw new IllegalArgumentException("namespace must be a Kubernetes namespace name: '" + namespace + "'");
            }
            if (name == null || !name.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
                throw new IllegalArgumentException("destinationRule name must be a Kubernetes name: '" + name + "'");
            }
            this.namespace = namespace;
            this.name = name;
            return this;
        }

        /**
         * The host a DestinationRule created by Cutover is for, and the host an existing one must be for
         * (a DestinationRule of the name for another host is refused); without it a missing DestinationRule
         * is an error and the host of an existing one is not checked.
         *
         * @param host the Service host, for example {@code myapp}
         * @return this builder
         */
        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank: '" + host + "'");
            }
            this.host = host;
            return this;
        }

        /**
         * The pod label the subsets select on; default {@code version}.
         *
         * @param labelKey a Kubernetes label key
         * @return this builder
         */
        public Builder labelKey(String labelKey) {
            if (labelKey == null || !labelKey.matches("([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?")) {
                throw new IllegalArgumentException("labelKey must be a Kubernetes label key: '" + labelKey + "'");
            }
            this.labelKey = labelKey;
            return this;
        }

        /**
         * The stable subset's name; default {@code stable}.
         *
         * @param name a subset name
         * @return this builder
         */
        public Builder stableSubset(String name) {
            this.stableSubset = requireName("stableSubset", name);
            return this;
        }

        /**
         * The candidate subset's name; default {@code canary}.
         *
         * @param name a subset name, different from the stable one
         * @return this builder
         */
        public Builder candidateSubset(String name) {
            this.candidateSubset = requireName("candidateSubset", name);
            return this;
        }

        /**
         * The API version the DestinationRule is addressed with: {@code v1beta1} (default) or {@code v1}.
         *
         * @param apiVersion {@code v1}, {@code v1beta1} or another {@code vN[alpha|betaN]}
         * @return this builder
         */
        public Builder apiVersion(String apiVersion) {
            IstioResources.destinationRules(apiVersion);
            this.apiVersion = apiVersion;
            return this;
        }

        /**
         * Validates the settings and builds the subsets.
         *
         * @return the subsets
         * @throws IllegalArgumentException when the DestinationRule is not named or the two subsets are equal
         */
        public DestinationRuleSubsets build() {
            if (name == null) {
                throw new IllegalArgumentException("destinationRule: namespace and name are required");
            }
            if (stableSubset.equals(candidateSubset)) {
                throw new IllegalArgumentException("stableSubset and candidateSubset must differ: both '" + stableSubset + "'");
            }
            return new DestinationRuleSubsets(this);
        }

        private static String requireName(String parameter, String value) {
            if (value == null || !value.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                throw new IllegalArgumentException(parameter + " must be a DNS label: '" + value + "'");
            }
            return value;
        }
    }
}
