package io.cutover.kubernetes.argo;

import io.cutover.Deployment;
import io.cutover.plan.Plan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads an Argo Rollouts {@code Rollout} manifest (YAML or JSON) into a Cutover {@link Deployment},
 * for teams moving their release specs over.
 *
 * <pre>{@code
 * ArgoRollout imported = ArgoRollouts.read(Files.readString(path), templates);
 * imported.deployment().rollout(revision).on(target).start();
 * }</pre>
 *
 * Canary steps ({@code setWeight}, {@code pause}, {@code setCanaryScale}, {@code setHeaderRoute},
 * {@code setMirrorRoute}, {@code analysis}), background analysis and blue-green settings are
 * translated; analysis templates mean what {@link AnalysisTemplates} says. A field Cutover cannot
 * honour is refused with an {@link UnsupportedFieldException} naming its path, never dropped. Where the
 * two tools' defaults differ, the import keeps Argo's: a progress deadline pauses unless
 * {@code progressDeadlineAbort} is true, and an abort waits 30 seconds before scaling the candidate down.
 */
public final class ArgoRollouts {

    static final Map<String, String> UNSUPPORTED_SPEC = Map.of(
            "paused", "start the rollout when it should run, or pause() it",
            "restartAt", "restarting pods is not a release; restart the workload itself",
            "rollbackWindow", "start the earlier revision as a new rollout",
            "analysis", "Cutover keeps measurements in the rollout's state, not in AnalysisRuns",
            "minReadySeconds", "Cutover waits until every replica is ready and available; set minReadySeconds on the workload");

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private ArgoRollouts() { }

    /**
     * Reads {@code manifest}, a single {@code argoproj.io/v1alpha1} {@code Rollout}.
     *
     * @param manifest  the YAML text
     * @param templates what the analysis templates it names mean; {@link AnalysisTemplates#NONE} refuses any
     * @return what the manifest says in Cutover terms
     * @throws UnsupportedFieldException naming the first field Cutover cannot honour or read
     */
    public static ArgoRollout read(String manifest, AnalysisTemplates templates) {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(templates, "templates");
        Object parsed;
        try {
            parsed = YAML.readValue(manifest, Object.class);
        } catch (JacksonException e) {
            throw new UnsupportedFieldException("(root)", "not a readable YAML document: " + e.getOriginalMessage());
        }
        Node root = new Node("", parsed);
        root.only(Set.of("apiVersion", "kind", "metadata", "spec", "status"), Map.of());
        String kind = root.get("kind").text();
        if (!kind.equals("Rollout")) {
            throw root.get("kind").error("must be Rollout: '" + kind + "'");
        }
        String api = root.get("apiVersion").text();
        if (!api.equals("argoproj.io/v1alpha1")) {
            throw root.get("apiVersion").error("must be argoproj.io/v1alpha1: '" + api + "'");
        }
        Node metadata = root.get("metadata");
        String name = metadata.get("name").text();
        String namespace = metadata.has("namespace") ? metadata.get("namespace").text() : null;
        Node spec = root.get("spec");
        if (spec.missing()) {
            throw spec.error("is required");
        }
        spec.only(Set.of("replicas", "selector", "template", "workloadRef", "strategy", "progressDeadlineSeconds",
                "progressDeadlineAbort", "revisionHistoryLimit"), UNSUPPORTED_SPEC);
        Integer replicas = spec.has("replicas") ? spec.get("replicas").integer(0, 100_000) : null;
        Settings settings = settings(spec);

        Node strategy = spec.get("strategy");
        strategy.only(Set.of("canary", "blueGreen"), Map.of());
        boolean canary = strategy.has("canary");
        boolean blueGreen = strategy.has("blueGreen");
        if (canary == blueGreen) {
            throw strategy.error(canary ? "names both canary and blueGreen; a Rollout has one strategy"
                    : "needs canary or blueGreen");
        }
        if (canary) {
            CanaryImport c = CanaryImport.read(strategy.get("canary"), templates, settings);
            return new ArgoRollout(name, namespace, replicas, c.deployment(), null, null, c.stableService(), c.canaryService(),
                    c.trafficRouting());
        }
        BlueGreenImport b = BlueGreenImport.read(strategy.get("blueGreen"), templates, settings);
        return new ArgoRollout(name, namespace, replicas, b.deployment(), b.activeService(), b.previewService(), null, null, Set.of());
    }

