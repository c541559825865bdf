package io.cutover.ecs.fake;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ELBv2 listeners and rules with state: what ModifyListener / ModifyRule wrote is what
 * DescribeListeners / DescribeRules return (the actions and conditions are kept as the request's
 * flattened parameters and rendered back as XML, so no field is lost or invented), with AWS's
 * rules: an OIDC action's client secret is never returned, and a write must carry it again or say
 * {@code UseExistingClientSecret=true}; a forward action takes at most five target groups of
 * weight 0..999. {@link #stickyClientShares} routes a sticky client as the ALB would.
 */
public final class ElbFake {

    private static final String NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

    private final Map<String, Map<String, String>> listeners = new LinkedHashMap<>();
    private final Map<String, RuleState> rules = new LinkedHashMap<>();
    private final AtomicInteger writes = new AtomicInteger();

    private static final class RuleState {
        final String priority;
        Map<String, String> actions = new LinkedHashMap<>();
        Map<String, String> conditions = new LinkedHashMap<>();

        RuleState(String priority) {
            this.priority = priority;
        }
    }

    /** A listener that exists with no actions yet; give it actions with ModifyListener. */
    public synchronized void createListener(String arn) {
        listeners.put(arn, new LinkedHashMap<>());
    }

    public synchronized void createRule(String arn, int priority) {
        rules.put(arn, new RuleState(Integer.toString(priority)));
    }

    /** ModifyListener and ModifyRule calls that reached the state (seeding included). */
    public int writes() {
        return writes.get();
    }

    /** The target-group weights of the forward action of a listener or rule, as stored. */
    public synchronized Map<String, Integer> forwardWeights(String arn) {
        Map<String, String> actions = listeners.containsKey(arn) ? listeners.get(arn) : rules.get(arn).actions;
        Map<String, Integer> weights = new java.util.TreeMap<>();
        for (int i = 1; actions.containsKey("member." + i + ".Type"); i++) {
            if (!"forward".equals(actions.get("member." + i + ".Type"))) {
                continue;
            }
            String groups = "member." + i + ".ForwardConfig.TargetGroups.member.";
            for (int g = 1; actions.containsKey(groups + g + ".TargetGroupArn"); g++) {
                weights.put(actions.get(groups + g + ".TargetGroupArn"), Integer.parseInt(actions.getOrDefault(groups + g + ".Weight", "1")));
            }
        }
        return weights;
    }

    /**
     * Where a client that holds the ALB's stickiness cookie for {@code stuckTo} is sent, as AWS
     * routes it: to that group while target-group stickiness is on and the group is in the forward
     * action (whatever its weight); otherwise by weight, returned as the share of each group.
     */
    public synchronized Map<String, Double> stickyClientShares(String arn, String stuckTo) {
        Map<String, String> actions = listeners.containsKey(arn) ? listeners.get(arn) : rules.get(arn).actions;
        Map<String, Integer> weights = forwardWeights(arn);
        boolean sticky = false;
        for (int i = 1; actions.containsKey("member." + i + ".Type"); i++) {
            if ("true".equals(actions.get("member." + i + ".ForwardConfig.TargetGroupStickinessConfig.Enabled"))) {
                sticky = true;
            }
        }
        if (sticky && weights.containsKey(stuckTo)) {
            return Map.of(stuckTo, 1.0);
        }
        double total = weights.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Double> shares = new java.util.TreeMap<>();
        weights.forEach((tg, w) -> shares.put(tg, total == 0 ? 0 : w / total));
        return shares;
    }

    /** The OIDC client secret the listener keeps (never returned by Describe calls). */
    public synchronized String clientSecret(String arn) {
        Map<String, String> actions = listeners.get(arn);
        for (int i = 1; actions.containsKey("member." + i + ".Type"); i++) {
            String secret = actions.get("member." + i + ".AuthenticateOidcConfig.ClientSecret");
            if (secret != null) {
                return secret;
            }
        }
        return null;
    }

    /**
     * Checks new actions as ELBv2 does and carries the stored OIDC secret over when the request says
     * UseExistingClientSecret; returns an error message, or null when the actions are valid.
     */
    private static String validate(Map<String, String> actions, Map<String, String> before) {
        for (int i = 1; actions.containsKey("member." + i + ".Type"); i++) {
            String m = "member." + i + ".";
            String type = actions.get(m + "Type");
            if ("authenticate-oidc".equals(type)) {
                boolean existing = "true".equals(actions.get(m + "AuthenticateOidcConfig.UseExistingClientSecret"));
                if (actions.get(m + "AuthenticateOidcConfig.ClientSecret") == null) {
                    if (!existing) {
                        return "You must specify a client secret for an authenticate-oidc action, or set UseExistingClientSecret to true";
                    }
                    String kept = null;
                    for (int j = 1; before.containsKey("member." + j + ".Type"); j++) {
                        if ("authenticate-oidc".equals(before.get("member." + j + ".Type"))) {
                            kept = before.get("member." + j + ".AuthenticateOidcConfig.ClientSecret");
                        }
                    }
                    if (kept == null) {
                        return "UseExistingClientSecret is true but there is no existing client secret";
                    }
                    actions.put(m + "AuthenticateOidcConfig.ClientSecret", kept);
                }
                actions.remove(m + "AuthenticateOidcConfig.UseExistingClientSecret");
            }
            if ("forward".equals(type)) {
                String groups = m + "ForwardConfig.TargetGroups.member.";
                int g = 1;
                for (; actions.containsKey(groups + g + ".TargetGroupArn"); g++) {
                    int weight = Integer.parseInt(actions.getOrDefault(groups + g + ".Weight", "1"));
                    if (weight < 0 || weight > 999) {
                        return "Target group weight must be between 0 and 999: " + weight;
                    }
                }
                if (g - 1 > 5) {
                    return "A forward action can have at most 5 target groups: " + (g - 1);
                }
            }
        }
        return null;
    }

    /** What Describe calls show: everything but the OIDC client secret. */
    private static Map<String, String> shown(Map<String, String> actions) {
        Map<String, String> out = new LinkedHashMap<>(actions);
        out.keySet().removeIf(k -> k.endsWith(".AuthenticateOidcConfig.ClientSecret"));
        return out;
    }

    synchronized AwsFake.Reply handle(String action, Map<String, String> p) {
        return switch (action) {
            case "DescribeListeners" -> {
                StringBuilder members = new StringBuilder();
                for (String arn : Query.list(p, "ListenerArns")) {
                    Map<String, String> actions = listeners.get(arn);
                    if (actions == null) {
                        yield AwsFake.queryError(400, "ListenerNotFound", "One or more listeners not found");
                    }
                    members.append(listenerXml(arn, actions));
                }
                yield ok(action, "<Listeners>" + members + "</Listeners>");
            }
            case "ModifyListener" -> {
                String arn = p.get("ListenerArn");
                if (!listeners.containsKey(arn)) {
                    yield AwsFake.queryError(400, "ListenerNotFound", "One or more listeners not found");
                }
                Map<String, String> actions = new LinkedHashMap<>(Query.under(p, "DefaultActions"));
                String invalid = validate(actions, listeners.get(arn));
                if (invalid != null) {
                    yield AwsFake.queryError(400, "ValidationError", invalid);
                }
                if (!actions.isEmpty()) {
                    listeners.put(arn, actions);
                }
                writes.incrementAndGet();
                yield ok(action, "<Listeners>" + listenerXml(arn, listeners.get(arn)) + "</Listeners>");
            }
            case "DescribeRules" -> {
                StringBuilder members = new StringBuilder();
                for (String arn : Query.list(p, "RuleArns")) {
                    RuleState rule = rules.get(arn);
                    if (rule == null) {
                        yield AwsFake.queryError(400, "RuleNotFound", "One or more rules not found");
                    }
                    members.append(ruleXml(arn, rule));
                }
                yield ok(action, "<Rules>" + members + "</Rules>");
            }
            case "ModifyRule" -> {
                String arn = p.get("RuleArn");
                RuleState rule = rules.get(arn);
                if (rule == null) {
                    yield AwsFake.queryError(400, "RuleNotFound", "One or more rules not found");
                }
                Map<String, String> actions = new LinkedHashMap<>(Query.under(p, "Actions"));
                Map<String, String> conditions = Query.under(p, "Conditions");
                String invalid = validate(actions, rule.actions);
                if (invalid != null) {
                    yield AwsFake.queryError(400, "ValidationError", invalid);
                }
                if (!actions.isEmpty()) {
                    rule.actions = actions;
                }
                if (!conditions.isEmpty()) {
                    rule.conditions = conditions;
                }
                writes.incrementAndGet();
                yield ok(action, "<Rules>" + ruleXml(arn, rule) + "</Rules>");
            }
            default -> AwsFake.queryError(400, "InvalidAction", "not played by this fake: " + action);
        };
    }

    /** What ECS writes itself into a rule it manages for its own deployments: one forward action with these weights. */
    synchronized void forwardAsEcsDoes(String ruleArn, Map<String, Integer> weights) {
        Map<String, String> actions = new LinkedHashMap<>();
        actions.put("member.1.Type", "forward");
        int g = 1;
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            actions.put("member.1.ForwardConfig.TargetGroups.member." + g + ".TargetGroupArn", e.getKey());
            actions.put("member.1.ForwardConfig.TargetGroups.member." + g + ".Weight", Integer.toString(e.getValue()));
            g++;
        }
        rules.get(ruleArn).actions = actions;
    }

    private static String listenerXml(String arn, Map<String, String> actions) {
        return "<member><ListenerArn>" + Query.escape(arn) + "</ListenerArn><Port>443</Port><Protocol>HTTPS</Protocol>"
                + "<DefaultActions>" + Query.xml(shown(actions)) + "</DefaultActions></member>";
    }

    private static String ruleXml(String arn, RuleState rule) {
        return "<member><RuleArn>" + Query.escape(arn) + "</RuleArn><Priority>" + rule.priority + "</Priority>"
                + "<IsDefault>false</IsDefault><Conditions>" + Query.xml(rule.conditions) + "</Conditions>"
                + "<Actions>" + Query.xml(shown(rule.actions)) + "</Actions></member>";
    }

    private static AwsFake.Reply ok(String action, String result) {
        return AwsFake.xml(200, "<" + action + "Response xmlns=\"" + NS + "\"><" + action + "Result>" + result + "</"
                + action + "Result><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></" + action + "Response>");
    }
}
