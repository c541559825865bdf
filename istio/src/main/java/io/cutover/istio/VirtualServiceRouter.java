package io.cutover.istio;

import io.cutover.CutoverException;
import io.cutover.istio.internal.HttpRouteEditor;
import io.cutover.istio.internal.JsonMaps;
import io.cutover.istio.internal.KubeCalls;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits traffic between the stable and candidate destinations of one HTTP route in each of one or
 * more Istio VirtualServices (for example the mesh one and the gateway one).
 *
 * <pre>{@code
 * TrafficRouter router = VirtualServiceRouter.builder(client)
 *         .virtualService("shop", "myapp")                 // the only route, or the one sending to stable
 *         .virtualService(VirtualServiceRef.of("edge", "myapp-public", "primary"))
 *         .stable(IstioDestination.subset("stable"))       // default
 *         .candidate(IstioDestination.subset("canary"))    // default
 *         .build();
 * }</pre>
 *
 * <p>What it writes: the weights of the two destinations (integers summing to 100; the candidate
 * destination is added, copied from the stable one, when missing), {@code mirror} and
 * {@code mirrorPercentage} on that route when the candidate is mirrored, and one HTTP route named
 * {@code cutover-candidate[-<route>]} placed before it for header matches. Everything else in the
 * resource (other routes, retries, timeouts, faults, CORS, headers, fields unknown to Cutover) is kept
 * exactly: the resource is edited as plain JSON, never through a typed model. A write is skipped when
 * the resource already holds the split, and uses the read {@code resourceVersion}, so a concurrent
 * change makes the server answer 409; the resource is then read and the change applied again, as the
 * Kubernetes module does (a {@link CutoverException.Kind#CONFLICT} reaches the engine only after
 * three conflicts in a row). Errors are classified as the Kubernetes module classifies them.
 * {@link TrafficSplit#stableOnly()} leaves 100% on stable, no mirror and no Cutover route.
 *
 * <p>The router keeps no state between calls (everything is read from the API server), so it is
 * safe to share between threads and to rebuild after a restart.
 */
public final class VirtualServiceRouter implements TrafficRouter {

    private static final Logger LOG = LoggerFactory.getLogger(VirtualServiceRouter.class);

    private final KubernetesClient client;
    private final ResourceDefinitionContext context;
    private final List<VirtualServiceRef> virtualServices;
    private final IstioDestination stable;
    private final IstioDestination candidate;
    private final DestinationRuleSubsets subsets;
    private final HttpRouteEditor editor;
    private final io.cutover.kubernetes.internal.Reads reads;

    private VirtualServiceRouter(Builder b) {
        this.client = b.client;
        this.context = IstioResources.virtualServices(b.apiVersion);
        this.virtualServices = List.copyOf(b.virtualServices);
        this.stable = b.stable;
        this.candidate = b.candidate;
        this.subsets = b.subsets;
        this.editor = new HttpRouteEditor(stable, candidate);
        this.reads = io.cutover.kubernetes.internal.Reads.of(client, b.cache);
    }

    /**
     * A router on the VirtualServices to be listed in the builder.
     *
     * @param client the Kubernetes client; give it {@code requestRetryBackoffLimit(0)} so the engine counts every retry
     * @return a builder with the defaults listed on {@link Builder}
     */
    public static Builder builder(KubernetesClient client) {
        return new Builder(client);
    }

    /**
     * The VirtualServices every split is written to, in the order given.
     *
     * @return the VirtualServices, never empty
     */
    public List<VirtualServiceRef> virtualServices() {
        return virtualServices;
    }

    @Override
    public Set<RouterCapability> capabilities() {
        return EnumSet.of(RouterCapability.WEIGHTED, RouterCapability.HEADER_ROUTES, RouterCapability.MIRROR);
    }

    @Override
    public void apply(TrafficSplit split) {
        Objects.requireNonNull(split, "split");
        if (subsets != null) {
            if (split.isStableOnly()) {
                subsets.requireSubsetsOf(stable);
            } else {
                subsets.requireSubsetsOf(stable, candidate);
            }
        }
        for (VirtualServiceRef ref : virtualServices) {
            KubeCalls.reapplyOnConflict(() -> {
                apply(ref, split);
                return null;
            });
        }
    }

    private void apply(VirtualServiceRef ref, TrafficSplit split) {
        String where = "virtualservice " + ref.namespace() + "/" + ref.name();
        GenericKubernetesResource current = get(ref, where);
        Map<String, Object> spec = spec(current, where);
        Map<String, Object> desired;
        try {
            desired = editor.apply(spec, ref.routeName(), split, where);
        } catch (HttpRouteEditor.RouteShapeException e) {
            throw CutoverException.permanent("update " + where, e.getMessage(), e);
        }
        if (JsonMaps.jsonEquals(spec, desired)) {
            LOG.debug("{} already holds {}", where, split);
            return;
        }
        GenericKubernetesResource updated = copy(current);
        updated.setAdditionalProperty("spec", desired);
        reads.wrote(context, KubeCalls.call("update " + where, () -> client.genericKubernetesResources(context)
                .inNamespace(ref.namespace()).resource(updated).update()));
        LOG.info("{}: {}", where, split);
    }

    /**
     * The split the VirtualServices hold. When several disagree (a write failed halfway) the answer
     * is the most the candidate gets in any of them: the highest weight and mirror and every header
     * match, so "stable only" is read back only when every VirtualService is stable only.
     */
    @Override
    public TrafficSplit read() {
        int weight = 0;
        int mirror = 0;
        Set<HeaderMatch> matches = new LinkedHashSet<>();
        for (VirtualServiceRef ref : virtualServices) {
            TrafficSplit split = read(ref);
            weight = Math.max(weight, split.candidateWeight());
            mirror = Math.max(mirror, split.mirrorPercent());
            matches.addAll(split.candidateMatches());
        }
        return new TrafficSplit(weight, List.copyOf(matches), mirror);
    }

    /**
     * The split one VirtualService holds.
     *
     * @param ref one of {@link #virtualServices()}
     * @return its candidate weight, header routes and mirror
     */
    public TrafficSplit read(VirtualServiceRef ref) {
        String where = "virtualservice " + ref.namespace() + "/" + ref.name();
        Map<String, Object> spec = spec(get(ref, where), where);
        try {
            return editor.read(spec, ref.routeName(), where);
        } catch (HttpRouteEditor.RouteShapeException e) {
            throw CutoverException.permanent("read " + where, e.getMessage(), e);
        }
    }

    private GenericKubernetesResource get(VirtualServiceRef ref, String where) {
        GenericKubernetesResource vs = reads.get(context, ref.namespace(), ref.name(), "virtualservice");
        if (vs == null) {
            throw CutoverException.permanent("get " + where, "get " + where + ": not found", null);
        }
        return vs;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource vs, String where) {
        if (!(vs.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)) {
            throw CutoverException.permanent("read " + where, where + " has no spec", null);
        }
        return (Map<String, Object>) spec;
    }

    private static GenericKubernetesResource copy(GenericKubernetesResource r) {
        GenericKubernetesResource copy = new GenericKubernetesResource();
        copy.setApiVersion(r.getApiVersion());
        copy.setKind(r.getKind());
        copy.setMetadata(r.getMetadata());
        r.getAdditionalProperties().forEach((k, v) -> copy.setAdditionalProperty(k, JsonMaps.deepCopy(v)));
        return copy;
    }

    @Override
    public String toString() {
        return "VirtualServiceRouter" + virtualServices + " " + stable + " -> " + candidate;
    }

    /**
     * Builds a {@link VirtualServiceRouter}. Defaults: destinations {@code subset stable} and
     * {@code subset canary} on any host, API version {@value IstioResources#DEFAULT_VERSION}, no
     * DestinationRule check. At least one VirtualService is required.
     */
    public static final class Builder {
        private final KubernetesClient client;
        private final List<VirtualServiceRef> virtualServices = new ArrayList<>();
        private IstioDestination stable = IstioDestination.subset("stable");
        private IstioDestination candidate = IstioDestination.subset("canary");
        private String apiVersion = IstioResources.DEFAULT_VERSION;
        private DestinationRuleSubsets subsets;
        private io.cutover.kubernetes.KubernetesCache cache;

        private Builder(KubernetesClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /**
         * Splits the only HTTP route of this VirtualService, or the only one sending to stable.
         *
         * @param namespace the VirtualService's namespace
         * @param name its name
         * @return this builder
         */
        public Builder virtualService(String namespace, String name) {
            return virtualService(VirtualServiceRef.of(namespace, name));
        }

        /**
         * Adds a VirtualService (and, optionally, the name of its weighted route); each may be listed once.
         *
         * @param ref the VirtualService and route
         * @return this builder
         */
        public Builder virtualService(VirtualServiceRef ref) {
            Objects.requireNonNull(ref, "virtualService");
            if (virtualServices.stream().anyMatch(r -> r.namespace().equals(ref.namespace()) && r.name().equals(ref.name()))) {
                throw new IllegalArgumentException("virtualService is listed twice: " + ref);
            }
            virtualServices.add(ref);
            return this;
        }

        /**
         * Reads from {@code cache}'s watch instead of the API server (no request once synced; a write's
         * answer is read until the watch delivers it; a write refused with 409 is re-read from the API
         * server). Default: no cache, every read is a GET.
         *
         * @param cache the watch cache shared by the engine's targets; its owner closes it
         * @return this builder
         */
        public Builder cache(io.cutover.kubernetes.KubernetesCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * The destination that serves the stable revision; default {@code subset stable}.
         *
         * @param stable the stable destination
         * @return this builder
         */
        public Builder stable(IstioDestination stable) {
            this.stable = Objects.requireNonNull(stable, "stable");
            return this;
        }

        /**
         * The destination that serves the candidate; default {@code subset canary}.
         *
         * @param candidate the candidate destination, different from the stable one
         * @return this builder
         */
        public Builder candidate(IstioDestination candidate) {
            this.candidate = Objects.requireNonNull(candidate, "candidate");
            return this;
        }

        /**
         * The API version resources are addressed with: {@code v1beta1} (default) or {@code v1}.
         *
         * @param apiVersion {@code v1}, {@code v1beta1} or another {@code vN[alpha|betaN]}
         * @return this builder
         */
        public Builder apiVersion(String apiVersion) {
            IstioResources.virtualServices(apiVersion);
            this.apiVersion = apiVersion;
            return this;
        }

        /**
         * Refuses to route to a subset this DestinationRule does not define: the stable one on every
         * write, the candidate one before it gets any traffic.
         *
         * @param subsets the DestinationRule whose subsets the destinations name
         * @return this builder
         */
        public Builder verifySubsets(DestinationRuleSubsets subsets) {
            this.subsets = Objects.requireNonNull(subsets, "subsets");
            return this;
        }

        /**
         * Validates the settings and builds the router.
         *
         * @return the router
         * @throws IllegalArgumentException when no VirtualService is listed or the destinations are equal
         */
        public VirtualServiceRouter build() {
            if (virtualServices.isEmpty()) {
                throw new IllegalArgumentException("virtualService: at least one is required");
            }
            if (stable.equals(candidate)) {
                throw new IllegalArgumentException("stable and candidate destinations must differ: both " + stable);
            }
            return new VirtualServiceRouter(this);
        }
    }
}
