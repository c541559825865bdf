package io.cutover.istio.internal;

import static io.cutover.istio.internal.JsonMaps.deepCopy;
import static io.cutover.istio.internal.JsonMaps.map;
import static io.cutover.istio.internal.JsonMaps.maps;
import static io.cutover.istio.internal.JsonMaps.string;

import io.cutover.istio.IstioDestination;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.TrafficSplit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes a {@link TrafficSplit} on the {@code spec} of a VirtualService held as plain maps.
 * It touches only what Cutover owns: the {@code weight} of the stable and candidate destinations of
 * one HTTP route (adding the candidate destination when it is missing), that route's {@code mirror}
 * and {@code mirrorPercentage} when they point at the candidate, and the HTTP routes named
 * {@value #ROUTE_PREFIX}... that it places before the weighted route. Every other field is kept as is.
 * A route of Cutover's name that does not send only to the candidate is another's, and refused.
 */
public final class HttpRouteEditor {

    /** Names of the HTTP routes Cutover adds; it removes exactly these. */
    public static final String ROUTE_PREFIX = "cutover-candidate";

    /** Fields of the weighted route a header route does not copy: they decide where requests go. */
    private static final Set<String> NOT_COPIED = Set.of("name", "match", "route", "mirror", "mirrorPercentage",
            "mirrorPercent", "mirror_percent", "mirrors", "redirect", "directResponse", "delegate");

    private final IstioDestination stable;
    private final IstioDestination candidate;

    public HttpRouteEditor(IstioDestination stable, IstioDestination candidate) {
        if (stable.equals(candidate)) {
            throw new IllegalArgumentException("stable and candidate destinations must differ: both " + stable);
        }
        this.stable = stable;
        this.candidate = candidate;
    }

    /** The name of the header route Cutover places before a weighted route of this name. */
    public static String headerRouteName(String weightedRouteName) {
        return weightedRouteName == null ? ROUTE_PREFIX : ROUTE_PREFIX + "-" + weightedRouteName;
    }

    public static boolean isCutoverRoute(Map<String, Object> route) {
        String name = string(route, "name");
        return name != null && (name.equals(ROUTE_PREFIX) || name.startsWith(ROUTE_PREFIX + "-"));
    }

    /** The split this spec holds on the chosen route. */
    public TrafficSplit read(Map<String, Object> spec, String routeName, String where) {
        List<Map<String, Object>> http = maps(spec, "http");
        Map<String, Object> weighted = http.get(weightedIndex(http, routeName, where));
        int candidateWeight = 0;
        List<Map<String, Object>> destinations = maps(weighted, "route");
        for (Map<String, Object> d : destinations) {
            if (candidate.matches(map(d, "destination"))) {
                candidateWeight = d.get("weight") instanceof Number n ? n.intValue() : destinations.size() == 1 ? 100 : 0;
            }
        }
        int mirror = 0;
        if (candidate.matches(map(weighted, "mirror"))) {
            Map<String, Object> pct = map(weighted, "mirrorPercentage");
            if (pct != null && pct.get("value") instanceof Number n) {
                mirror = (int) Math.round(n.doubleValue());
            } else if (weighted.get("mirrorPercent") instanceof Number n) {
                mirror = n.intValue();
            } else {
                mirror = 100;
            }
        }
        String ours = headerRouteName(string(weighted, "name"));
        Set<String> usersHeaders = new java.util.HashSet<>();
        for (Map<String, Object> m : maps(weighted, "match")) {
            Map<String, Object> headers = map(m, "headers");
            if (headers != null) {
                usersHeaders.addAll(headers.keySet());
            }
        }
        Set<HeaderMatch> matches = new LinkedHashSet<>();
        for (Map<String, Object> route : http) {
            if (ours.equals(string(route, "name"))) {
                for (Map<String, Object> m : maps(route, "match")) {
                    headerMatches(map(m, "headers")).stream()
                            .filter(h -> !usersHeaders.contains(h.header()))
                            .forEach(matches::add);
                }
            }
        }
        return new TrafficSplit(Math.max(0, Math.min(100, candidateWeight)), List.copyOf(matches), Math.max(0, Math.min(100, mirror)));
    }

    /** A copy of {@code spec} holding {@code split} on the chosen route; {@code spec} itself is not changed. */
    public Map<String, Object> apply(Map<String, Object> spec, String routeName, TrafficSplit split, String where) {
        Map<String, Object> out = JsonMaps.copyOfMap(spec);
        List<Map<String, Object>> http = maps(out, "http");
        int index = weightedIndex(http, routeName, where);
        Map<String, Object> weighted = http.get(index);
        setWeights(weighted, split.candidateWeight(), where);
        setMirror(weighted, split.mirrorPercent(), where);

        String ours = headerRouteName(string(weighted, "name"));
        requireNoForeignRoute(http, ours, where);
        List<Object> routes = new ArrayList<>();
        for (Map<String, Object> route : http) {
            if (route == weighted && !split.candidateMatches().isEmpty()) {
                routes.add(headerRoute(ours, weighted, split.candidateMatches(), where));
            }
            if (!ours.equals(string(route, "name"))) {
                routes.add(route);
            }
        }
        out.put("http", routes);
        return out;
    }

    /**
     * Refuses an HTTP route named {@code ours} that Cutover did not write: Cutover's header route sends
     * every request it matches to the candidate destination alone. Anything else of that name is
     * someone else's route, which removing or replacing would take away.
     */
    private void requireNoForeignRoute(List<Map<String, Object>> http, String ours, String where) {
        for (Map<String, Object> route : http) {
            if (!ours.equals(string(route, "name"))) {
                continue;
            }
            List<Map<String, Object>> destinations = maps(route, "route");
            boolean onlyCandidate = destinations.size() == 1 && candidate.matches(map(destinations.get(0), "destination"))
                    && route.get("redirect") == null && route.get("directResponse") == null && route.get("delegate") == null;
            if (!onlyCandidate) {
                throw problem(where + " has an HTTP route named '" + ours + "' that Cutover did not write (it does not send only to "
                        + candidate + "): it was not changed; rename that route");
            }
        }
    }

    private int weightedIndex(List<Map<String, Object>> http, String routeName, String where) {
        if (routeName != null) {
            for (int i = 0; i < http.size(); i++) {
                if (routeName.equals(string(http.get(i), "name"))) {
                    return i;
                }
            }
            throw problem(where + " has no HTTP route named '" + routeName + "'");
        }
        List<Integer> candidates = new ArrayList<>();
        List<Integer> toStable = new ArrayList<>();
        for (int i = 0; i < http.size(); i++) {
            if (isCutoverRoute(http.get(i))) {
                continue;
            }
            candidates.add(i);
            if (maps(http.get(i), "route").stream().anyMatch(d -> stable.matches(map(d, "destination")))) {
                toStable.add(i);
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (toStable.size() == 1) {
            return toStable.get(0);
        }
        throw problem(where + " has " + candidates.size() + " HTTP routes and " + toStable.size()
                + " of them send to " + stable + ": name the route to split");
    }

    private void setWeights(Map<String, Object> weighted, int candidateWeight, String where) {
        List<Map<String, Object>> destinations = maps(weighted, "route");
        Map<String, Object> stableDest = null;
        Map<String, Object> canaryDest = null;
        for (Map<String, Object> d : destinations) {
            Map<String, Object> dest = map(d, "destination");
            if (stable.matches(dest) && stableDest == null) {
                stableDest = d;
            } else if (candidate.matches(dest) && canaryDest == null) {
                canaryDest = d;
            } else {
                throw problem(where + " route '" + string(weighted, "name") + "' sends to " + dest
                        + ", which is neither " + stable + " nor " + candidate + ": Cutover will not change its weights");
            }
        }
        if (stableDest == null) {
            throw problem(where + " route '" + string(weighted, "name") + "' has no destination " + stable);
        }
        if (canaryDest == null) {
            if (candidateWeight == 0) {
                if (stableDest.containsKey("weight")) {
                    stableDest.put("weight", 100);
                }
                return;
            }
            canaryDest = new LinkedHashMap<>();
            canaryDest.put("destination", candidateDestination(weighted, where));
            List<Object> list = new ArrayList<>(destinations);
            list.add(canaryDest);
            weighted.put("route", list);
        }
        stableDest.put("weight", 100 - candidateWeight);
        canaryDest.put("weight", candidateWeight);
    }

    private void setMirror(Map<String, Object> weighted, int percent, String where) {
        Map<String, Object> current = map(weighted, "mirror");
        boolean ours = candidate.matches(current);
        if (current != null && !ours) {
            if (percent > 0) {
                throw problem(where + " route '" + string(weighted, "name") + "' already mirrors to " + current
                        + ": Cutover will not replace a mirror it does not own");
            }
            return;
        }
        if (percent == 0) {
            if (ours) {
                weighted.remove("mirror");
                weighted.remove("mirrorPercentage");
                weighted.remove("mirrorPercent");
            }
            return;
        }
        if (!ours) {
            weighted.put("mirror", candidateDestination(weighted, where));
        }
        weighted.remove("mirrorPercent");
        Map<String, Object> pct = new LinkedHashMap<>();
        pct.put("value", (double) percent);
        weighted.put("mirrorPercentage", pct);
    }

    /** The candidate's {@code destination} object: the route's own when it has one, else the stable one re-pointed. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> candidateDestination(Map<String, Object> weighted, String where) {
        Map<String, Object> template = null;
        for (Map<String, Object> d : maps(weighted, "route")) {
            Map<String, Object> dest = map(d, "destination");
            if (candidate.matches(dest)) {
                return (Map<String, Object>) deepCopy(dest);
            }
            if (stable.matches(dest) && template == null) {
                template = dest;
            }
        }
        if (template == null) {
            throw problem(where + " route '" + string(weighted, "name") + "' has no destination " + stable);
        }
        Map<String, Object> dest = (Map<String, Object>) deepCopy(template);
        if (candidate.host() != null) {
            dest.put("host", candidate.host());
        }
        if (candidate.subset() != null) {
            dest.put("subset", candidate.subset());
        } else {
            dest.remove("subset");
        }
        return dest;
    }

    /** The candidate's entry of the weighted route without its weight (keeping its headers), or a bare destination. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> candidateEntry(Map<String, Object> weighted, String where) {
        for (Map<String, Object> d : maps(weighted, "route")) {
            if (candidate.matches(map(d, "destination"))) {
                Map<String, Object> entry = (Map<String, Object>) deepCopy(d);
                entry.remove("weight");
                return entry;
            }
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("destination", candidateDestination(weighted, where));
        return entry;
    }

    private Map<String, Object> headerRoute(String name, Map<String, Object> weighted, List<HeaderMatch> matches, String where) {
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("name", name);
        List<Map<String, Object>> base = maps(weighted, "match");
        if (base.isEmpty()) {
            base = List.of(new LinkedHashMap<>());
        }
        List<Object> match = new ArrayList<>();
        for (Map<String, Object> b : base) {
            for (HeaderMatch h : matches) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) deepCopy(b);
                m.remove("name");
                Map<String, Object> headers = map(m, "headers");
                headers = headers == null ? new LinkedHashMap<>() : headers;
                if (headers.containsKey(h.header())) {
                    throw problem(where + " route '" + string(weighted, "name") + "' already matches header '" + h.header()
                            + "': a canary route on it would widen that match");
                }
                headers.put(h.header(), Map.of(h.kind().name().toLowerCase(java.util.Locale.ROOT), h.value()));
                m.put("headers", headers);
                match.add(m);
            }
        }
        route.put("match", match);
        route.put("route", List.of(candidateEntry(weighted, where)));
        weighted.forEach((k, v) -> {
            if (!NOT_COPIED.contains(k)) {
                route.put(k, deepCopy(v));
            }
        });
        return route;
    }

    private static List<HeaderMatch> headerMatches(Map<String, Object> headers) {
        List<HeaderMatch> out = new ArrayList<>();
        if (headers == null) {
            return out;
        }
        headers.forEach((header, condition) -> {
            if (condition instanceof Map<?, ?> c) {
                for (HeaderMatch.Kind kind : HeaderMatch.Kind.values()) {
                    if (c.get(kind.name().toLowerCase(java.util.Locale.ROOT)) instanceof String value) {
                        out.add(new HeaderMatch(header, kind, value));
                    }
                }
            }
        });
        return out;
    }

    private static RouteShapeException problem(String message) {
        return new RouteShapeException(message);
    }

    /** The route cannot take the split without changing what Cutover does not own; repeating will not help. */
    public static final class RouteShapeException extends IllegalStateException {
        RouteShapeException(String message) {
            super(message);
        }
    }
}
