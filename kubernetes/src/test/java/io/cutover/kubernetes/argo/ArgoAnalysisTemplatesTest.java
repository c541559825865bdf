package io.cutover.kubernetes.argo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.PlanContext;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.gate.Condition;
import io.cutover.gate.GateContext;
import io.cutover.gate.GatePolicy;
import io.cutover.plan.Plan;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSource;
import io.cutover.spi.MetricValue;
import io.cutover.spi.Revision;
import io.cutover.spi.RouterCapability;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Argo AnalysisTemplate manifests, in Argo's documented format, read into the gates a Rollout import uses. */
class ArgoAnalysisTemplatesTest {

    static final String SERVICE = "guestbook-svc.default.svc.cluster.local";

    /** The queries the analysis's gates ask a metric source, measured once. */
    static String describe(AnalysisTemplates.Analysis a) {
        List<String> asked = new ArrayList<>();
        MetricSource recording = new MetricSource() {
            public MetricValue successRate(MetricQuery q) { throw new AssertionError("not a query gate"); }
            public MetricValue errorRate(MetricQuery q) { throw new AssertionError("not a query gate"); }
            public MetricValue latency(MetricQuery q, double quantile) { throw new AssertionError("not a query gate"); }
            public MetricValue requestRate(MetricQuery q) { throw new AssertionError("not a query gate"); }
            public MetricValue query(String expression, Instant at) {
                asked.add(expression);
                return MetricValue.of(1);
            }
        };
        GateContext ctx = new GateContext("r", "app", Revision.of("v2", "app:v2"), Instant.EPOCH, recording, null);
        a.gates().forEach(g -> g.measure(ctx));
        return String.join("\n", asked);
    }

    @Test
    void aMultiDocumentFileGivesEveryTemplateAndSkipsOtherKinds() {
        ArgoAnalysisTemplates templates = ArgoAnalysisTemplates.read(ArgoRolloutsTest.manifest("analysis-templates.yaml"));
        assertThat(templates.names()).containsExactly("error-ratio", "success-rate");
        assertThat(templates.address("success-rate")).isEqualTo("http://prometheus.monitoring:9090");
        assertThat(templates.address("error-ratio")).isNull();
        assertThat(templates.resolve("rollouts-demo", Map.of())).as("the Service is not a template").isNull();
    }

