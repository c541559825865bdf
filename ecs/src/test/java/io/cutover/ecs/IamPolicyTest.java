package io.cutover.ecs;

import static io.cutover.ecs.Fixtures.BLUE;
import static io.cutover.ecs.Fixtures.CLUSTER;
import static io.cutover.ecs.Fixtures.GREEN;
import static io.cutover.ecs.Fixtures.LISTENER;
import static io.cutover.ecs.Fixtures.SERVICE;
import static io.cutover.ecs.Fixtures.TD1;
import static io.cutover.ecs.Fixtures.TD2;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.Target;
import io.cutover.gate.Gates;
import io.cutover.spi.HookResult;
import io.cutover.spi.MetricSource;
import io.cutover.spi.Revision;
import io.cutover.state.InMemoryStateStore;
import io.cutover.time.VirtualScheduler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every request the ECS adapters send, during task-set, rolling and CodeDeploy rollouts that are
 * promoted and rolled back, is allowed by the IAM policy the README documents (action and resource
 * ARN), and the policy grants no action the adapters never use.
 */
class IamPolicyTest {

    static final String ARN = "arn:aws:%s:us-east-1:123456789012:%s";

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;

    private VirtualScheduler time;

    private RolloutEngine engine() {
        return RolloutEngine.builder().withScheduler(time).withClock(time.clock()).withStateStore(new InMemoryStateStore())
                .pollInterval(Duration.ofSeconds(15)).build();
    }

    @Test
    void everyRequestOfEveryPathIsAllowedByTheReadmePolicyAndNothingMoreIsGranted() throws Exception {
        for (double errors : new double[] {0.001, 0.2}) {
            taskSets(errors);
            rolling(errors);
            codeDeploy(errors);
        }
        Map<String, Set<String>> seen = requests();
        JsonNode policy = readmePolicy();

        for (Map.Entry<String, Set<String>> e : seen.entrySet()) {
            for (String resource : e.getValue()) {
                assertThat(allowed(policy, e.getKey(), resource)).as("%s on %s is allowed", e.getKey(), resource).isTrue();
            }
        }
        Set<String> granted = new LinkedHashSet<>();
        for (JsonNode st : policy.path("Statement")) {
            if (!"CodeDeployCreateDeploymentChecks".equals(st.path("Sid").asString())) {
                values(st.path("Action")).forEach(granted::add);
            }
        }
        assertThat(seen.keySet()).as("actions the adapters used").containsExactlyInAnyOrderElementsOf(granted);
    }

