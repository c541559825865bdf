package io.cutover.ecs;

import static io.cutover.ecs.Fixtures.BLUE;
import static io.cutover.ecs.Fixtures.GREEN;
import static io.cutover.ecs.Fixtures.LISTENER;
import static io.cutover.ecs.Fixtures.RULE;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.CutoverException;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficSplit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AuthenticateOidcActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

class AlbWeightedRouterTest {

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;
    private ElasticLoadBalancingV2Client elb;

    static final Action OIDC = Action.builder().type(ActionTypeEnum.AUTHENTICATE_OIDC).order(1)
            .authenticateOidcConfig(AuthenticateOidcActionConfig.builder()
                    .issuer("https://idp.example.com").authorizationEndpoint("https://idp.example.com/auth")
                    .tokenEndpoint("https://idp.example.com/token").userInfoEndpoint("https://idp.example.com/userinfo")
                    .clientId("myapp").scope("openid")
                    .authenticationRequestExtraParams(Map.of("display", "page"))
                    .build())
            .build();

    /** The OIDC action as written by its owner, secret included; Describe calls return {@link #OIDC}. */
    static final Action OIDC_SEED = OIDC.toBuilder()
            .authenticateOidcConfig(OIDC.authenticateOidcConfig().toBuilder().clientSecret("s3cret").build()).build();

    static Action forward(int blueWeight, Integer greenWeight) {
        List<TargetGroupTuple> groups = greenWeight == null
                ? List.of(TargetGroupTuple.builder().targetGroupArn(BLUE).weight(blueWeight).build())
                : List.of(TargetGroupTuple.builder().targetGroupArn(BLUE).weight(blueWeight).build(),
                          TargetGroupTuple.builder().targetGroupArn(GREEN).weight(greenWeight).build());
        return Action.builder().type(ActionTypeEnum.FORWARD).order(2)
                .forwardConfig(ForwardActionConfig.builder().targetGroups(groups)
                        .targetGroupStickinessConfig(s -> s.enabled(true).durationSeconds(3600)).build())
                .build();
    }

    @BeforeEach
    void seed() {
        elb = server.clients().elb();
        server.fake.elb().createListener(LISTENER);
        elb.modifyListener(r -> r.listenerArn(LISTENER).defaultActions(OIDC_SEED, forward(1, null)));
    }

    private List<Action> listenerActions() {
        return elb.describeListeners(r -> r.listenerArns(LISTENER)).listeners().get(0).defaultActions();
    }

    static Map<String, Integer> weights(List<Action> actions) {
        return actions.stream().filter(a -> a.type() == ActionTypeEnum.FORWARD).findFirst().orElseThrow()
                .forwardConfig().targetGroups().stream()
                .collect(Collectors.toMap(TargetGroupTuple::targetGroupArn, TargetGroupTuple::weight));
    }

    @Test
    void weightsTheForwardActionAndKeepsTheOtherActionAndStickiness() {
        var router = AlbWeightedRouter.forListener(elb, LISTENER, TargetGroupRoles.fixed(BLUE, GREEN));

        router.apply(TrafficSplit.weighted(25));

        List<Action> actions = listenerActions();
        assertThat(weights(actions)).containsExactlyInAnyOrderEntriesOf(Map.of(BLUE, 75, GREEN, 25));
        assertThat(actions).hasSize(2);
        assertThat(actions.get(0)).isEqualTo(OIDC);
        Action fwd = actions.get(1);
        assertThat(fwd.order()).isEqualTo(2);
        assertThat(fwd.forwardConfig().targetGroupStickinessConfig().enabled()).isTrue();
        assertThat(fwd.forwardConfig().targetGroupStickinessConfig().durationSeconds()).isEqualTo(3600);
        assertThat(router.read()).isEqualTo(TrafficSplit.weighted(25));
    }

