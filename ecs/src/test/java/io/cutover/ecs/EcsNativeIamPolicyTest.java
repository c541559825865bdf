package io.cutover.ecs;

import static io.cutover.ecs.EcsNativeDeploymentTest.PROD_RULE;
import static io.cutover.ecs.EcsNativeDeploymentTest.TEST_RULE;
import static io.cutover.ecs.EcsNativeDeploymentTest.V2;
import static io.cutover.ecs.EcsNativeDeploymentTest.WEB;
import static io.cutover.ecs.Fixtures.BLUE;
import static io.cutover.ecs.Fixtures.CLUSTER;
import static io.cutover.ecs.Fixtures.GREEN;
import static io.cutover.ecs.Fixtures.TD1;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.Target;
import io.cutover.gate.GatePolicy;
import io.cutover.gate.Gates;
import io.cutover.state.InMemoryStateStore;
import io.cutover.time.VirtualScheduler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * Every request {@link EcsNativeDeployment} sends, in a rollout that is promoted and one that is
 * rolled back, is allowed by the policy of the README's "ECS-native deployments" section (action and
 * resource ARN), and that policy grants no action the adapter never uses.
 */
class EcsNativeIamPolicyTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SERVICE_ARN = "arn:aws:ecs:us-east-1:123456789012:service/" + CLUSTER + "/";

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;

    @Test
    void everyRequestOfAPromotedAndARolledBackRolloutIsAllowedAndNothingMoreIsGranted() throws Exception {
        for (double errors : new double[] {0.001, 0.2}) {
            server.fake.reset();
            server.fake.elb().createRule(PROD_RULE, 1);
            server.fake.elb().createRule(TEST_RULE, 2);
            server.fake.ecs().nativeDeployments().createService(CLUSTER, WEB, 4, TD1, server.fake.elb(), PROD_RULE, TEST_RULE, BLUE, GREEN);
            VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
            server.fake.ecs().useClock(time::now);
            EcsNativeDeployment web = EcsNativeDeployment.builder(server.clients().ecs(), CLUSTER, WEB).bakeTime(Duration.ofMinutes(1)).build();
            Target target = Target.builder(WEB).workloads(web).router(web).metrics(EcsNativeDeploymentTest.errors(errors)).build();
            RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withClock(time.clock())
                    .withStateStore(new InMemoryStateStore()).pollInterval(Duration.ofSeconds(15)).build();
            var plan = web.blueGreen().postPromotionGate(Gates.errorRate(0.05))
                    .analysis(GatePolicy.builder().count(1).interval(Duration.ofSeconds(30)).build()).build();
            assertThat(engine.start(WEB, plan, V2, target).await().phase()).isEqualTo(errors < 0.05 ? Phase.SUCCEEDED : Phase.ABORTED);
        }
        Map<String, Set<String>> seen = requests();
        JsonNode policy = policy();

        assertThat(seen).containsKeys("ecs:StopServiceDeployment", "ecs:UntagResource");
        for (Map.Entry<String, Set<String>> e : seen.entrySet()) {
            for (String resource : e.getValue()) {
                assertThat(IamPolicyTest.allowed(policy, e.getKey(), resource)).as("%s on %s is allowed", e.getKey(), resource).isTrue();
            }
        }
        Set<String> granted = new LinkedHashSet<>();
        policy.path("Statement").forEach(st -> granted.addAll(IamPolicyTest.values(st.path("Action"))));
        assertThat(seen.keySet()).as("actions the adapter used").containsExactlyInAnyOrderElementsOf(granted);
    }

    /** ECS action to the resource ARNs it was sent for. */
    private Map<String, Set<String>> requests() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (ServeEvent event : wireMock.getAllServeEvents()) {
            String target = event.getRequest().getHeader("X-Amz-Target");
            assertThat(target).as("only ECS is called").startsWith("AmazonEC2ContainerServiceV20141113.");
            JsonNode body = JSON.readTree(event.getRequest().getBodyAsString());
            Set<String> resources = out.computeIfAbsent("ecs:" + target.substring(target.indexOf('.') + 1), k -> new LinkedHashSet<>());
            for (String key : List.of("resourceArn", "serviceDeploymentArn")) {
                if (body.has(key)) {
                    resources.add(body.path(key).asString());
                }
            }
            for (String key : List.of("serviceDeploymentArns", "serviceRevisionArns")) {
                resources.addAll(IamPolicyTest.values(body.path(key)));
            }
            if (body.has("service")) {
                resources.add(SERVICE_ARN + body.path("service").asString());
            }
            IamPolicyTest.values(body.path("services")).forEach(s -> resources.add(SERVICE_ARN + s));
        }
        return out;
    }

    private static JsonNode policy() throws java.io.IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<!-- ecs-native-iam-policy -->\\s*```json\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("the README documents the policy of ECS-native deployments").isTrue();
        return JSON.readTree(m.group(1));
    }
}