    private void taskSets(double errors) {
        server.fake.reset();
        time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        server.fake.ecs().createExternalService(CLUSTER, SERVICE, 4, TD1, "v1", BLUE);
        server.fake.elb().createListener(LISTENER);
        AwsClients aws = server.clients();
        aws.elb().modifyListener(r -> r.listenerArn(LISTENER).defaultActions(AlbWeightedRouterTest.OIDC_SEED, AlbWeightedRouterTest.forward(1, null)));
        server.fake.cloudWatch().alarm("myapp-5xx", "OK", "fine");
        server.fake.cloudWatch().metric("targetgroup/myapp-green/2453ed029918f21f", "RequestCount", "Sum", 1000);
        server.fake.cloudWatch().metric("targetgroup/myapp-green/2453ed029918f21f", "HTTPCode_Target_5XX_Count", "Sum", errors * 1000);
        server.fake.cloudWatch().metricFrom(null, "HTTPCode_ELB_5XX_Count", "Sum", Instant.EPOCH, 1);
        EcsTaskSetWorkloads workloads = EcsTaskSetWorkloads.builder(aws.ecs(), CLUSTER, SERVICE)
                .targetGroups(BLUE, GREEN).container("web", 8080).build();
        Target target = Target.builder("myapp").workloads(workloads)
                .router(AlbWeightedRouter.forListener(aws.elb(), LISTENER, workloads.targetGroupRoles()))
                .metrics(CloudWatchAlbMetrics.of(aws.cloudWatch(), Fixtures.LB + "loadbalancer/app/myapp/50dc6c495c0c9188",
                        workloads.targetGroupRoles())).build();
        Deployment canary = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(2))
                .gate(Gates.errorRate(0.05), CloudWatchAlarmGate.alarms(aws.cloudWatch(), "myapp-5xx")).build();
        Phase end = engine().start("myapp", canary, Revision.of("v2", TD2), target).await().phase();
        assertThat(end).isEqualTo(errors < 0.05 ? Phase.SUCCEEDED : Phase.ABORTED);
        // The same listener through a rule, as forRule would see it.
        server.fake.elb().createRule(Fixtures.RULE, 10);
        aws.elb().modifyRule(r -> r.ruleArn(Fixtures.RULE).actions(AlbWeightedRouterTest.OIDC_SEED, AlbWeightedRouterTest.forward(1, 0)));
        AlbWeightedRouter.forRule(aws.elb(), Fixtures.RULE, TargetGroupRoles.fixed(BLUE, GREEN)).apply(io.cutover.spi.TrafficSplit.weighted(10));
    }

    private void rolling(double errors) {
        server.fake.reset();
        time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        server.fake.ecs().createRollingService(CLUSTER, "worker", 4, TD1);
        server.fake.ecs().useClock(time::now);
        EcsRollingService worker = EcsRollingService.builder(server.clients().ecs(), CLUSTER, "worker").maximumPercent(150).build();
        Target target = Target.builder("worker").workloads(worker).router(worker).metrics(metrics(errors)).build();
        Deployment plan = Deployment.rolling().maxSurge(2).maxUnavailable(0).batchGate(Gates.errorRate(0.05)).build();
        assertThat(engine().start("worker", plan, Revision.of("v2", TD2), target).await().phase())
                .isEqualTo(errors < 0.05 ? Phase.SUCCEEDED : Phase.ABORTED);
    }

    private void codeDeploy(double errors) {
        server.fake.reset();
        time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        server.fake.ecs().createCodeDeployService(CLUSTER, SERVICE, 4, TD1);
        server.fake.codeDeploy().createDeploymentGroup("myapp", "myapp-prod", CLUSTER, SERVICE);
        server.fake.codeDeploy().useClock(time::now);
        AwsClients aws = server.clients();
        CodeDeployBlueGreen cd = CodeDeployBlueGreen.builder(aws.codeDeploy(), "myapp", "myapp-prod").service(aws.ecs(), CLUSTER, SERVICE)
                .withClock(time.clock()).container("web", 8080).config(CodeDeployConfig.canary(20, Duration.ofMinutes(2)))
                .hook(CodeDeployEvent.AFTER_INSTALL, "arn:aws:lambda:us-east-1:123456789012:function:hooks", ctx -> HookResult.pass())
                .build();
        relay(cd);
        Target target = Target.builder("myapp").workloads(cd).router(cd).metrics(metrics(errors)).build();
        Deployment plan = cd.blueGreen().prePromotionGate(Gates.errorRate(0.05)).build();
        assertThat(engine().start("myapp", plan, Revision.of("v2", TD2), target).await().phase())
                .isEqualTo(errors < 0.05 ? Phase.SUCCEEDED : Phase.ABORTED);
    }

    private void relay(CodeDeployBlueGreen cd) {
        time.schedule(() -> {
            for (var i : server.fake.codeDeploy().takeInvocations()) {
                cd.hookHandler().answer(i.deploymentId(), i.hookExecutionId(), CodeDeployEvent.AFTER_INSTALL);
            }
            relay(cd);
        }, Duration.ofSeconds(10));
    }

    private static MetricSource metrics(double errors) {
        return CodeDeployBlueGreenTest.errors(errors);
    }

    /** Action ("ecs:UpdateService") to the resource ARNs it was sent for, from every request WireMock served. */
    private Map<String, Set<String>> requests() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (ServeEvent event : wireMock.getAllServeEvents()) {
            LoggedRequest r = event.getRequest();
            String target = r.getHeader("X-Amz-Target");
            String action;
            List<String> resources = new ArrayList<>();
            if (target != null && target.startsWith("AmazonEC2ContainerServiceV20141113.")) {
                String op = target.substring(target.indexOf('.') + 1);
                action = "ecs:" + op;
                JsonNode body = JsonMapper.builder().build().readTree(r.getBodyAsString());
                String cluster = body.path("cluster").asString();
                for (String key : List.of("taskSet", "primaryTaskSet", "resourceArn")) {
                    if (body.has(key)) {
                        resources.add(body.path(key).asString());
                    }
                }
                if (resources.isEmpty()) {
                    List<String> services = body.has("services") ? values(body.path("services")) : List.of(body.path("service").asString());
                    services.forEach(s -> resources.add(String.format(ARN, "ecs", "service/" + cluster + "/" + s)));
                }
            } else if (target != null && target.startsWith("CodeDeploy_20141006.")) {
                String op = target.substring(target.indexOf('.') + 1);
                action = "codedeploy:" + op;
                JsonNode body = JsonMapper.builder().build().readTree(r.getBodyAsString());
                if (op.equals("CreateDeploymentConfig")) {
                    resources.add(String.format(ARN, "codedeploy", "deploymentconfig:" + body.path("deploymentConfigName").asString()));
                } else if (op.equals("PutLifecycleEventHookExecutionStatus")) {
                    resources.add("*");
                } else {
                    resources.add(String.format(ARN, "codedeploy", "deploymentgroup:myapp/myapp-prod"));
                }
            } else {
                Map<String, String> form = form(r.getBodyAsString());
                String service = "2015-12-01".equals(form.get("Version")) ? "elasticloadbalancing" : "cloudwatch";
                action = service + ":" + form.get("Action");
                resources.add(form.containsKey("ListenerArn") ? form.get("ListenerArn") : form.containsKey("RuleArn") ? form.get("RuleArn") : "*");
            }
            out.computeIfAbsent(action, k -> new LinkedHashSet<>()).addAll(resources);
        }
        return out;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The policy in the README's ECS section, after its marker. */
    static JsonNode readmePolicy() throws java.io.IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<!-- ecs-iam-policy -->\\s*```json\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("the README documents the ECS IAM policy").isTrue();
        return JsonMapper.builder().build().readTree(m.group(1));
    }

    static boolean allowed(JsonNode policy, String action, String resource) {
        for (JsonNode st : policy.path("Statement")) {
            if ("Allow".equals(st.path("Effect").asString()) && values(st.path("Action")).contains(action)
                    && values(st.path("Resource")).stream().anyMatch(p -> glob(p, resource))) {
                return true;
            }
        }
        return false;
    }

    private static boolean glob(String pattern, String value) {
        if (pattern.equals("*")) {
            return true;
        }
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return !value.equals("*") && value.matches(regex.toString());
    }

    static List<String> values(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asString()));
        } else if (!node.isMissingNode()) {
            out.add(node.asString());
        }
        return out;
    }
}