    @Test
    void theSuccessRateTemplateBecomesAQueryGateWithTheArgumentFilledInAndArgosLimits() {
        ArgoAnalysisTemplates templates = ArgoAnalysisTemplates.read(ArgoRolloutsTest.manifest("analysis-templates.yaml"));
        AnalysisTemplates.Analysis a = templates.resolve("success-rate", Map.of("service-name", SERVICE));

        assertThat(a.gates()).singleElement().satisfies(g -> assertThat(g.name()).isEqualTo("success-rate"));
        assertThat(describe(a)).contains("destination_service=~\"" + SERVICE + "\",response_code!~\"5.*\"")
                .doesNotContain("{{");
        assertThat(a.policy().interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(a.policy().failureLimit()).isEqualTo(3);
        assertThat(a.policy().consecutiveErrorLimit()).as("Argo's default").isEqualTo(4);
        assertThat(a.policy().inconclusiveLimit()).isZero();
        assertThat(a.policy().count()).as("no count: Cutover's default number of rounds").isEqualTo(GatePolicy.DEFAULT.count());
    }

    @Test
    void aFailureConditionAloneIsNegatedExactlyAndDefaultArgumentsApply() {
        ArgoAnalysisTemplates templates = ArgoAnalysisTemplates.read(ArgoRolloutsTest.manifest("analysis-templates.yaml"));
        AnalysisTemplates.Analysis a = templates.resolve("error-ratio", Map.of("service-name", "checkout"));

        assertThat(describe(a)).contains("service=\"checkout\",code=~\"5..\"}[2m]");
        assertThat(a.policy().count()).isEqualTo(5);
        assertThat(a.policy().initialDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(a.policy().consecutiveErrorLimit()).isEqualTo(2);
        Condition passing = ArgoCondition.passing(metric("failureCondition: result[0] > 0.05"));
        assertThat(passing.test(0.05)).isTrue();
        assertThat(passing.test(Math.nextUp(0.05))).isFalse();
        assertThat(passing.test(Double.NaN)).isFalse();
    }

    @Test
    void everyComparisonFormMapsToTheExactPassingRange() {
        assertThat(ArgoCondition.passing(metric("successCondition: result[0] >= 0.95"))).isEqualTo(Condition.atLeast(0.95));
        assertThat(ArgoCondition.passing(metric("successCondition: result > 0.95"))).isEqualTo(Condition.atLeast(Math.nextUp(0.95)));
        assertThat(ArgoCondition.passing(metric("successCondition: result[0] <= 500"))).isEqualTo(Condition.atMost(500));
        assertThat(ArgoCondition.passing(metric("successCondition: result[0] < 1e-2"))).isEqualTo(Condition.atMost(Math.nextDown(0.01)));
        assertThat(ArgoCondition.passing(metric("failureCondition: result[0] < 0.9"))).isEqualTo(Condition.atLeast(0.9));
        assertThat(ArgoCondition.passing(metric("failureCondition: result[0] >= 0.1"))).isEqualTo(Condition.atMost(Math.nextDown(0.1)));
        assertThat(ArgoCondition.passing(metric("successCondition: result[0] >= 0.95\nfailureCondition: result[0] < 0.95")))
                .isEqualTo(Condition.atLeast(0.95));
    }

    @Test
    void conditionsCutoverCannotHonourAreRefusedNamingTheField() {
        assertThatThrownBy(() -> ArgoCondition.passing(metric("successCondition: result[0] >= 0.95\nfailureCondition: result[0] < 0.90")))
                .isInstanceOf(UnsupportedFieldException.class).hasMessageStartingWith("spec.metrics[0].failureCondition: leaves values");
        assertThatThrownBy(() -> ArgoCondition.passing(metric("successCondition: isNaN(result) || result[0] >= 0.95")))
                .hasMessageStartingWith("spec.metrics[0].successCondition: no Cutover equivalent").hasMessageContaining("NaN");
        assertThatThrownBy(() -> ArgoCondition.passing(metric("successCondition: all(result, {# >= 0.9})")))
                .hasMessageContaining("simple form");
        assertThatThrownBy(() -> ArgoCondition.passing(metric("count: 1")))
                .hasMessageStartingWith("spec.metrics[0]: needs successCondition or failureCondition");
    }

    @Test
    void fieldsWithoutAnEquivalentAreRefusedWithTheirPath() {
        assertRefused(template("    provider:\n      datadog:\n        query: avg:errors{*}\n"),
                "spec.metrics[0].provider.datadog: no Cutover equivalent");
        assertRefused(template("    provider:\n      prometheus:\n        query: up\n        rangeQuery:\n          step: 1m\n"),
                "spec.metrics[0].provider.prometheus.rangeQuery: no Cutover equivalent");
        assertRefused(template("    dryRun: true\n    provider:\n      prometheus:\n        query: up\n"),
                "spec.metrics[0].dryRun: no Cutover equivalent");
        assertRefused(template("    provider:\n      prometheus:\n        query: up{job=\"{{args.job}}\"}\n"),
                "spec.metrics[0].provider.prometheus.query: uses argument 'job' that spec.args does not declare");
        assertRefused(template("    provider:\n      prometheus:\n        query: up{pod=\"{{templates.podTemplateHash}}\"}\n"),
                "spec.metrics[0].provider.prometheus.query: no Cutover equivalent for placeholder");
        assertRefused(template("    interval: soon\n    provider:\n      prometheus:\n        query: up\n"),
                "spec.metrics[0].interval: must be a duration");
        assertRefused("apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: t}\nspec:\n  args:\n"
                + "  - name: key\n    valueFrom:\n      secretKeyRef: {name: s, key: k}\n  metrics: []\n",
                "spec.args[0].valueFrom: no Cutover equivalent");
        assertRefused(ArgoRolloutsTest.manifest("analysis-templates.yaml") + "\n---\n"
                + ArgoRolloutsTest.manifest("analysis-templates.yaml"), "template defined twice: success-rate");
    }

    @Test
    void anArgumentThatCouldChangeTheQueryIsRefusedAndAMissingOneIsNamed() {
        ArgoAnalysisTemplates templates = ArgoAnalysisTemplates.read(ArgoRolloutsTest.manifest("analysis-templates.yaml"));
        assertThatThrownBy(() -> templates.resolve("success-rate", Map.of("service-name", "x\"} or vector(1) #")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argument 'service-name'");
        assertThatThrownBy(() -> templates.resolve("success-rate", Map.of()))
                .hasMessageContaining("argument 'service-name' of template 'success-rate' has no value");
        assertThatThrownBy(() -> templates.resolve("success-rate", Map.of("service-name", "a", "extra", "b")))
                .hasMessageContaining("argument 'extra' is not declared");
        String rollout = ArgoRolloutsTest.manifest("canary-prometheus-analysis.yaml").replace("        args:\n", "        args: []\n")
                .replace("        - name: service-name\n          value: " + SERVICE + "\n", "");
        assertThatThrownBy(() -> ArgoRollouts.read(rollout, templates))
                .hasMessageStartingWith("spec.strategy.canary.analysis.templates[0].templateName: template 'success-rate' could not be resolved")
                .hasMessageContaining("has no value");
    }

    @Test
    void anImportedRolloutAsksTheMetricSourceTheTemplatesQueryAndIsJudgedOnItsAnswer() {
        ArgoAnalysisTemplates templates = ArgoAnalysisTemplates.read(ArgoRolloutsTest.manifest("analysis-templates.yaml"));
        Deployment deployment = ArgoRollouts.read(ArgoRolloutsTest.manifest("canary-prometheus-analysis.yaml"), templates).deployment();
        Plan plan = deployment.plan(new PlanContext(5, EnumSet.of(RouterCapability.WEIGHTED)));
        assertThat(plan.backgroundGates()).singleElement().satisfies(g -> assertThat(g.name()).isEqualTo("success-rate"));

        List<String> asked = new ArrayList<>();
        assertThat(run(deployment, 0.99, asked).phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(asked).isNotEmpty().allSatisfy(q -> assertThat(q).contains("destination_service=~\"" + SERVICE + "\""));

        RolloutResult failing = run(deployment, 0.90, new ArrayList<>());
        assertThat(failing.phase()).isEqualTo(Phase.ABORTED);
        assertThat(failing.reason()).contains("success-rate");
    }

    /** Runs {@code deployment} on the simulator, with raw queries answered {@code value}. */
    private static RolloutResult run(Deployment deployment, double value, List<String> asked) {
        VirtualScheduler time = new VirtualScheduler();
        SimulatedPlatform platform = SimulatedPlatform.builder(time.clock())
                .stable(Revision.of("blue", "demo:blue"), 5, Behaviour.healthy()).router(RouterCapability.WEIGHTED).build();
        MetricSource answering = new MetricSource() {
            public MetricValue successRate(MetricQuery q) { return platform.successRate(q); }
            public MetricValue errorRate(MetricQuery q) { return platform.errorRate(q); }
            public MetricValue latency(MetricQuery q, double quantile) { return platform.latency(q, quantile); }
            public MetricValue requestRate(MetricQuery q) { return platform.requestRate(q); }
            public MetricValue query(String expression, Instant at) {
                asked.add(expression);
                return MetricValue.of(value);
            }
        };
        Target target = platform.target("guestbook").toBuilder().metrics(answering).build();
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).build();
        return engine.start("guestbook", deployment, Revision.of("yellow", "demo:yellow"), target).await();
    }

    private static void assertRefused(String yaml, String message) {
        assertThatThrownBy(() -> ArgoAnalysisTemplates.read(yaml)).isInstanceOf(UnsupportedFieldException.class)
                .hasMessageContaining(message);
    }

    private static String template(String metricBody) {
        return "apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: t}\nspec:\n  metrics:\n"
                + "  - name: m\n    successCondition: result[0] >= 1\n" + metricBody;
    }

    /** The first metric of a template whose metric holds {@code fields} (one per line). */
    private static Node metric(String fields) {
        String yaml = "spec:\n  metrics:\n  - name: m\n" + fields.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
        Object parsed = tools.jackson.dataformat.yaml.YAMLMapper.builder().build().readValue(yaml, Object.class);
        return new Node("", parsed).get("spec").get("metrics").list().get(0);
    }
}