    @Test
    void repeatingADesiredSplitWritesNothing() {
        var router = AlbWeightedRouter.forListener(elb, LISTENER, TargetGroupRoles.fixed(BLUE, GREEN));
        router.apply(TrafficSplit.weighted(50));
        int writes = server.fake.elb().writes();

        router.apply(TrafficSplit.weighted(50));
        router.apply(TrafficSplit.weighted(50));

        assertThat(server.fake.elb().writes()).isEqualTo(writes);
        router.apply(TrafficSplit.stableOnly());
        assertThat(server.fake.elb().writes()).isEqualTo(writes + 1);
        assertThat(weights(listenerActions())).as("a sticky forward loses the candidate's group at 0%")
                .containsExactlyInAnyOrderEntriesOf(Map.of(BLUE, 100));
        assertThat(router.read().isStableOnly()).isTrue();
    }

    @Test
    void readsWeightsSetByHandAsAPercentOfTheTwoGroups() {
        elb.modifyListener(r -> r.listenerArn(LISTENER).defaultActions(OIDC_SEED, forward(3, 1)));
        var router = AlbWeightedRouter.forListener(elb, LISTENER, TargetGroupRoles.fixed(BLUE, GREEN));

        assertThat(router.read()).isEqualTo(TrafficSplit.weighted(25));
        assertThat(AlbWeightedRouter.forListener(elb, LISTENER, TargetGroupRoles.fixed(GREEN, BLUE)).read())
                .isEqualTo(TrafficSplit.weighted(75));
        int writes = server.fake.elb().writes();
        router.apply(TrafficSplit.weighted(25));
        assertThat(server.fake.elb().writes()).as("3:1 already is 25%").isEqualTo(writes);
        router.apply(TrafficSplit.weighted(30));
        assertThat(weights(listenerActions())).containsExactlyInAnyOrderEntriesOf(Map.of(BLUE, 70, GREEN, 30));
    }

    @Test
    void convertsAPlainTargetGroupForwardIntoAWeightedOne() {
        Action plain = Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(BLUE).build();
        elb.modifyListener(r -> r.listenerArn(LISTENER).defaultActions(plain));
        var router = AlbWeightedRouter.forListener(elb, LISTENER, TargetGroupRoles.fixed(BLUE, GREEN));
        assertThat(router.read().isStableOnly()).isTrue();

        router.apply(TrafficSplit.weighted(10));

        Action fwd = listenerActions().get(0);
        assertThat(fwd.targetGroupArn()).isNull();
        assertThat(weights(List.of(fwd))).containsExactlyInAnyOrderEntriesOf(Map.of(BLUE, 90, GREEN, 10));
    }

    @Test
    void aThirdTargetGroupInTheForwardActionIsKept() {
        String other = Fixtures.LB + "targetgroup/myapp-debug/0a1b2c3d4e5f6a7b";
        Action three = forward(1, 0).toBuilder().forwardConfig(forward(1, 0).forwardConfig().toBuilder().targetGroups(
                TargetGroupTuple.builder().targetGroupArn(BLUE).weight(100).build(),
                TargetGroupTuple.builder().targetGroupArn(other).weight(0).build(),
                TargetGroupTuple.builder().targetGroupArn(GREEN).weight(0).build()).build()).build();
        elb.modifyListener(r -> r.listenerArn(LISTENER).defaultActions(OIDC_SEED, three));
        var router = AlbWeightedRouter.forListener(elb, LISTENER, TargetGroupRoles.fixed(BLUE, GREEN));

        router.apply(TrafficSplit.weighted(30));

        List<TargetGroupTuple> groups = listenerActions().get(1).forwardConfig().targetGroups();
        assertThat(groups).extracting(TargetGroupTuple::targetGroupArn).containsExactly(BLUE, other, GREEN);
        assertThat(groups).extracting(TargetGroupTuple::weight).containsExactly(70, 0, 30);
        assertThat(router.read()).isEqualTo(TrafficSplit.weighted(30));
    }

