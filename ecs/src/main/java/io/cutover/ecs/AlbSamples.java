package io.cutover.ecs;

import io.cutover.CutoverException;
import io.cutover.ecs.internal.AwsCalls;
import io.cutover.spi.Measure;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSamples;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/**
 * Per-interval samples of one target group: one {@code GetMetricData} call (following its pages) with
 * {@code Period} = the step, over the whole steps of the query's window. Intervals sit on multiples of the
 * step, so the stable and candidate samples of one round share their instants; each point is stamped with
 * its interval's end. An interval without requests is left out. Every datapoint is checked: a negative or
 * non-finite value, a timestamp off the asked intervals or a result CloudWatch marks as failed is an error.
 */
final class AlbSamples {

    private static final int MAX_PAGES = 50;

    private AlbSamples() { }

    /** The statistics one measure needs: ids to metric and statistic. */
    private record Stat(String id, String metric, String stat) { }

    static MetricSamples read(CloudWatchClient cloudWatch, String loadBalancer, String targetGroup, MetricQuery q,
                              Measure measure, Duration step) {
        if (step == null || step.getSeconds() < 60 || step.getSeconds() % 60 != 0 || step.getNano() != 0) {
            throw CutoverException.permanent("samples " + measure + " of " + targetGroup, "step must be a whole number of "
                    + "minutes for ALB metrics, which CloudWatch keeps at one-minute resolution: " + step, null);
        }
        long s = step.getSeconds();
        long end = Math.floorDiv(q.at().getEpochSecond(), s) * s;
        long start = Math.floorDiv(q.at().minus(q.window()).getEpochSecond() + s - 1, s) * s;
        if (start >= end) {
            return MetricSamples.noData("window " + q.window() + " holds no whole step of " + step);
        }
        List<Stat> stats = switch (measure.kind()) {
            case ERROR_RATE, SUCCESS_RATE -> List.of(new Stat("errors", "HTTPCode_Target_5XX_Count", "Sum"),
                    new Stat("connections", "TargetConnectionErrorCount", "Sum"), new Stat("requests", "RequestCount", "Sum"));
            case REQUEST_RATE -> List.of(new Stat("requests", "RequestCount", "Sum"));
            case LATENCY -> List.of(new Stat("latency", "TargetResponseTime", CloudWatchAlbMetrics.percentile(measure.quantile())));
        };
        List<MetricDataQuery> queries = stats.stream()
                .map(x -> CloudWatchAlbMetrics.stat(loadBalancer, x.id(), x.metric(), targetGroup, (int) s, x.stat())).toList();
        String operation = "GetMetricData " + measure + " samples of " + targetGroup + " (" + q.revision().name() + ")";
        Map<String, TreeMap<Long, Double>> series = fetch(cloudWatch, operation, queries, start, end, s);

        List<MetricSamples.Point> points = new ArrayList<>();
        for (long t = start; t < end; t += s) {
            double value;
            if (measure.kind() == Measure.Kind.LATENCY) {
                Double latency = series.get("latency").get(t);
                if (latency == null) {
                    continue;
                }
                value = latency;
            } else {
                double requests = series.get("requests").getOrDefault(t, 0.0);
                if (!(requests > 0)) {
                    continue;
                }
                if (measure.kind() == Measure.Kind.REQUEST_RATE) {
                    value = requests / s;
                } else {
                    double failed = series.get("errors").getOrDefault(t, 0.0) + series.get("connections").getOrDefault(t, 0.0);
                    double rate = Math.min(1, failed / requests);
                    value = measure.kind() == Measure.Kind.ERROR_RATE ? rate : 1 - rate;
                }
            }
            points.add(new MetricSamples.Point(Instant.ofEpochSecond(t + s), value));
        }
        return points.isEmpty()
                ? MetricSamples.noData("no requests to " + targetGroup + " in a whole " + step + " interval of the last " + q.window())
                : MetricSamples.of(points);
    }

    /** Every datapoint of every query, by id and interval start (epoch seconds), checked. */
    private static Map<String, TreeMap<Long, Double>> fetch(CloudWatchClient cloudWatch, String operation,
                                                            List<MetricDataQuery> queries, long start, long end, long step) {
        Map<String, TreeMap<Long, Double>> series = new HashMap<>();
        queries.forEach(x -> series.put(x.id(), new TreeMap<>()));
        String token = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String next = token;
            GetMetricDataResponse r = AwsCalls.call(operation, () -> cloudWatch.getMetricData(b -> b.metricDataQueries(queries)
                    .startTime(Instant.ofEpochSecond(start)).endTime(Instant.ofEpochSecond(end))
                    .scanBy(ScanBy.TIMESTAMP_ASCENDING).nextToken(next)));
            for (MetricDataResult result : r.metricDataResults()) {
                TreeMap<Long, Double> points = series.get(result.id());
                if (points == null) {
                    throw CutoverException.permanent(operation, "CloudWatch answered a result no query asked for: " + result.id(), null);
                }
                if (result.statusCode() == StatusCode.INTERNAL_ERROR) {
                    throw CutoverException.transientFailure(operation, "CloudWatch could not read " + result.id() + ": "
                            + result.messages(), null);
                }
                if (result.statusCode() == StatusCode.FORBIDDEN) {
                    throw CutoverException.permanent(operation, "CloudWatch refused to read " + result.id() + ": "
                            + result.messages(), null);
                }
                add(operation, result, points, start, end, step);
            }
            token = r.nextToken();
            if (token == null || token.isEmpty()) {
                return series;
            }
        }
        throw CutoverException.permanent(operation, "CloudWatch answered more than " + MAX_PAGES + " pages", null);
    }

    private static void add(String operation, MetricDataResult result, TreeMap<Long, Double> points, long start, long end, long step) {
        List<Instant> times = result.timestamps();
        List<Double> values = result.values();
        if (times.size() != values.size()) {
            throw CutoverException.permanent(operation, result.id() + " has " + times.size() + " timestamps for "
                    + values.size() + " values", null);
        }
        for (int i = 0; i < times.size(); i++) {
            long t = times.get(i).getEpochSecond();
            double v = values.get(i) == null ? Double.NaN : values.get(i);
            if (t < start || t >= end || (t - start) % step != 0 || times.get(i).getNano() != 0) {
                throw CutoverException.permanent(operation, result.id() + " has a datapoint at " + times.get(i)
                        + ", not the start of a " + step + "s interval in " + Instant.ofEpochSecond(start) + ".."
                        + Instant.ofEpochSecond(end), null);
            }
            if (!Double.isFinite(v) || v < 0) {
                throw CutoverException.permanent(operation, result.id() + " is " + v + " at " + times.get(i)
                        + ": not a count or a latency", null);
            }
            if (points.put(t, v) != null) {
                throw CutoverException.permanent(operation, result.id() + " has two datapoints at " + times.get(i), null);
            }
        }
    }
}
