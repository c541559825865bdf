package io.cutover.kubernetes.argo;

import io.cutover.Deployment;
import io.cutover.PlanContext;
import io.cutover.plan.Plan;
import io.cutover.plan.Replicas;
import io.cutover.plan.Step;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code spec.strategy.canary} as a Cutover plan, step for step. */
record CanaryImport(Deployment deployment, String stableService, String canaryService, Set<String> trafficRouting) {

    private static final Map<String, String> UNSUPPORTED = Map.of(
            "maxSurge", "a Cutover canary surges only as far as stable's traffic share needs",
            "maxUnavailable", "a Cutover canary never takes stable below what its traffic share needs",
            "antiAffinity", "schedule pods with the workload's own affinity rules",
            "canaryMetadata", "Cutover labels the pods of each role itself",
            "stableMetadata", "Cutover labels the pods of each role itself",
            "scaleDownDelayRevisionLimit", "Cutover keeps only stable and one candidate",
            "minPodsPerReplicaSet", "canary pods round up, at least one for any weight above zero",
            "pingPong", "Cutover's services follow the roles' pods");

    private static final Map<String, String> UNSUPPORTED_STEPS = Map.of(
            "experiment", "run each variant as its own rollout",
            "plugin", "run the plugin's work from a hook at a stage");

    /** One Argo step, read. */
    private sealed interface Op { }
    private record Weight(int weight) implements Op { }
    private record Wait(Duration duration) implements Op { }
    private record Analyze(String name, AnalysisTemplates.Analysis analysis) implements Op { }
    /** The candidate's scale: fixed, or matching the weight when {@code replicas} is null. */
    private record CanaryScale(Replicas replicas) implements Op { }
    private record HeaderRoute(String name, List<HeaderMatch> matches) implements Op { }
    private record Mirror(String name, int percent) implements Op { }

    static CanaryImport read(Node canary, AnalysisTemplates templates, ArgoRollouts.Settings settings) {
        canary.only(Set.of("steps", "analysis", "canaryService", "stableService", "trafficRouting", "scaleDownDelaySeconds",
                "abortScaleDownDelaySeconds", "dynamicStableScale"), UNSUPPORTED);
        List<Node> steps = canary.get("steps").list();
        List<Op> ops = new ArrayList<>();
        boolean pods = false;
        String mirrorName = null;
        for (int i = 0; i < steps.size(); i++) {
            Op op = step(steps.get(i), i, templates, pods, mirrorName);
            if (op instanceof Weight w && w.weight() > 0 || op instanceof CanaryScale) {
                pods = true;
            } else if (op instanceof Mirror m) {
                mirrorName = m.percent() > 0 ? m.name() : null;
            }
            ops.add(op);
        }
        AnalysisTemplates.Analysis background = null;
        int startingStep = -1;
        if (canary.has("analysis")) {
            Node a = canary.get("analysis");
            background = ArgoRollouts.analysis(a, templates, Set.of("startingStep"));
            if (a.has("startingStep")) {
                if (steps.isEmpty()) {
                    throw a.get("startingStep").error("names a step, but there are no steps");
                }
                startingStep = a.get("startingStep").integer(0, steps.size() - 1);
            }
        }
        boolean dynamic = canary.has("dynamicStableScale") && canary.get("dynamicStableScale").bool();
        Duration keep = canary.has("scaleDownDelaySeconds")
                ? Duration.ofSeconds(canary.get("scaleDownDelaySeconds").integer(0, Integer.MAX_VALUE)) : Duration.ofSeconds(30);
        if (dynamic && canary.has("scaleDownDelaySeconds") && !keep.isZero()) {
            throw canary.get("scaleDownDelaySeconds").error("no Cutover equivalent with dynamicStableScale: a rollback window"
                    + " needs stable at full scale");
        }
        if (dynamic) {
            keep = Duration.ZERO;
        }
        Duration drain = ArgoRollouts.drainDelay(canary);
        Set<String> routing = canary.get("trafficRouting").map().keySet();
        String stable = canary.has("stableService") ? canary.get("stableService").text() : null;
        String canarySvc = canary.has("canaryService") ? canary.get("canaryService").text() : null;
        List<Op> read = List.copyOf(ops);
        AnalysisTemplates.Analysis bg = background;
        int from = startingStep;
        Duration window = keep;
        Deployment d = Deployment.fromPlan("canary", ctx -> compile(ctx, read, bg, from, window, drain, settings, dynamic));
        return new CanaryImport(d, stable, canarySvc, routing);
    }