    /** Settings of {@code spec} that every strategy shares. */
    record Settings(Duration progressDeadline, Plan.DeadlineAction onDeadline) { }

    private static Settings settings(Node spec) {
        Duration deadline = spec.has("progressDeadlineSeconds")
                ? Duration.ofSeconds(spec.get("progressDeadlineSeconds").integer(1, Integer.MAX_VALUE)) : Duration.ofMinutes(10);
        boolean abort = spec.has("progressDeadlineAbort") && spec.get("progressDeadlineAbort").bool();
        return new Settings(deadline, abort ? Plan.DeadlineAction.ABORT : Plan.DeadlineAction.PAUSE);
    }

    /** Argo's {@code abortScaleDownDelaySeconds} (default 30) as the drain delay; 0 would keep the pods forever. */
    static Duration drainDelay(Node parent) {
        if (!parent.has("abortScaleDownDelaySeconds")) {
            return Duration.ofSeconds(30);
        }
        Node n = parent.get("abortScaleDownDelaySeconds");
        int seconds = n.integer(0, Integer.MAX_VALUE);
        if (seconds == 0) {
            throw n.error("no Cutover equivalent: 0 keeps an aborted candidate's pods forever; Cutover scales them down after the drain delay");
        }
        return Duration.ofSeconds(seconds);
    }

    /** An {@code analysis} block ({@code templates} and {@code args}) as gates and their policy. */
    static AnalysisTemplates.Analysis analysis(Node node, AnalysisTemplates templates, Set<String> extra) {
        java.util.Set<String> known = new java.util.HashSet<>(Set.of("templates", "args"));
        known.addAll(extra);
        node.only(known, Map.of(
                "dryRun", "a gate either counts or is not given",
                "measurementRetention", "the rollout's state keeps every measurement",
                "analysisRunMetadata", "Cutover creates no AnalysisRun objects"));
        Map<String, String> args = new java.util.LinkedHashMap<>();
        for (Node arg : node.get("args").list()) {
            arg.only(Set.of("name", "value"), Map.of("valueFrom",
                    "values from pod template hashes or fields are not known to Cutover; pass the value"));
            String argName = arg.get("name").text();
            if (args.put(argName, arg.get("value").text()) != null) {
                throw arg.get("name").error("argument given twice: " + argName);
            }
        }
        List<Node> refs = node.get("templates").list();
        if (refs.isEmpty()) {
            throw node.get("templates").error("needs at least one template");
        }
        List<io.cutover.gate.Gate> gates = new java.util.ArrayList<>();
        io.cutover.gate.GatePolicy policy = null;
        for (Node ref : refs) {
            ref.only(Set.of("templateName", "clusterScope"), Map.of());
            String templateName = ref.get("templateName").text();
            AnalysisTemplates.Analysis resolved;
            try {
                resolved = templates.resolve(templateName, java.util.Collections.unmodifiableMap(args));
            } catch (RuntimeException e) {
                throw ref.get("templateName").error("template '" + templateName + "' could not be resolved: " + e.getMessage());
            }
            if (resolved == null) {
                throw ref.get("templateName").error("unknown analysis template '" + templateName + "': say what it means in AnalysisTemplates");
            }
            if (policy != null && !policy.equals(resolved.policy())) {
                throw ref.get("templateName").error("template '" + templateName + "' is measured with " + resolved.policy()
                        + ", the others with " + policy + "; Cutover measures one analysis with one policy");
            }
            policy = resolved.policy();
            gates.addAll(resolved.gates());
        }
        return new AnalysisTemplates.Analysis(gates, policy);
    }
}
