package io.cutover.kubernetes;

import io.cutover.CutoverException;
import io.cutover.kubernetes.internal.JsonPatch;
import io.cutover.kubernetes.internal.Kube;
import io.cutover.kubernetes.internal.Raw;
import io.cutover.kubernetes.internal.Reads;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Canary weights and A/B header routes on a Gateway API {@code HTTPRoute}.
 *
 * <pre>{@code
 * var router = GatewayApiRouter.builder(client, "prod", "myapp")   // HTTPRoute myapp
 *         .backends("myapp", "myapp-canary")                      // stable and candidate Services
 *         .build();
 * }</pre>
 *
 * <p>The weighted rule is the first rule with a backendRef to the stable Service; Cutover sets the
 * weights of the stable and candidate backendRefs in it (adding the candidate's, on the stable's
 * port, when missing). Header routes go in a rule of their own, placed before the weighted rule: it
 * repeats the weighted rule's matches (path, method...) with one of the headers added, keeps the
 * weighted rule's filters, timeouts, retry and session persistence, and sends everything to the
 * candidate. A prefix match is written as the regular expression {@code ^\Q<prefix>\E.*} and read
 * back as a prefix.
 *
 * <p><b>Finding that rule again.</b> It is named {@value #ROUTES_RULE}, but Gateway API CRDs before
 * v1.4 prune {@code rules[].name}; so the route also carries the annotation
 * {@value #ROUTES_ANNOTATION} with the header matches the rule adds, and a rule that sends only to the
 * candidate Service and whose matches end with exactly those headers is Cutover's, named or not.
 *
 * <p>A rule of that name that Cutover did not write (no annotation on the route, or backends other than
 * the candidate Service) is a name collision: it is refused before any write, never removed.
 *
 * <p>The rules list is written with a JSON Patch that replaces it as read, with only those changes,
 * and carries the route's {@code resourceVersion}: other rules, filters, timeouts and fields this
 * model does not know are kept, and a concurrent change makes the server answer 409, after which the
 * route is read and the change applied again.
 */
public final class GatewayApiRouter implements TrafficRouter {

    /** The name of the rule that holds Cutover's header routes. */
    public static final String ROUTES_RULE = "cutover-candidate-routes";
    /** Annotation on the HTTPRoute: the header matches of Cutover's rule, which identify it when its name was pruned. */
    public static final String ROUTES_ANNOTATION = "cutover.io/header-routes";

    private static final Logger LOG = LoggerFactory.getLogger(GatewayApiRouter.class);
    private static final Pattern QUOTED_PREFIX = Pattern.compile("\\^\\\\Q(.*)\\\\E\\.\\*", Pattern.DOTALL);

    private final KubernetesClient client;
    private final String namespace;
    private final String route;
    private final String stableBackend;
    private final String candidateBackend;
    private final Raw raw;
    private final Reads reads;

    private GatewayApiRouter(Builder b) {
        this.client = b.client;
        this.namespace = b.namespace;
        this.route = b.route;
        this.stableBackend = b.stableBackend;
        this.candidateBackend = b.candidateBackend;
        this.raw = new Raw(client);
        this.reads = Reads.of(client, b.cache);
    }

    /**
     * A router for HTTPRoute {@code route}; backends default to {@code <route>} and {@code <route>-canary}.
     *
     * @param client    the client to write through
     * @param namespace the route's namespace, DNS-1123
     * @param route     the HTTPRoute's name, DNS-1123
     * @return a new builder
     */
    public static Builder builder(KubernetesClient client, String namespace, String route) {
        return new Builder(client, namespace, route);
    }

    @Override
    public Set<RouterCapability> capabilities() {
        return Set.of(RouterCapability.WEIGHTED, RouterCapability.HEADER_ROUTES);
    }

    @Override
    public void apply(TrafficSplit split) {
        Objects.requireNonNull(split, "split");
        if (split.mirrorPercent() != 0) {
            throw new IllegalArgumentException("the Gateway API router does not mirror: " + split);
        }
        Kube.reapplyOnConflict(() -> {
            HTTPRoute live = get();
            Map<String, Object> tree = raw.tree(live);
            String marked = annotation(live);
            List<Object> rules = new ArrayList<>(Raw.list(Raw.child(tree, "spec"), "rules"));
            requireNoForeignRoutesRule(rules, marked);
            rules.removeIf(r -> isRoutesRule(r, marked));
            int weighted = weightedRule(rules);
            @SuppressWarnings("unchecked")
            Map<String, Object> rule = (Map<String, Object>) rules.get(weighted);
            setWeights(rule, split.candidateWeight());
            String mark = split.candidateMatches().isEmpty() ? null : fingerprint(split.candidateMatches());
            if (mark != null) {
                rules.add(weighted, routesRule(rule, split.candidateMatches()));
            }
            boolean sameRules = rules.equals(Raw.list(Raw.child(raw.tree(live), "spec"), "rules"))
                    || mark != null && sameIgnoringRuleNames(rules, Raw.list(Raw.child(raw.tree(live), "spec"), "rules"));
            if (sameRules && java.util.Objects.equals(mark, marked)) {
                return null;
            }
            JsonPatch patch = new JsonPatch(tree).expectVersion(live.getMetadata().getResourceVersion()).replace(rules, "spec", "rules");
            if (mark != null) {
                patch.put(ROUTES_ANNOTATION, mark, "metadata", "annotations");
            } else if (marked != null) {
                patch.remove("metadata", "annotations", ROUTES_ANNOTATION);
            }
            String json = raw.json(patch.ops());
            reads.wrote(Kube.call("patch", "httproute " + ref(), () -> client.resources(HTTPRoute.class).inNamespace(namespace).resource(live)
                    .patch(PatchContext.of(PatchType.JSON), json)));
            LOG.info("httproute {} sends {}", ref(), split);
            return null;
        });
    }

    @Override
    public TrafficSplit read() {
        HTTPRoute live = get();
        String marked = annotation(live);
        List<Object> rules = Raw.list(Raw.child(raw.tree(live), "spec"), "rules");
        List<HeaderMatch> matches = new ArrayList<>();
        for (Object r : rules) {
            if (isRoutesRule(r, marked)) {
                matches.addAll(headerMatches(asMap(r)));
            }
        }
        List<Object> weightedRules = new ArrayList<>(rules);
        weightedRules.removeIf(r -> isRoutesRule(r, marked));
        Map<String, Object> rule = asMap(weightedRules.get(weightedRule(weightedRules)));
        int stable = 0;
        int candidate = 0;
        for (Object ref : Raw.list(rule, "backendRefs")) {
            Map<String, Object> b = asMap(ref);
            int w = b.get("weight") instanceof Number n ? n.intValue() : 1;
            if (stableBackend.equals(b.get("name"))) {
                stable += w;
            } else if (candidateBackend.equals(b.get("name"))) {
                candidate += w;
            }
        }
        int weight = stable + candidate == 0 ? 0 : Math.round(candidate * 100f / (stable + candidate));
        return new TrafficSplit(weight, List.copyOf(new LinkedHashSet<>(matches)), 0);
    }

    private void setWeights(Map<String, Object> rule, int candidateWeight) {
        List<Object> refs = new ArrayList<>(Raw.list(rule, "backendRefs"));
        Map<String, Object> stableRef = null;
        boolean candidateSeen = false;
        for (Object o : refs) {
            Map<String, Object> b = asMap(o);
            if (stableBackend.equals(b.get("name"))) {
                b.put("weight", 100 - candidateWeight);
                stableRef = b;
            } else if (candidateBackend.equals(b.get("name"))) {
                b.put("weight", candidateWeight);
                candidateSeen = true;
            }
        }
        if (!candidateSeen && stableRef != null) {
            refs.add(candidateRef(stableRef, candidateWeight));
        }
        rule.put("backendRefs", refs);
    }

    private Map<String, Object> candidateRef(Map<String, Object> stableRef, int weight) {
        Map<String, Object> ref = new LinkedHashMap<>();
        for (String key : List.of("group", "kind", "namespace", "port")) {
            if (stableRef.get(key) != null) {
                ref.put(key, stableRef.get(key));
            }
        }
        ref.put("name", candidateBackend);
        ref.put("weight", weight);
        return ref;
    }

    private Map<String, Object> routesRule(Map<String, Object> weightedRule, List<HeaderMatch> headerMatches) {
        List<Object> base = Raw.list(weightedRule, "matches");
        if (base.isEmpty()) {
            base = List.of(new LinkedHashMap<String, Object>());
        }
        List<Object> matches = new ArrayList<>();
        for (HeaderMatch h : headerMatches) {
            for (Object b : base) {
                Map<String, Object> m = new LinkedHashMap<>(asMap(b));
                List<Object> headers = new ArrayList<>(Raw.list(m, "headers"));
                Map<String, Object> header = new LinkedHashMap<>();
                header.put("name", h.header());
                header.put("type", h.kind() == HeaderMatch.Kind.EXACT ? "Exact" : "RegularExpression");
                header.put("value", h.kind() == HeaderMatch.Kind.PREFIX ? "^" + Pattern.quote(h.value()) + ".*" : h.value());
                headers.add(header);
                m.put("headers", headers);
                matches.add(m);
            }
        }
        Map<String, Object> stableRef = Raw.list(weightedRule, "backendRefs").stream().map(GatewayApiRouter::asMap)
                .filter(b -> stableBackend.equals(b.get("name"))).findFirst().orElseThrow();
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("name", ROUTES_RULE);
        rule.put("matches", matches);
        // what the weighted rule does to its requests (filters, timeouts, retry, session persistence...) applies to these too
        weightedRule.forEach((k, v) -> {
            if (!List.of("name", "matches", "backendRefs").contains(k)) {
                rule.put(k, v);
            }
        });
        rule.put("backendRefs", List.of(candidateRef(stableRef, 1)));
        return rule;
    }

    private List<HeaderMatch> headerMatches(Map<String, Object> rule) {
        List<HeaderMatch> result = new ArrayList<>();
        for (Object m : Raw.list(rule, "matches")) {
            List<Object> headers = Raw.list(asMap(m), "headers");
            if (headers.isEmpty()) {
                continue;
            }
            Map<String, Object> h = asMap(headers.get(headers.size() - 1)); // ours is the last one
            String name = String.valueOf(h.get("name"));
            String value = String.valueOf(h.get("value"));
            if ("RegularExpression".equals(h.get("type"))) {
                Matcher prefix = QUOTED_PREFIX.matcher(value);
                result.add(prefix.matches() && !prefix.group(1).contains("\\E") ? HeaderMatch.prefix(name, prefix.group(1)) : HeaderMatch.regex(name, value));
            } else {
                result.add(HeaderMatch.exact(name, value));
            }
        }
        return result;
    }

    private int weightedRule(List<Object> rules) {
        for (int i = 0; i < rules.size(); i++) {
            if (Raw.list(asMap(rules.get(i)), "backendRefs").stream().anyMatch(b -> stableBackend.equals(asMap(b).get("name")))) {
                return i;
            }
        }
        throw new CutoverException(CutoverException.Kind.PERMANENT, "read httproute " + ref(),
                "httproute " + ref() + " has no rule with a backendRef to service " + stableBackend);
    }

    /**
     * Cutover's header-route rule: named {@value #ROUTES_RULE}, or (its name pruned) sending only to
     * the candidate Service with matches whose last headers are those the annotation records.
     */
    private boolean isRoutesRule(Object o, String marked) {
        Map<String, Object> rule = asMap(o);
        if (ROUTES_RULE.equals(rule.get("name"))) {
            return true;
        }
        if (marked == null) {
            return false;
        }
        List<Object> refs = Raw.list(rule, "backendRefs");
        boolean onlyCandidate = !refs.isEmpty() && refs.stream().allMatch(b -> candidateBackend.equals(asMap(b).get("name")));
        return onlyCandidate && marked.equals(fingerprint(headerMatches(rule)));
    }

    /**
     * Refuses a rule named {@value #ROUTES_RULE} that Cutover did not write: the route lacks Cutover's
     * {@value #ROUTES_ANNOTATION} mark, or the rule sends to something other than the candidate Service.
     * Removing or replacing it would take another team's routing away; nothing is written.
     */
    private void requireNoForeignRoutesRule(List<Object> rules, String marked) {
        for (Object o : rules) {
            Map<String, Object> rule = asMap(o);
            if (!ROUTES_RULE.equals(rule.get("name"))) {
                continue;
            }
            List<Object> refs = Raw.list(rule, "backendRefs");
            boolean onlyCandidate = !refs.isEmpty() && refs.stream().allMatch(b -> candidateBackend.equals(asMap(b).get("name")));
            if (marked == null || !onlyCandidate) {
                throw new CutoverException(CutoverException.Kind.PERMANENT, "patch httproute " + ref(), "httproute " + ref()
                        + " has a rule named " + ROUTES_RULE + " that Cutover did not write (" + (marked == null
                        ? "the route lacks the " + ROUTES_ANNOTATION + " annotation" : "it sends to " + refs.stream()
                        .map(b -> String.valueOf(asMap(b).get("name"))).toList() + ", not only to " + candidateBackend)
                        + "): it was not changed; rename that rule");
            }
        }
    }

    /** The header matches of Cutover's rule, as the annotation holds them: one per line, sorted. */
    private static String fingerprint(List<HeaderMatch> matches) {
        return matches.stream().map(m -> m.kind() + " " + m.header() + " " + m.value()).distinct().sorted()
                .reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static String annotation(HTTPRoute route) {
        Map<String, String> a = route.getMetadata().getAnnotations();
        return a == null ? null : a.get(ROUTES_ANNOTATION);
    }

    private static boolean sameIgnoringRuleNames(List<Object> a, List<Object> b) {
        return withoutNames(a).equals(withoutNames(b));
    }

    private static List<Object> withoutNames(List<Object> rules) {
        List<Object> copy = new ArrayList<>();
        for (Object r : rules) {
            Map<String, Object> m = new LinkedHashMap<>(asMap(r));
            m.remove("name");
            copy.add(m);
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    }

    private HTTPRoute get() {
        HTTPRoute r = reads.get(HTTPRoute.class, namespace, route, "httproute");
        if (r == null) {
            throw new CutoverException(CutoverException.Kind.PERMANENT, "get httproute " + ref(),
                    "get httproute " + ref() + " found nothing (404): the router sets weights on an existing HTTPRoute");
        }
        return r;
    }

    private String ref() {
        return namespace + "/" + route;
    }

    @Override
    public String toString() {
        return "GatewayApiRouter[" + ref() + ": " + stableBackend + " / " + candidateBackend + "]";
    }

    /** Builds a {@link GatewayApiRouter}. */
    public static final class Builder {
        private final KubernetesClient client;
        private final String namespace;
        private final String route;
        private String stableBackend;
        private String candidateBackend;
        private KubernetesCache cache;

        private Builder(KubernetesClient client, String namespace, String route) {
            this.client = Objects.requireNonNull(client, "client");
            this.namespace = DeploymentWorkloads.requireName("namespace", namespace);
            this.route = DeploymentWorkloads.requireName("route", route);
            this.stableBackend = route;
            this.candidateBackend = route + "-canary";
        }

        /**
         * The Services in front of the stable and the candidate pods.
         *
         * @param stable    the Service in front of stable's pods
         * @param candidate the Service in front of the candidate's pods
         * @return this builder
         */
        public Builder backends(String stable, String candidate) {
            this.stableBackend = DeploymentWorkloads.requireName("stable backend", stable);
            this.candidateBackend = DeploymentWorkloads.requireName("candidate backend", candidate);
            if (stable.equals(candidate)) {
                throw new IllegalArgumentException("stable and candidate backends must differ: " + stable);
            }
            return this;
        }

        /**
         * Reads the HTTPRoute from {@code cache}'s watch instead of the API server; default: no cache, every read is a GET.
         *
         * @param cache the watch cache
         * @return this builder
         */
        public Builder cache(KubernetesCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * Builds the router; nothing is read or written until a rollout calls it.
         *
         * @return the router
         */
        public GatewayApiRouter build() {
            return new GatewayApiRouter(this);
        }
    }
}
