package io.cutover.kubernetes.argo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cutover.gate.GatePolicy;
import io.cutover.gate.Gates;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every field of a Rollout with no Cutover equivalent is refused with its path, never dropped. */
class ArgoRolloutsRefusalsTest {

    static final AnalysisTemplates TEMPLATES = AnalysisTemplates.builder()
            .template("success-rate", args -> AnalysisTemplates.analysis(GatePolicy.DEFAULT, Gates.successRate(0.95)))
            .build();

    /** A Rollout whose {@code spec.strategy} is {@code strategy}, indented as under {@code strategy:}. */
    static String rollout(String strategy) {
        return """
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata:
                  name: app
                spec:
                  replicas: 3
                  selector:
                    matchLabels:
                      app: app
                  template:
                    metadata:
                      labels:
                        app: app
                    spec:
                      containers:
                      - name: app
                        image: app:2
                  strategy:
                """ + strategy.indent(4);
    }

    static UnsupportedFieldException refused(String yaml) {
        UnsupportedFieldException e = catchThrowableOfType(UnsupportedFieldException.class, () -> ArgoRollouts.read(yaml, TEMPLATES));
        assertThat(e).as("refused:\n%s", yaml).isNotNull();
        assertThat(e.getMessage()).startsWith(e.field() + ": ");
        return e;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            spec.strategy.canary.steps[1].experiment     | canary:\\n  steps:\\n  - setWeight: 10\\n  - experiment:\\n      templates: []     | no Cutover equivalent: run each variant as its own rollout
            spec.strategy.canary.steps[0].plugin         | canary:\\n  steps:\\n  - plugin:\\n      name: x                              | no Cutover equivalent: run the plugin's work from a hook
            spec.strategy.canary.scaleDownDelaySeconds   | canary:\\n  dynamicStableScale: true\\n  scaleDownDelaySeconds: 60\\n  steps:\\n  - setWeight: 10 | a rollback window needs stable at full scale
            spec.strategy.canary.maxSurge                | canary:\\n  maxSurge: 1\\n  steps:\\n  - setWeight: 10                 | surges only as far as stable's traffic share needs
            spec.strategy.canary.maxUnavailable          | canary:\\n  maxUnavailable: 0\\n  steps:\\n  - setWeight: 10           | never takes stable below
            spec.strategy.canary.antiAffinity            | canary:\\n  antiAffinity:\\n    preferredDuringSchedulingIgnoredDuringExecution: {}  | affinity rules
            spec.strategy.canary.canaryMetadata          | canary:\\n  canaryMetadata:\\n    labels:\\n      role: canary   | labels the pods of each role itself
            spec.strategy.canary.pingPong                | canary:\\n  pingPong:\\n    pingService: a\\n    pongService: b   | no Cutover equivalent
            spec.strategy.canary.abortScaleDownDelaySeconds | canary:\\n  abortScaleDownDelaySeconds: 0\\n  steps:\\n  - setWeight: 10 | keeps an aborted candidate's pods forever
            spec.strategy.canary.analysis.dryRun         | canary:\\n  analysis:\\n    templates:\\n    - templateName: success-rate\\n    dryRun:\\n    - metricName: x | a gate either counts or is not given
            spec.strategy.canary.analysis.args[0].valueFrom | canary:\\n  analysis:\\n    templates:\\n    - templateName: success-rate\\n    args:\\n    - name: hash\\n      valueFrom:\\n        podTemplateHashValue: Latest | pass the value
            spec.strategy.canary.steps[0].analysis.templates[0].templateName | canary:\\n  steps:\\n  - analysis:\\n      templates:\\n      - templateName: apdex | unknown analysis template 'apdex'
            spec.strategy.canary.steps[0].analysis.templates | canary:\\n  steps:\\n  - analysis:\\n      templates: [] | needs at least one template
            spec.strategy.canary.steps[1].setMirrorRoute.match[0] | canary:\\n  steps:\\n  - setCanaryScale:\\n      replicas: 1\\n  - setMirrorRoute:\\n      name: m\\n      match:\\n      - method:\\n          exact: GET | mirroring only matching requests
            spec.strategy.canary.steps[2].setMirrorRoute.name | canary:\\n  steps:\\n  - setWeight: 5\\n  - setMirrorRoute:\\n      name: a\\n      match:\\n      - path:\\n          prefix: /\\n  - setMirrorRoute:\\n      name: b\\n      match:\\n      - path:\\n          prefix: / | a second mirror route
            spec.strategy.canary.steps[0].setHeaderRoute | canary:\\n  steps:\\n  - setHeaderRoute:\\n      name: h\\n      match:\\n      - headerName: x\\n        headerValue:\\n          exact: y | has no replicas yet
            spec.strategy.canary.steps[1].setHeaderRoute.match[0].headerValue | canary:\\n  steps:\\n  - setWeight: 5\\n  - setHeaderRoute:\\n      name: h\\n      match:\\n      - headerName: x\\n        headerValue:\\n          exact: y\\n          prefix: z | exactly one of exact, prefix or regex
            spec.strategy.canary.steps[0].pause.duration | canary:\\n  steps:\\n  - pause:\\n      duration: ten minutes | must be a duration such as 30s
            spec.strategy.canary.steps[0].setWeight      | canary:\\n  steps:\\n  - setWeight: 150                                   | must be within 0..100: 150
            spec.strategy.canary.steps[0]                | canary:\\n  steps:\\n  - setWeight: 10\\n    pause: {}                    | exactly one action
            spec.strategy.canary.steps[0].setCanaryScale | canary:\\n  steps:\\n  - setCanaryScale:\\n      replicas: 1\\n      weight: 20 | exactly one of replicas, weight or matchTrafficWeight
            spec.strategy.canary.analysis.startingStep   | canary:\\n  analysis:\\n    templates:\\n    - templateName: success-rate\\n    startingStep: 3\\n  steps:\\n  - setWeight: 10 | must be within 0..0: 3
            spec.strategy.blueGreen.antiAffinity         | blueGreen:\\n  activeService: a\\n  antiAffinity: {}                  | affinity rules
            spec.strategy.blueGreen.scaleDownDelayRevisionLimit | blueGreen:\\n  activeService: a\\n  scaleDownDelayRevisionLimit: 2 | keeps only stable and one candidate
            spec.strategy.blueGreen.activeService        | blueGreen:\\n  previewService: p                                  | is required
            spec.strategy.blueGreen.autoPromotionSeconds | blueGreen:\\n  activeService: a\\n  autoPromotionEnabled: false\\n  autoPromotionSeconds: 30 | cannot be combined with autoPromotionEnabled: false
            spec.strategy.blueGreen.prePromotionAnalysis.measurementRetention | blueGreen:\\n  activeService: a\\n  prePromotionAnalysis:\\n    templates:\\n    - templateName: success-rate\\n    measurementRetention: [] | keeps every measurement
            spec.strategy                                | canary:\\n  steps: []\\nblueGreen:\\n  activeService: a          | names both canary and blueGreen
            spec.strategy.rollingUpdate                  | rollingUpdate: {}                                                  | unknown field
            """)
    void aFieldWithoutAnEquivalentIsRefusedNamingItsPath(String field, String strategy, String reason) {
        UnsupportedFieldException e = refused(rollout(strategy.replace("\\n", "\n")));
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains(reason);
    }

    @Test
    void specFieldsWithoutAnEquivalentAreRefused() {
        String yaml = rollout("canary:\n  steps:\n  - setWeight: 10\n").replace("  replicas: 3\n", "  replicas: 3\n  paused: true\n");
        UnsupportedFieldException e = refused(yaml);
        assertThat(e.field()).isEqualTo("spec.paused");
        assertThat(e.getMessage()).contains("no Cutover equivalent");
        assertThat(refused(yaml.replace("  paused: true\n", "  minReadySeconds: 10\n")).field()).isEqualTo("spec.minReadySeconds");
        assertThat(refused(yaml.replace("  paused: true\n", "  rollbackWindow:\n    revisions: 3\n")).field()).isEqualTo("spec.rollbackWindow");
    }

    @Test
    void anotherKindOrApiVersionOrUnreadableYamlIsRefused() {
        String ok = rollout("canary:\n  steps:\n  - setWeight: 10\n");
        assertThat(ArgoRollouts.read(ok, TEMPLATES).deployment().strategy()).isEqualTo("canary");
        assertThat(refused(ok.replace("kind: Rollout", "kind: Deployment")).field()).isEqualTo("kind");
        assertThat(refused(ok.replace("argoproj.io/v1alpha1", "apps/v1")).field()).isEqualTo("apiVersion");
        assertThat(refused("spec: [unclosed").field()).isEqualTo("(root)");
        assertThat(refused(ok.replace("  name: app\n", "")).field()).isEqualTo("metadata.name");
    }
}
