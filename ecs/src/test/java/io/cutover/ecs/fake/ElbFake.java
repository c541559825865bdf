package io.cutover.ecs.fake;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ELBv2 listeners and rules with state: what ModifyListener / ModifyRule wrote is exactly what
 * DescribeListeners / DescribeRules return (the actions and conditions are kept as the request's
 * flattened parameters and rendered back as XML, so no field is lost or invented).
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
                Map<String, String> actions = Query.under(p, "DefaultActions");
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
                Map<String, String> actions = Query.under(p, "Actions");
                Map<String, String> conditions = Query.under(p, "Conditions");
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

    private static String listenerXml(String arn, Map<String, String> actions) {
        return "<member><ListenerArn>" + Query.escape(arn) + "</ListenerArn><Port>443</Port><Protocol>HTTPS</Protocol>"
                + "<DefaultActions>" + Query.xml(actions) + "</DefaultActions></member>";
    }

    private static String ruleXml(String arn, RuleState rule) {
        return "<member><RuleArn>" + Query.escape(arn) + "</RuleArn><Priority>" + rule.priority + "</Priority>"
                + "<IsDefault>false</IsDefault><Conditions>" + Query.xml(rule.conditions) + "</Conditions>"
                + "<Actions>" + Query.xml(rule.actions) + "</Actions></member>";
    }

    private static AwsFake.Reply ok(String action, String result) {
        return AwsFake.xml(200, "<" + action + "Response xmlns=\"" + NS + "\"><" + action + "Result>" + result + "</"
                + action + "Result><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></" + action + "Response>");
    }
}