    private static Op step(Node step, int index, AnalysisTemplates templates, boolean pods, String mirrorName) {
        Map<String, Object> fields = step.map();
        if (fields.size() != 1) {
            throw step.error("a step has exactly one action, not " + fields.keySet());
        }
        String action = fields.keySet().iterator().next();
        Node n = step.get(action);
        switch (action) {
            case "setWeight":
                return new Weight(n.integer(0, 100));
            case "pause":
                n.only(Set.of("duration"), Map.of());
                return new Wait(n.has("duration") ? GoDuration.parse(n.get("duration")) : null);
            case "analysis":
                return new Analyze("step " + index, ArgoRollouts.analysis(n, templates, Set.of()));
            case "setCanaryScale":
                return canaryScale(n);
            case "setHeaderRoute":
                requirePods(n, pods);
                return headerRoute(n);
            case "setMirrorRoute":
                requirePods(n, pods);
                return mirror(n, mirrorName);
            default:
                String reason = UNSUPPORTED_STEPS.get(action);
                throw n.error(reason != null ? "no Cutover equivalent: " + reason : "unknown step, or one with no Cutover equivalent");
        }
    }

    private static void requirePods(Node n, boolean pods) {
        if (!pods) {
            throw n.error("routes requests to a canary that has no replicas yet: put a setCanaryScale or setWeight step before it");
        }
    }

    private static Op canaryScale(Node n) {
        n.only(Set.of("replicas", "weight", "matchTrafficWeight"), Map.of());
        int given = (n.has("replicas") ? 1 : 0) + (n.has("weight") ? 1 : 0) + (n.has("matchTrafficWeight") ? 1 : 0);
        if (given != 1) {
            throw n.error("needs exactly one of replicas, weight or matchTrafficWeight");
        }
        if (n.has("replicas")) {
            return new CanaryScale(Replicas.exactly(n.get("replicas").integer(0, 100_000)));
        }
        if (n.has("weight")) {
            return new CanaryScale(Replicas.shareOfStable(n.get("weight").integer(0, 100)));
        }
        if (!n.get("matchTrafficWeight").bool()) {
            throw n.get("matchTrafficWeight").error("false says nothing; give replicas or weight");
        }
        return new CanaryScale(null);
    }

    private static Op headerRoute(Node n) {
        n.only(Set.of("name", "match"), Map.of());
        String name = n.get("name").text();
        List<HeaderMatch> matches = new ArrayList<>();
        for (Node m : n.get("match").list()) {
            m.only(Set.of("headerName", "headerValue"), Map.of());
            String header = m.get("headerName").text();
            Node value = m.get("headerValue");
            value.only(Set.of("exact", "prefix", "regex"), Map.of());
            if (value.map().size() != 1) {
                throw value.error("needs exactly one of exact, prefix or regex");
            }
            try {
                if (value.has("exact")) {
                    matches.add(HeaderMatch.exact(header, value.get("exact").text()));
                } else if (value.has("prefix")) {
                    matches.add(HeaderMatch.prefix(header, value.get("prefix").text()));
                } else {
                    matches.add(HeaderMatch.regex(header, value.get("regex").text()));
                }
            } catch (IllegalArgumentException e) {
                throw value.error(e.getMessage());
            }
        }
        return new HeaderRoute(name, matches);
    }

    private static Op mirror(Node n, String active) {
        n.only(Set.of("name", "percentage", "match"), Map.of());
        String name = n.get("name").text();
        if (!n.has("match")) {
            return new Mirror(name, 0);
        }
        for (Node m : n.get("match").list()) {
            Map<String, Object> fields = m.map();
            Node path = m.get("path");
            boolean everything = fields.keySet().equals(Set.of("path")) && path.map().keySet().equals(Set.of("prefix"))
                    && "/".equals(path.get("prefix").value());
            if (!everything) {
                throw m.error("no Cutover equivalent: mirroring only matching requests; Cutover mirrors a share of all requests"
                        + " (match path prefix '/' says that)");
            }
        }
        if (active != null && !active.equals(name)) {
            throw n.get("name").error("a second mirror route while '" + active + "' mirrors: Cutover mirrors one share of requests");
        }
        int percent = n.has("percentage") ? n.get("percentage").integer(1, 100) : 100;
        return new Mirror(name, percent);
    }

