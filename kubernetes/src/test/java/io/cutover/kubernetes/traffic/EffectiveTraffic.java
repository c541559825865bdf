package io.cutover.kubernetes.traffic;

import io.cutover.kubernetes.FakeDeploymentController.PodView;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The share of requests each Deployment's pods really receive, computed from the API server's
 * objects as the data plane would route them, never from what Cutover says it did:
 * <ul>
 *   <li>a Service (kube-proxy): spread evenly over the ready pods its selector matches;</li>
 *   <li>an HTTPRoute (a Gateway): the matching rule of highest precedence (longest path match, then
 *       most header matches, then order), then its backendRefs by weight, each a Service as above;</li>
 *   <li>a VirtualService (Envoy): the first http route whose match holds, then its destinations by
 *       weight, each the ready pods of the host's Service that also carry the DestinationRule
 *       subset's labels. Mirrored requests are not served to users and are not counted.</li>
 * </ul>
 * Pods are those the test Deployment controller runs, with their template's labels and readiness.
 */
public final class EffectiveTraffic {

    private static final ResourceDefinitionContext VIRTUAL_SERVICES = istio("VirtualService", "virtualservices");
    private static final ResourceDefinitionContext DESTINATION_RULES = istio("DestinationRule", "destinationrules");

    private final KubernetesClient client;
    private final String namespace;
    private final Supplier<List<PodView>> pods;

    public EffectiveTraffic(KubernetesClient client, String namespace, Supplier<List<PodView>> pods) {
        this.client = client;
        this.namespace = namespace;
        this.pods = pods;
    }

    /** A request: its path and headers. */
    public record Request(String path, Map<String, String> headers) {
        public static Request plain() {
            return new Request("/", Map.of());
        }

        public static Request withHeader(String name, String value) {
            return new Request("/", Map.of(name.toLowerCase(), value));
        }

        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** Requests to Service {@code name}, as kube-proxy spreads them. */
    public Shares service(String name) {
        return endpoints(name, Map.of());
    }

    /** Plain requests through HTTPRoute {@code name}. */
    public Shares httpRoute(String name) {
        return httpRoute(name, Request.plain());
    }

    /** {@code request} through HTTPRoute {@code name}. */
    public Shares httpRoute(String name, Request request) {
        HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(namespace).withName(name).get();
        HTTPRouteRule best = null;
        int[] bestRank = null;
        List<HTTPRouteRule> rules = route.getSpec().getRules();
        for (int i = 0; i < rules.size(); i++) {
            HTTPRouteRule rule = rules.get(i);
            List<HTTPRouteMatch> matches = rule.getMatches() == null || rule.getMatches().isEmpty()
                    ? List.of(new HTTPRouteMatch()) : rule.getMatches();
            for (HTTPRouteMatch m : matches) {
                int[] rank = rank(m, request);
                if (rank != null && (bestRank == null || compare(rank, bestRank) > 0)) {
                    best = rule;
                    bestRank = rank;
                }
            }
        }
        if (best == null) {
            return Shares.none();
        }
        List<Map.Entry<Shares, Integer>> backends = new ArrayList<>();
        for (var ref : best.getBackendRefs()) {
            int weight = ref.getWeight() == null ? 1 : ref.getWeight();
            backends.add(Map.entry(service(ref.getName()), weight));
        }
        return weighted(backends);
    }

    /** Plain requests through VirtualService {@code name}. */
    public Shares virtualService(String name) {
        return virtualService(name, Request.plain());
    }

    /** {@code request} through VirtualService {@code name}. */
    public Shares virtualService(String name, Request request) {
        GenericKubernetesResource vs = client.genericKubernetesResources(VIRTUAL_SERVICES).inNamespace(namespace).withName(name).get();
        for (Map<String, Object> http : maps(spec(vs), "http")) {
            List<Map<String, Object>> matches = maps(http, "match");
            if (!matches.isEmpty() && matches.stream().noneMatch(m -> istioMatches(m, request))) {
                continue;
            }
            List<Map<String, Object>> route = maps(http, "route");
            List<Map.Entry<Shares, Integer>> backends = new ArrayList<>();
            for (Map<String, Object> d : route) {
                int weight = d.get("weight") instanceof Number n ? n.intValue() : route.size() == 1 ? 100 : 0;
                @SuppressWarnings("unchecked")
                Map<String, Object> destination = (Map<String, Object>) d.get("destination");
                String host = String.valueOf(destination.get("host"));
                String service = host.contains(".") ? host.substring(0, host.indexOf('.')) : host;
                Map<String, String> subset = destination.get("subset") == null ? Map.of() : subsetLabels(service, String.valueOf(destination.get("subset")));
                backends.add(Map.entry(subset == null ? Shares.none() : endpoints(service, subset), weight));
            }
            return weighted(backends);
        }
        return Shares.none();
    }