    @Test
    void aRuleKeepsItsConditionsAndOtherActions() {
        server.fake.elb().createRule(RULE, 10);
        List<RuleCondition> conditions = List.of(
                RuleCondition.builder().field("path-pattern").pathPatternConfig(p -> p.values("/api/*", "/v2/*")).build(),
                RuleCondition.builder().field("http-header")
                        .httpHeaderConfig(h -> h.httpHeaderName("X-Tenant").values("acme")).build());
        elb.modifyRule(r -> r.ruleArn(RULE).conditions(conditions).actions(OIDC_SEED, forward(1, 0)));
        var router = AlbWeightedRouter.forRule(elb, RULE, TargetGroupRoles.fixed(BLUE, GREEN));

        router.apply(TrafficSplit.weighted(40));

        Rule rule = elb.describeRules(r -> r.ruleArns(RULE)).rules().get(0);
        assertThat(rule.conditions()).isEqualTo(conditions);
        assertThat(rule.actions().get(0)).isEqualTo(OIDC);
        assertThat(weights(rule.actions())).containsExactlyInAnyOrderEntriesOf(Map.of(BLUE, 60, GREEN, 40));
        assertThat(rule.priority()).isEqualTo("10");
        assertThat(router.read()).isEqualTo(TrafficSplit.weighted(40));
        // Only the seeding call sent conditions; the router's ModifyRule left them to the rule.
        server.wireMock.verify(1, postRequestedFor(anyUrl())
                .withRequestBody(containing("Action=ModifyRule")).withRequestBody(containing("Conditions.member")));
        server.wireMock.verify(2, postRequestedFor(anyUrl()).withRequestBody(containing("Action=ModifyRule")));
    }