    /** The plan for one target: Argo's steps in order, then the promotion Argo does after the last step. */
    private static Plan compile(PlanContext ctx, List<Op> ops, AnalysisTemplates.Analysis background, int startingStep,
                                Duration keep, Duration drain, ArgoRollouts.Settings settings, boolean dynamic) {
        Compiler c = new Compiler(dynamic && ctx.router().contains(RouterCapability.WEIGHTED));
        int backgroundFrom = -1;
        for (int i = 0; i < ops.size(); i++) {
            if (i == startingStep) {
                backgroundFrom = c.plan.size();
            }
            c.run(ops.get(i));
            if (startingStep < 0 && backgroundFrom < 0 && c.traffic) {
                backgroundFrom = c.plan.size() - 1;
            }
        }
        c.promote();
        if (!keep.isZero() && ctx.router().contains(RouterCapability.WEIGHTED)) {
            c.plan.add(Step.Pause.rollbackWindow(keep));
        }
        c.plan.add(new Step.Promote());
        c.plan.add(new Step.AwaitReady(Role.STABLE));
        c.plan.add(new Step.ResetTraffic());
        c.plan.add(new Step.Retire(Role.CANDIDATE));
        return new Plan("canary", c.plan, background == null ? List.of() : background.gates(),
                background == null ? io.cutover.gate.GatePolicy.DEFAULT : background.policy(), Math.max(0, backgroundFrom),
                Map.of(), settings.progressDeadline(), settings.onDeadline(), drain, Replicas.exactly(0));
    }

    /** Turns ops into steps, keeping what the candidate runs and which routes are set. */
    private static final class Compiler {
        final List<Step> plan = new ArrayList<>();
        boolean deployed;
        boolean traffic;
        Replicas scale;
        boolean matchWeight = true;
        int weight;
        final Map<String, List<HeaderMatch>> routes = new LinkedHashMap<>();
        int mirror;
        /** dynamicStableScale on a weighted router: stable follows its share, in percent of its replicas. */
        final boolean dynamic;
        int stableShare = 100;

        Compiler(boolean dynamic) {
            this.dynamic = dynamic;
        }

        void run(Op op) {
            if (op instanceof Weight w) {
                // a falling weight moves traffic before the candidate shrinks, a rising one after it grew
                boolean falling = deployed && w.weight() < weight;
                weight = w.weight();
                if (weight > 0 && (matchWeight || !deployed) && !falling) {
                    candidate(Replicas.shareOfStable(weight));
                }
                if (deployed) {
                    int share = 100 - weight;
                    if (dynamic && share > stableShare) {
                        // stable's share grows: its replicas first, ready, then the weight
                        plan.add(new Step.Scale(Role.STABLE, Replicas.shareOfStable(share)));
                        plan.add(new Step.AwaitReady(Role.STABLE));
                        stableShare = share;
                    }
                    plan.add(new Step.SetWeight(weight));
                    traffic |= weight > 0;
                    if (dynamic && share < stableShare && share > 0) {
                        plan.add(new Step.Scale(Role.STABLE, Replicas.shareOfStable(share)));
                        stableShare = share;
                    }
                }
                if (falling && weight > 0 && matchWeight) {
                    candidate(Replicas.shareOfStable(weight));
                }
            } else if (op instanceof Wait p) {
                plan.add(p.duration() == null ? Step.Pause.untilPromoted() : new Step.Pause(p.duration()));
            } else if (op instanceof Analyze a) {
                plan.add(new Step.Analyze(a.name(), a.analysis().gates(), a.analysis().policy()));
            } else if (op instanceof CanaryScale s) {
                matchWeight = s.replicas() == null;
                if (!matchWeight) {
                    candidate(s.replicas());
                } else if (weight > 0) {
                    candidate(Replicas.shareOfStable(weight));
                }
            } else if (op instanceof HeaderRoute r) {
                if (r.matches().isEmpty()) {
                    routes.remove(r.name());
                } else {
                    routes.put(r.name(), r.matches());
                }
                plan.add(new Step.SetHeaderRoutes(routes.values().stream().flatMap(List::stream).toList()));
                traffic = true;
            } else if (op instanceof Mirror m) {
                mirror = m.percent();
                plan.add(new Step.SetMirror(mirror));
                traffic = true;
            }
        }

        void candidate(Replicas replicas) {
            if (!deployed) {
                plan.add(new Step.Deploy(replicas));
                plan.add(new Step.AwaitReady(Role.CANDIDATE));
                deployed = true;
            } else if (!replicas.equals(scale)) {
                plan.add(new Step.Scale(Role.CANDIDATE, replicas));
                plan.add(new Step.AwaitReady(Role.CANDIDATE));
            }
            scale = replicas;
        }

        void promote() {
            if (!routes.isEmpty()) {
                plan.add(new Step.SetHeaderRoutes(List.of()));
            }
            if (mirror > 0) {
                plan.add(new Step.SetMirror(0));
            }
            candidate(Replicas.full());
            plan.add(new Step.SetWeight(100));
        }
    }
}
