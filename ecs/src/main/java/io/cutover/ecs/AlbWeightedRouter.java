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
 */
public final class AlbWeightedRouter implements TrafficRouter {

    private static final Logger log = LoggerFactory.getLogger(AlbWeightedRouter.class);

    private final ElasticLoadBalancingV2Client elb;
    private final String arn;
    private final boolean rule;
    private final TargetGroupRoles roles;

    private AlbWeightedRouter(ElasticLoadBalancingV2Client elb, String arn, boolean rule, TargetGroupRoles roles) {
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

    @Override
    public Set<RouterCapability> capabilities() {
        return Set.of(RouterCapability.WEIGHTED);
    }

    @Override
    public void apply(TrafficSplit split) {
        Objects.requireNonNull(split, "split");
        if (!split.canaryMatches().isEmpty() || split.mirrorPercent() > 0) {
            throw new IllegalArgumentException("an ALB weighted router can only split by weight, not " + split);
        }
        TargetGroupRoles.Pair pair = roles.current();
        List<Action> actions = readActions();
        int index = forwardIndex(actions);
        Action forward = actions.get(index);
        List<TargetGroupTuple> groups = tuples(forward);
        Weights now = weights(groups, pair);
        int candidate = split.canaryWeight();
        int stable = 100 - candidate;
        int total = now.stable + now.candidate;
        if (total > 0 && 100L * now.candidate == (long) candidate * total) {
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
        ForwardActionConfig config = forward.forwardConfig() == null
                ? ForwardActionConfig.builder().targetGroups(written).build()
                : forward.forwardConfig().toBuilder().targetGroups(written).build();
        // With several target groups the forward config alone names them; TargetGroupArn would be rejected.
        List<Action> changed = new ArrayList<>(actions);
        changed.set(index, forward.toBuilder().targetGroupArn(null).forwardConfig(config).build());
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
