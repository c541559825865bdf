package io.cutover.ecs.fake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch alarms and metric data with state. A metric is keyed by name, target-group dimension
 * and statistic and answers one datapoint; a metric never put answers no datapoint, as CloudWatch
 * does for a 5xx count when nothing failed.
 */
public final class CloudWatchFake {

    private static final String NS = "http://monitoring.amazonaws.com/doc/2010-08-01/";

    private record Alarm(String state, String reason, boolean composite) { }

    private final Map<String, Alarm> alarms = new LinkedHashMap<>();
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private final List<Map<String, String>> metricRequests = new ArrayList<>();

    public synchronized void alarm(String name, String state, String reason) {
        alarms.put(name, new Alarm(state, reason, false));
    }

    public synchronized void compositeAlarm(String name, String state) {
        alarms.put(name, new Alarm(state, "composite", true));
    }

    /** The value of {@code metric} (with {@code stat}) for the target group dimension {@code targetgroup/name/id}. */
    public synchronized void metric(String targetGroupDimension, String metric, String stat, double value) {
        metrics.put(targetGroupDimension + "|" + metric + "|" + stat, value);
    }

    public synchronized void clearMetrics() {
        metrics.clear();
    }

    /** The value of a metric-math or Insights expression. */
    public synchronized void expression(String expression, double value) {
        metrics.put("expr|" + expression, value);
    }

    /** The parameters of every GetMetricData call, in order. */
    public synchronized List<Map<String, String>> metricRequests() {
        return List.copyOf(metricRequests);
    }

    synchronized AwsFake.Reply handle(String action, Map<String, String> p) {
        return switch (action) {
            case "DescribeAlarms" -> {
                StringBuilder metric = new StringBuilder();
                StringBuilder composite = new StringBuilder();
                for (String name : Query.list(p, "AlarmNames")) {
                    Alarm a = alarms.get(name);
                    if (a == null) {
                        continue;
                    }
                    String xml = "<member><AlarmName>" + Query.escape(name) + "</AlarmName><StateValue>" + a.state()
                            + "</StateValue><StateReason>" + Query.escape(a.reason()) + "</StateReason></member>";
                    (a.composite() ? composite : metric).append(xml);
                }
                yield ok(action, "<MetricAlarms>" + metric + "</MetricAlarms><CompositeAlarms>" + composite + "</CompositeAlarms>");
            }
            case "GetMetricData" -> {
                metricRequests.add(p);
                StringBuilder results = new StringBuilder();
                for (int i = 1; p.containsKey("MetricDataQueries.member." + i + ".Id"); i++) {
                    String q = "MetricDataQueries.member." + i + ".";
                    String id = p.get(q + "Id");
                    String key;
                    if (p.containsKey(q + "Expression")) {
                        key = "expr|" + p.get(q + "Expression");
                    } else {
                        String tg = null;
                        for (int d = 1; p.containsKey(q + "MetricStat.Metric.Dimensions.member." + d + ".Name"); d++) {
                            if ("TargetGroup".equals(p.get(q + "MetricStat.Metric.Dimensions.member." + d + ".Name"))) {
                                tg = p.get(q + "MetricStat.Metric.Dimensions.member." + d + ".Value");
                            }
                        }
                        key = tg + "|" + p.get(q + "MetricStat.Metric.MetricName") + "|" + p.get(q + "MetricStat.Stat");
                    }
                    Double value = metrics.get(key);
                    results.append("<member><Id>").append(id).append("</Id><Label>").append(id).append("</Label><Timestamps>")
                            .append(value == null ? "" : "<member>" + p.get("EndTime") + "</member>")
                            .append("</Timestamps><Values>").append(value == null ? "" : "<member>" + value + "</member>")
                            .append("</Values><StatusCode>Complete</StatusCode></member>");
                }
                yield ok(action, "<MetricDataResults>" + results + "</MetricDataResults><Messages></Messages>");
            }
            default -> AwsFake.queryError(400, "InvalidAction", "not played by this fake: " + action);
        };
    }

    private static AwsFake.Reply ok(String action, String result) {
        return AwsFake.xml(200, "<" + action + "Response xmlns=\"" + NS + "\"><" + action + "Result>" + result + "</"
                + action + "Result><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></" + action + "Response>");
    }
}
