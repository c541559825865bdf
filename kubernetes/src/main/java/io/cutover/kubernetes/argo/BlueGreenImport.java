package io.cutover.kubernetes.argo;

import io.cutover.BlueGreenBuilder;
import io.cutover.Deployment;
import io.cutover.gate.Gate;
import io.cutover.gate.GatePolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** {@code spec.strategy.blueGreen} as a Cutover blue-green deployment. */
record BlueGreenImport(Deployment deployment, String activeService, String previewService) {

    private static final Map<String, String> UNSUPPORTED = Map.of(
            "antiAffinity", "schedule pods with the workload's own affinity rules",
            "activeMetadata", "Cutover labels the pods of each role itself",
            "previewMetadata", "Cutover labels the pods of each role itself",
            "scaleDownDelayRevisionLimit", "Cutover keeps only stable and one candidate",
            "maxUnavailable", "blue-green never takes stable below its full scale before the switch");

    static BlueGreenImport read(Node bg, AnalysisTemplates templates, ArgoRollouts.Settings settings) {
        bg.only(Set.of("activeService", "previewService", "autoPromotionEnabled", "autoPromotionSeconds", "scaleDownDelaySeconds",
                "prePromotionAnalysis", "postPromotionAnalysis", "previewReplicaCount", "abortScaleDownDelaySeconds"), UNSUPPORTED);
        String active = bg.get("activeService").text();
        String preview = bg.has("previewService") ? bg.get("previewService").text() : null;
        BlueGreenBuilder b = Deployment.blueGreen().progressDeadline(settings.progressDeadline())
                .onProgressDeadline(settings.onDeadline()).drainDelay(ArgoRollouts.drainDelay(bg));
        boolean auto = !bg.has("autoPromotionEnabled") || bg.get("autoPromotionEnabled").bool();
        if (!auto) {
            if (bg.has("autoPromotionSeconds")) {
                throw bg.get("autoPromotionSeconds").error("cannot be combined with autoPromotionEnabled: false");
            }
            b.manualPromotion();
        } else if (bg.has("autoPromotionSeconds")) {
            b.autoPromoteAfter(Duration.ofSeconds(bg.get("autoPromotionSeconds").integer(1, Integer.MAX_VALUE)));
        }
        if (bg.has("scaleDownDelaySeconds")) {
            b.scaleDownDelay(Duration.ofSeconds(bg.get("scaleDownDelaySeconds").integer(0, Integer.MAX_VALUE)));
        }
        if (bg.has("previewReplicaCount")) {
            b.previewReplicas(bg.get("previewReplicaCount").integer(1, 100_000));
        }
        GatePolicy policy = null;
        if (bg.has("prePromotionAnalysis")) {
            AnalysisTemplates.Analysis pre = ArgoRollouts.analysis(bg.get("prePromotionAnalysis"), templates, Set.of());
            b.prePromotionGate(pre.gates().toArray(Gate[]::new));
            policy = pre.policy();
        }
        if (bg.has("postPromotionAnalysis")) {
            AnalysisTemplates.Analysis post = ArgoRollouts.analysis(bg.get("postPromotionAnalysis"), templates, Set.of());
            if (policy != null && !policy.equals(post.policy())) {
                throw bg.get("postPromotionAnalysis").error("is measured with " + post.policy() + ", prePromotionAnalysis with "
                        + policy + "; a Cutover blue-green measures both with one policy");
            }
            b.postPromotionGate(post.gates().toArray(Gate[]::new));
            policy = post.policy();
        }
        if (policy != null) {
            b.analysis(policy);
        }
        return new BlueGreenImport(b.build(), active, preview);
    }
}