    private Shares weighted(List<Map.Entry<Shares, Integer>> backends) {
        int total = backends.stream().mapToInt(Map.Entry::getValue).sum();
        Shares result = Shares.empty();
        if (total == 0) {
            return Shares.none();
        }
        for (var b : backends) {
            result = result.plus(1, b.getKey(), b.getValue() / (double) total);
        }
        return result;
    }

    /** The ready pods Service {@code name} selects that also carry {@code extra}, each an equal share. */
    private Shares endpoints(String name, Map<String, String> extra) {
        Service s = client.services().inNamespace(namespace).withName(name).get();
        if (s == null || s.getSpec().getSelector() == null || s.getSpec().getSelector().isEmpty()) {
            return Shares.none();
        }
        Map<String, String> selector = new LinkedHashMap<>(s.getSpec().getSelector());
        List<PodView> serving = pods.get().stream().filter(PodView::ready)
                .filter(p -> carries(p.labels(), selector) && carries(p.labels(), extra)).toList();
        if (serving.isEmpty()) {
            return Shares.none();
        }
        Map<String, Double> by = new LinkedHashMap<>();
        serving.forEach(p -> by.merge(p.deployment(), 1.0 / serving.size(), Double::sum));
        return new Shares(by, 0, serving.size());
    }

    /** The labels of subset {@code subset} in the DestinationRule for {@code service}, or null when none defines it. */
    private Map<String, String> subsetLabels(String service, String subset) {
        for (GenericKubernetesResource dr : client.genericKubernetesResources(DESTINATION_RULES).inNamespace(namespace).list().getItems()) {
            String host = String.valueOf(spec(dr).get("host"));
            if (!service.equals(host.contains(".") ? host.substring(0, host.indexOf('.')) : host)) {
                continue;
            }
            for (Map<String, Object> s : maps(spec(dr), "subsets")) {
                if (subset.equals(s.get("name"))) {
                    Map<String, String> labels = new LinkedHashMap<>();
                    if (s.get("labels") instanceof Map<?, ?> m) {
                        m.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
                    }
                    return labels;
                }
            }
        }
        return null;
    }

    private static boolean istioMatches(Map<String, Object> match, Request request) {
        if (match.get("uri") instanceof Map<?, ?> uri && !stringMatch(uri, request.path())) {
            return false;
        }
        if (match.get("headers") instanceof Map<?, ?> headers) {
            for (var e : headers.entrySet()) {
                String value = request.header(String.valueOf(e.getKey()));
                if (value == null || !(e.getValue() instanceof Map<?, ?> m) || !stringMatch(m, value)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean stringMatch(Map<?, ?> m, String value) {
        if (m.get("exact") != null) {
            return m.get("exact").equals(value);
        }
        if (m.get("prefix") != null) {
            return value.startsWith(String.valueOf(m.get("prefix")));
        }
        if (m.get("regex") != null) {
            return value.matches(String.valueOf(m.get("regex")));
        }
        return true;
    }

    /** Precedence of a Gateway API match that holds: {path length, header matches, -order}; null when it does not hold. */
    private static int[] rank(HTTPRouteMatch m, Request request) {
        int pathLength = 1;
        if (m.getPath() != null && m.getPath().getValue() != null) {
            String type = m.getPath().getType() == null ? "PathPrefix" : m.getPath().getType();
            String value = m.getPath().getValue();
            boolean holds = switch (type) {
                case "Exact" -> request.path().equals(value);
                case "RegularExpression" -> request.path().matches(value);
                default -> request.path().startsWith(value);
            };
            if (!holds) {
                return null;
            }
            pathLength = "Exact".equals(type) ? 10_000 + value.length() : value.length();
        }
        List<HTTPHeaderMatch> headers = m.getHeaders() == null ? List.of() : m.getHeaders();
        for (HTTPHeaderMatch h : headers) {
            String value = request.header(h.getName());
            boolean holds = value != null && ("RegularExpression".equals(h.getType()) ? value.matches(h.getValue()) : value.equals(h.getValue()));
            if (!holds) {
                return null;
            }
        }
        return new int[] {pathLength, headers.size()};
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0; // equal precedence: the earlier rule wins
    }

    private static boolean carries(Map<String, String> labels, Map<String, String> wanted) {
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource r) {
        return r.getAdditionalProperties().get("spec") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Map<String, Object> parent, String key) {
        return parent.get(key) instanceof List<?> l ? l.stream().filter(Map.class::isInstance).map(o -> (Map<String, Object>) o).toList() : List.of();
    }

    private static ResourceDefinitionContext istio(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("networking.istio.io").withVersion("v1beta1")
                .withKind(kind).withPlural(plural).withNamespaced(true).build();
    }
}