    @Test
    void aListenerWithoutAForwardActionIsAPermanentError() {
        Action fixed = Action.builder().type(ActionTypeEnum.FIXED_RESPONSE)
                .fixedResponseConfig(f -> f.statusCode("503").contentType("text/plain").messageBody("down")).build();
        elb.modifyListener(r -> r.listenerArn(LISTENER).defaultActions(fixed));
        var router = AlbWeightedRouter.forListener(elb, LISTENER, TargetGroupRoles.fixed(BLUE, GREEN));

        assertThatThrownBy(() -> router.apply(TrafficSplit.weighted(10)))
                .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.kind()).isEqualTo(CutoverException.Kind.PERMANENT))
                .hasMessageContaining("no forward action").hasMessageContaining(LISTENER);
    }

    @Test
    void anUnknownListenerIsPermanentAndNamesTheCall() {
        var router = AlbWeightedRouter.forListener(elb, LISTENER + "-gone", TargetGroupRoles.fixed(BLUE, GREEN));

        assertThatThrownBy(router::read)
                .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.kind()).isEqualTo(CutoverException.Kind.PERMANENT))
                .hasMessageContaining("DescribeListeners").hasMessageContaining("ListenerNotFound");
    }

    @Test
    void onlyWeightsAreOffered() {
        var router = AlbWeightedRouter.forListener(elb, LISTENER, TargetGroupRoles.fixed(BLUE, GREEN));

        assertThat(router.capabilities()).containsExactly(RouterCapability.WEIGHTED);
        assertThatThrownBy(() -> router.apply(TrafficSplit.stableOnly().withCandidateMatches(List.of(HeaderMatch.exact("x-canary", "true")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only split by weight");
        assertThatThrownBy(() -> AlbWeightedRouter.forRule(elb, " ", TargetGroupRoles.fixed(BLUE, GREEN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ruleArn");
    }

    @Test
    void anOidcListenerKeepsItsClientSecretAcrossWeightChanges() {
        var router = AlbWeightedRouter.forListener(elb, LISTENER, TargetGroupRoles.fixed(BLUE, GREEN));

        router.apply(TrafficSplit.weighted(25));
        router.apply(TrafficSplit.weighted(100));

        assertThat(server.fake.elb().clientSecret(LISTENER)).isEqualTo("s3cret");
        assertThat(listenerActions().get(0)).as("the secret is never read back").isEqualTo(OIDC);
        wireMock.verify(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl())
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("Action=ModifyListener"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("AuthenticateOidcConfig.UseExistingClientSecret=true")));
    }

    @Test
    void theElbFakeRefusesAnOidcActionSentBackAsReadLikeAwsDoes() {
        List<Action> asRead = listenerActions();

        assertThatThrownBy(() -> elb.modifyListener(r -> r.listenerArn(LISTENER).defaultActions(asRead)))
                .hasMessageContaining("client secret");
    }

    @Test
    void aClientStuckToTheCandidateGoesBackToStableWhenTheSplitReturnsToZero() {
        var router = AlbWeightedRouter.forListener(elb, LISTENER, TargetGroupRoles.fixed(BLUE, GREEN));
        router.apply(TrafficSplit.weighted(25));
        assertThat(server.fake.elb().stickyClientShares(LISTENER, GREEN)).as("stickiness beats weights").containsEntry(GREEN, 1.0);

        router.apply(TrafficSplit.stableOnly());

        assertThat(server.fake.elb().stickyClientShares(LISTENER, GREEN)).containsExactlyEntriesOf(Map.of(BLUE, 1.0));
        assertThat(router.read().isStableOnly()).isTrue();
        Action fwd = listenerActions().get(1);
        assertThat(fwd.forwardConfig().targetGroupStickinessConfig().enabled()).as("the user's stickiness setting is kept").isTrue();
    }

    @Test
    void aSplitNeedingASixthTargetGroupIsRefusedBeforeAnythingIsWritten() {
        List<TargetGroupTuple> five = new java.util.ArrayList<>();
        five.add(TargetGroupTuple.builder().targetGroupArn(BLUE).weight(10).build());
        for (int i = 1; i <= 4; i++) {
            five.add(TargetGroupTuple.builder().targetGroupArn(Fixtures.LB + "targetgroup/other-" + i + "/0" + i).weight(1).build());
        }
        Action forward = Action.builder().type(ActionTypeEnum.FORWARD).order(2)
                .forwardConfig(ForwardActionConfig.builder().targetGroups(five).build()).build();
        elb.modifyListener(r -> r.listenerArn(LISTENER).defaultActions(OIDC_SEED, forward));
        int writes = server.fake.elb().writes();
        var router = AlbWeightedRouter.forListener(elb, LISTENER, TargetGroupRoles.fixed(BLUE, GREEN));

        assertThatThrownBy(() -> router.apply(TrafficSplit.weighted(10)))
                .isInstanceOf(io.cutover.CutoverException.class).hasMessageContaining("at most 5");
        assertThat(server.fake.elb().writes()).isEqualTo(writes);
    }

    @Test
    void aTestListenerForwardsToTheCandidateAloneAndFollowsThePromotion() {
        String test = Fixtures.LB + "listener/app/myapp/50dc6c495c0c9188/aaaa1111bbbb2222";
        server.fake.elb().createListener(test);
        elb.modifyListener(r -> r.listenerArn(test).defaultActions(OIDC_SEED, forward(1, null)));
        var roles = new java.util.concurrent.atomic.AtomicReference<>(new TargetGroupRoles.Pair(BLUE, GREEN));
        var router = AlbWeightedRouter.forListener(elb, LISTENER, roles::get).withTestListener(test);

        router.apply(TrafficSplit.stableOnly());

        assertThat(server.fake.elb().forwardWeights(test)).containsExactlyEntriesOf(Map.of(GREEN, 1));
        assertThat(server.fake.elb().forwardWeights(LISTENER)).as("production untouched").containsExactlyEntriesOf(Map.of(BLUE, 1));
        assertThat(server.fake.elb().clientSecret(test)).isEqualTo("s3cret");
        router.apply(TrafficSplit.weighted(100));
        roles.set(new TargetGroupRoles.Pair(GREEN, BLUE)); // promoted: green's task set is primary now
        router.apply(TrafficSplit.stableOnly());
        assertThat(server.fake.elb().forwardWeights(test)).as("ready to preview the next candidate").containsExactlyEntriesOf(Map.of(BLUE, 1));
        assertThat(server.fake.elb().forwardWeights(LISTENER)).containsExactlyEntriesOf(Map.of(GREEN, 100));
        assertThatThrownBy(() -> router.withTestListener(LISTENER)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("testListenerArn");
    }
}
