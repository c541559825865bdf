package io.cutover.ecs;

import io.cutover.CutoverException;
import io.cutover.ecs.internal.AwsCalls;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Splits traffic between two target groups of an Application Load Balancer, through the weighted
 * forward action of a listener's default actions or of one listener rule.
 *
 * <pre>{@code
 * TrafficRouter router = AlbWeightedRouter.forListener(aws.elb(), listenerArn, workloads.targetGroupRoles());
 * TrafficRouter onRule = AlbWeightedRouter.forRule(aws.elb(), ruleArn, TargetGroupRoles.fixed(blueArn, greenArn));
 * }</pre>
 *
 * <p>A percent {@code p} is written as weight {@code p} on the candidate and {@code 100 - p} on
 * stable (ALB weights range 0..999, so every whole percent is exact); {@link #read()} turns the
 * weights found back into a percent of the two, whatever their scale. Only the forward action's
 * target-group weights are changed: other actions, rule conditions, the stickiness setting and
 * any other target group in the forward action are written back as they were read, and a call
 * whose split the weights already give exactly (3 and 1 for 25%, a lone stable group for 0%)
 * writes nothing.
 *
 * <p>AWS's rules it follows: an {@code authenticate-oidc} action is read without its client secret,
 * so it is written back with {@code UseExistingClientSecret=true} (the secret stays as it was); a
 * forward action takes at most five target groups, and a split that would need a sixth is refused
 * before anything is written. <b>Stickiness:</b> with target-group stickiness on the forward action,
 * a client stuck to a group keeps going to it as long as the group is in the action, even at weight
 * 0. So at 0% (an abort, or the end of a rollout) the candidate's group is taken out of the forward
 * action rather than set to weight 0: stuck clients go back to stable at once, and the candidate's
 * tasks can be drained and removed without answering them.
 */
public final class AlbWeightedRouter implements TrafficRouter {

    private static final Logger log = LoggerFactory.getLogger(AlbWeightedRouter.class);

    private final ElasticLoadBalancingV2Client elb;
    private final String arn;
    private final boolean rule;
    private final TargetGroupRoles roles;

    private final String testListener;

    private AlbWeightedRouter(ElasticLoadBalancingV2Client elb, String arn, boolean rule, TargetGroupRoles roles) {
        this(elb, arn, rule, roles, null);
    }

    private AlbWeightedRouter(ElasticLoadBalancingV2Client elb, String arn, boolean rule, TargetGroupRoles roles, String testListener) {
        this.testListener = testListener;
        this.elb = Objects.requireNonNull(elb, "elb");
        if (arn == null || arn.isBlank()) {
            throw new IllegalArgumentException((rule ? "ruleArn" : "listenerArn") + " must not be blank");
        }
        this.arn = arn;
        this.rule = rule;
        this.roles = Objects.requireNonNull(roles, "roles");
    }

    /**
     * Routes through the forward action among the listener's default actions.
     *
     * @param elb         the ELBv2 client, best with SDK retries off ({@link AwsClients})
     * @param listenerArn the listener's ARN
     * @param roles       which target group serves which role
     * @return the router
     */
    public static AlbWeightedRouter forListener(ElasticLoadBalancingV2Client elb, String listenerArn, TargetGroupRoles roles) {
        return new AlbWeightedRouter(elb, listenerArn, false, roles);
    }

    /**
     * Routes through the forward action of one listener rule; its conditions are never rewritten.
     *
     * @param elb     the ELBv2 client, best with SDK retries off ({@link AwsClients})
     * @param ruleArn the listener rule's ARN
     * @param roles   which target group serves which role
     * @return the router
     */
    public static AlbWeightedRouter forRule(ElasticLoadBalancingV2Client elb, String ruleArn, TargetGroupRoles roles) {
        return new AlbWeightedRouter(elb, ruleArn, true, roles);
    }

    /**
     * The same router, also keeping a test listener (what CodeDeploy calls the test traffic route)
     * forwarding to the candidate's target group alone, so the candidate can be previewed on its
     * own port before any production traffic reaches it. Every {@link #apply} points it at the
     * candidate's group of that moment (after a promotion, the other colour, ready for the next
     * rollout); its other actions are kept. Point it at the group the primary does not use before
     * the first rollout, or apply the stable-only split once.
     *
     * @param testListenerArn the test listener's ARN; not the production rule or listener
     * @return a new router with the test listener
     */
    public AlbWeightedRouter withTestListener(String testListenerArn) {
        if (testListenerArn == null || testListenerArn.isBlank()) {
            throw new IllegalArgumentException("testListenerArn must not be blank");
        }
        if (testListenerArn.equals(arn)) {
            throw new IllegalArgumentException("testListenerArn must differ from the production " + (rule ? "rule" : "listener") + ": " + arn);
        }
        return new AlbWeightedRouter(elb, arn, rule, roles, testListenerArn);
    }

    @Override
    public Set<RouterCapability> capabilities() {
        return Set.of(RouterCapability.WEIGHTED);
    }

    @Override
    public void apply(TrafficSplit split) {
        Objects.requireNonNull(split, "split");
        if (!split.candidateMatches().isEmpty() || split.mirrorPercent() > 0) {
            throw new IllegalArgumentException("an ALB weighted router can only split by weight, not " + split);
        }
        TargetGroupRoles.Pair pair = roles.current();
        applyProduction(split, pair);
        if (testListener != null) {
            previewCandidate(pair);
        }
    }

    /** The test listener forwards to the candidate's group alone. */
    private void previewCandidate(TargetGroupRoles.Pair pair) {
        String verb = "DescribeListeners " + testListener;
        List<Listener> listeners = AwsCalls.call(verb, () -> elb.describeListeners(r -> r.listenerArns(testListener)).listeners());
        if (listeners.isEmpty()) {
            throw CutoverException.permanent(verb, "test listener " + testListener + " not found", null);
        }
        List<Action> actions = listeners.get(0).defaultActions();
        int index = -1;
        for (int i = 0; i < actions.size(); i++) {
            if (actions.get(i).type() == ActionTypeEnum.FORWARD) {
                index = i;
            }
        }
        if (index < 0) {
            throw CutoverException.permanent(verb, "test listener " + testListener + " has no forward action", null);
        }
        Action forward = actions.get(index);
        List<TargetGroupTuple> now = tuples(forward);
        if (now.size() == 1 && now.get(0).targetGroupArn().equals(pair.candidate())) {
            return;
        }
        ForwardActionConfig config = (forward.forwardConfig() == null ? ForwardActionConfig.builder() : forward.forwardConfig().toBuilder())
                .targetGroups(TargetGroupTuple.builder().targetGroupArn(pair.candidate()).weight(1).build()).build();
        List<Action> changed = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            changed.add(i == index ? forward.toBuilder().targetGroupArn(null).forwardConfig(config).build() : resendable(actions.get(i)));
        }
        AwsCalls.call("ModifyListener " + testListener, () -> elb.modifyListener(r -> r.listenerArn(testListener).defaultActions(changed)));
        log.info("test listener {}: forwards to the candidate's group {}", testListener, pair.candidate());
    }

    private void applyProduction(TrafficSplit split, TargetGroupRoles.Pair pair) {
        List<Action> actions = readActions();
        int index = forwardIndex(actions);
        Action forward = actions.get(index);
        List<TargetGroupTuple> groups = tuples(forward);
        Weights now = weights(groups, pair);
        int candidate = split.candidateWeight();
        int stable = 100 - candidate;
        int total = now.stable + now.candidate;
        boolean stuckCandidate = candidate == 0 && sticky(forward)
                && groups.stream().anyMatch(t -> t.targetGroupArn().equals(pair.candidate()));
        if (total > 0 && 100L * now.candidate == (long) candidate * total && !stuckCandidate) {
            // The weights already give exactly this split (75/25, 3/1, or 1 on stable alone for 0%).
            return;
        }
        List<TargetGroupTuple> written = new ArrayList<>();
        boolean stableSeen = false;
        boolean candidateSeen = false;
        for (TargetGroupTuple t : groups) {
            if (t.targetGroupArn().equals(pair.stable())) {
                written.add(t.toBuilder().weight(stable).build());
                stableSeen = true;
            } else if (t.targetGroupArn().equals(pair.candidate())) {
                written.add(t.toBuilder().weight(candidate).build());
                candidateSeen = true;
            } else {
                written.add(t);
            }
        }
        if (!stableSeen) {
            written.add(TargetGroupTuple.builder().targetGroupArn(pair.stable()).weight(stable).build());
        }
        if (!candidateSeen) {
            written.add(TargetGroupTuple.builder().targetGroupArn(pair.candidate()).weight(candidate).build());
        }
        if (candidate == 0 && sticky(forward)) {
            // A client stuck to the candidate's group keeps going there while the group is in the action,
            // whatever its weight; out of the action, the ALB routes it by weight again: to stable.
            written.removeIf(t -> t.targetGroupArn().equals(pair.candidate()));
        }
        if (written.size() > MAX_TARGET_GROUPS) {
            throw CutoverException.permanent("ModifyListener " + arn, (rule ? "rule " : "listener ") + arn + " would forward to "
                    + written.size() + " target groups; an ALB forward action takes at most " + MAX_TARGET_GROUPS, null);
        }
        ForwardActionConfig config = forward.forwardConfig() == null
                ? ForwardActionConfig.builder().targetGroups(written).build()
                : forward.forwardConfig().toBuilder().targetGroups(written).build();
        // With several target groups the forward config alone names them; TargetGroupArn would be rejected.
        List<Action> changed = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            changed.add(i == index ? forward.toBuilder().targetGroupArn(null).forwardConfig(config).build() : resendable(actions.get(i)));
        }
        write(changed);
        log.info("{} {}: stable {} weight {}, candidate {} weight {}", rule ? "rule" : "listener", arn,
                pair.stable(), stable, pair.candidate(), candidate);
    }

    @Override
    public TrafficSplit read() {
        TargetGroupRoles.Pair pair = roles.current();
        List<Action> actions = readActions();
        Weights w = weights(tuples(actions.get(forwardIndex(actions))), pair);
        int total = w.stable + w.candidate;
        if (total == 0) {
            // Neither role gets a request: nothing reaches the candidate.
            return TrafficSplit.stableOnly();
        }
        return TrafficSplit.weighted((int) Math.round(100.0 * w.candidate / total));
    }

    @Override
    public String toString() {
        return "AlbWeightedRouter[" + (rule ? "rule " : "listener ") + arn + "]";
    }

    private record Weights(int stable, int candidate) { }

    /** AWS's limit of target groups in one forward action. */
    static final int MAX_TARGET_GROUPS = 5;

    private static boolean sticky(Action forward) {
        return forward.forwardConfig() != null && forward.forwardConfig().targetGroupStickinessConfig() != null
                && Boolean.TRUE.equals(forward.forwardConfig().targetGroupStickinessConfig().enabled());
    }

    /**
     * An action as it can be sent back. DescribeListeners and DescribeRules never return an OIDC
     * action's client secret, and ModifyListener requires one unless {@code UseExistingClientSecret}
     * is set: so the secret is kept by saying so. A Cognito action has no secret to keep.
     */
    static Action resendable(Action action) {
        if (action.type() == ActionTypeEnum.AUTHENTICATE_OIDC && action.authenticateOidcConfig() != null
                && action.authenticateOidcConfig().clientSecret() == null) {
            return action.toBuilder().authenticateOidcConfig(action.authenticateOidcConfig().toBuilder()
                    .useExistingClientSecret(true).build()).build();
        }
        return action;
    }

    private static Weights weights(List<TargetGroupTuple> groups, TargetGroupRoles.Pair pair) {
        int stable = 0;
        int candidate = 0;
        for (TargetGroupTuple t : groups) {
            int weight = t.weight() == null ? 1 : t.weight();
            if (t.targetGroupArn().equals(pair.stable())) {
                stable += weight;
            } else if (t.targetGroupArn().equals(pair.candidate())) {
                candidate += weight;
            }
        }
        return new Weights(stable, candidate);
    }

    /** The target groups of a forward action; a plain TargetGroupArn counts as one group of weight 1. */
    private static List<TargetGroupTuple> tuples(Action forward) {
        if (forward.forwardConfig() != null && forward.forwardConfig().hasTargetGroups()
                && !forward.forwardConfig().targetGroups().isEmpty()) {
            return forward.forwardConfig().targetGroups();
        }
        if (forward.targetGroupArn() != null) {
            return List.of(TargetGroupTuple.builder().targetGroupArn(forward.targetGroupArn()).weight(1).build());
        }
        return List.of();
    }

    private int forwardIndex(List<Action> actions) {
        int found = -1;
        for (int i = 0; i < actions.size(); i++) {
            if (actions.get(i).type() == ActionTypeEnum.FORWARD) {
                if (found >= 0) {
                    throw CutoverException.permanent(describeVerb(), (rule ? "rule " : "listener ") + arn
                            + " has more than one forward action; cannot tell which one to weight", null);
                }
                found = i;
            }
        }
        if (found < 0) {
            throw CutoverException.permanent(describeVerb(), (rule ? "rule " : "listener ") + arn
                    + " has no forward action to weight (actions: " + actions.stream().map(Action::typeAsString).toList() + ")", null);
        }
        return found;
    }

    private String describeVerb() {
        return (rule ? "DescribeRules " : "DescribeListeners ") + arn;
    }

    private List<Action> readActions() {
        if (rule) {
            List<Rule> rules = AwsCalls.call(describeVerb(), () -> elb.describeRules(r -> r.ruleArns(arn)).rules());
            if (rules.isEmpty()) {
                throw CutoverException.permanent(describeVerb(), "rule " + arn + " not found", null);
            }
            return rules.get(0).actions();
        }
        List<Listener> listeners = AwsCalls.call(describeVerb(), () -> elb.describeListeners(r -> r.listenerArns(arn)).listeners());
        if (listeners.isEmpty()) {
            throw CutoverException.permanent(describeVerb(), "listener " + arn + " not found", null);
        }
        return listeners.get(0).defaultActions();
    }

    private void write(List<Action> actions) {
        if (rule) {
            // Conditions are left out of the request, so the rule keeps the ones it has.
            AwsCalls.call("ModifyRule " + arn, () -> elb.modifyRule(r -> r.ruleArn(arn).actions(actions)));
        } else {
            AwsCalls.call("ModifyListener " + arn, () -> elb.modifyListener(r -> r.listenerArn(arn).defaultActions(actions)));
        }
    }
}
