package io.cutover.ecs.fake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch alarms and metric data with state. A metric is keyed by name, target-group dimension
 * (none for a load-balancer-wide one) and statistic and answers one datapoint, which may depend on
 * the window's start ({@link #metricFrom}); a metric never put answers no datapoint, as CloudWatch
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

    /**
     * The value a metric has for windows starting at or after {@code from} (a window starting earlier
     * gets the value set before); {@code targetGroupDimension} null for a load-balancer-wide metric.
     */
    public synchronized void metricFrom(String targetGroupDimension, String metric, String stat, java.time.Instant from, double value) {
        timed.computeIfAbsent(targetGroupDimension + "|" + metric + "|" + stat, k -> new java.util.TreeMap<>()).put(from, value);
    }

    private final Map<String, java.util.TreeMap<java.time.Instant, Double>> timed = new LinkedHashMap<>();
    private final Map<String, java.util.TreeMap<java.time.Instant, Double>> series = new LinkedHashMap<>();

    /**
     * Datapoints of a metric, each stamped with the start of its period as CloudWatch does: a call answers
     * those in {@code [StartTime, EndTime)}, newest first unless it asks {@code ScanBy=TimestampAscending}.
     */
    private int pageSize = Integer.MAX_VALUE;

    /** At most {@code n} datapoints per series in one answer; the rest follow through {@code NextToken}. */
    public synchronized void pageSize(int n) {
        pageSize = n;
    }

    public synchronized void series(String targetGroupDimension, String metric, String stat, Map<java.time.Instant, Double> points) {
        series.put(targetGroupDimension + "|" + metric + "|" + stat, new java.util.TreeMap<>(points));
    }

    public synchronized void clearMetrics() {
        metrics.clear();
        series.clear();
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
                int offset = p.containsKey("NextToken") ? Integer.parseInt(p.get("NextToken").substring(5)) : 0;
                boolean more = false;
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
                    var points = series.get(key);
                    if (points != null) {
                        var window = points.subMap(java.time.Instant.parse(p.get("StartTime")), true,
                                java.time.Instant.parse(p.get("EndTime")), false);
                        var ordered = "TimestampAscending".equals(p.get("ScanBy")) ? window : window.descendingMap();
                        StringBuilder ts = new StringBuilder();
                        StringBuilder vs = new StringBuilder();
                        var page = ordered.entrySet().stream().skip(offset).limit(pageSize).toList();
                        page.forEach(e -> {
                            ts.append("<member>").append(e.getKey()).append("</member>");
                            vs.append("<member>").append(e.getValue()).append("</member>");
                        });
                        boolean partial = ordered.size() > offset + page.size();
                        more |= partial;
                        results.append("<member><Id>").append(id).append("</Id><Label>").append(id).append("</Label><Timestamps>")
                                .append(ts).append("</Timestamps><Values>").append(vs).append("</Values><StatusCode>")
                                .append(partial ? "PartialData" : "Complete").append("</StatusCode></member>");
                        continue;
                    }
                    Double value = metrics.get(key);
                    java.util.TreeMap<java.time.Instant, Double> series = timed.get(key);
                    if (series != null) {
                        var at = series.floorEntry(java.time.Instant.parse(p.get("StartTime")));
                        value = at == null ? value : at.getValue();
                    }
                    results.append("<member><Id>").append(id).append("</Id><Label>").append(id).append("</Label><Timestamps>")
                            .append(value == null ? "" : "<member>" + p.get("EndTime") + "</member>")
                            .append("</Timestamps><Values>").append(value == null ? "" : "<member>" + value + "</member>")
                            .append("</Values><StatusCode>Complete</StatusCode></member>");
                }
                yield ok(action, "<MetricDataResults>" + results + "</MetricDataResults><Messages></Messages>"
                        + (more ? "<NextToken>page-" + (offset + pageSize) + "</NextToken>" : ""));
            }
            default -> AwsFake.queryError(400, "InvalidAction", "not played by this fake: " + action);
        };
    }

    private static AwsFake.Reply ok(String action, String result) {
        return AwsFake.xml(200, "<" + action + "Response xmlns=\"" + NS + "\"><" + action + "Result>" + result + "</"
                + action + "Result><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></" + action + "Response>");
    }
}
