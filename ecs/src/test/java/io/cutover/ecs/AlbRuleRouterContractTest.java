package io.cutover.ecs;

import static io.cutover.ecs.Fixtures.BLUE;
import static io.cutover.ecs.Fixtures.GREEN;
import static io.cutover.ecs.Fixtures.RULE;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.test.contract.TrafficRouterContract;
import io.cutover.spi.TrafficRouter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;

/** The core router contract on a listener rule with conditions and a second action, which every test leaves as they were. */
class AlbRuleRouterContractTest extends TrafficRouterContract {

    static final List<RuleCondition> CONDITIONS = List.of(
            RuleCondition.builder().field("path-pattern").pathPatternConfig(p -> p.values("/api/*")).build(),
            RuleCondition.builder().field("host-header").hostHeaderConfig(h -> h.values("api.example.com")).build());

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;
    private ElasticLoadBalancingV2Client elb;

    @Override
    protected TrafficRouter newRouter() {
        elb = server.clients().elb();
        server.fake.elb().createRule(RULE, 5);
        elb.modifyRule(r -> r.ruleArn(RULE).conditions(CONDITIONS).actions(AlbWeightedRouterTest.OIDC_SEED, AlbWeightedRouterTest.forward(100, 0)));
        return AlbWeightedRouter.forRule(elb, RULE, TargetGroupRoles.fixed(BLUE, GREEN));
    }

    @AfterEach
    void conditionsAndTheOtherActionAreKept() {
        Rule rule = elb.describeRules(r -> r.ruleArns(RULE)).rules().get(0);
        assertThat(rule.conditions()).isEqualTo(CONDITIONS);
        assertThat(rule.actions().get(0)).isEqualTo(AlbWeightedRouterTest.OIDC);
        assertThat(rule.actions().get(1).forwardConfig().targetGroupStickinessConfig().durationSeconds()).isEqualTo(3600);
    }
}
