package io.cutover.ecs;

import io.cutover.CutoverException;
import io.cutover.ecs.internal.AwsCalls;
import io.cutover.spi.Measure;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSamples;
import io.cutover.spi.MetricSource;
import io.cutover.spi.MetricValue;
import io.cutover.spi.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/**
 * Metrics of a role from the ALB's target-group metrics in CloudWatch ({@code AWS/ApplicationELB}):
 * error rate counts what users saw fail (see {@link #errorRate}), success rate is its complement,
 * request rate {@code RequestCount} per second, latency a percentile of {@code TargetResponseTime}.
 *
 * <pre>{@code
 * MetricSource metrics = CloudWatchAlbMetrics.of(aws.cloudWatch(), loadBalancerArn, workloads.targetGroupRoles());
 * }</pre>
 *
 * <p>Each question is one {@code GetMetricData} call over the query's window (rounded up to whole
 * minutes, the metrics' resolution) ending at the query's instant. A window with no request is
 * {@link MetricValue.NoData}; a 5xx count with no datapoint is zero, because the ALB publishes it
 * only when errors happen. {@link #query} takes a metric-math or Metrics Insights expression and
 * returns its latest value over the five minutes before the instant. {@link #samples} returns
 * per-interval values for a baseline comparison.
 */
public final class CloudWatchAlbMetrics implements MetricSource {

    private static final String NAMESPACE = "AWS/ApplicationELB";

    private final CloudWatchClient cloudWatch;
    private final String loadBalancer;
    private final TargetGroupRoles roles;
    private final Duration baseline;

    private CloudWatchAlbMetrics(CloudWatchClient cloudWatch, String loadBalancer, TargetGroupRoles roles, Duration baseline) {
        this.cloudWatch = cloudWatch;
        this.loadBalancer = loadBalancer;
        this.roles = roles;
        this.baseline = baseline;
    }

    /**
     * The same source with another baseline window for ALB-generated 5xx (default 30 minutes, ending
     * where the query's window starts); whole minutes, at least one.
     *
     * @param window the baseline window
     * @return a new source with that baseline
     */
    public CloudWatchAlbMetrics withElbErrorBaseline(Duration window) {
        if (window == null || window.toMinutes() < 1 || window.toSecondsPart() != 0 || window.toNanosPart() != 0) {
            throw new IllegalArgumentException("elbErrorBaseline must be a positive whole number of minutes: " + window);
        }
        return new CloudWatchAlbMetrics(cloudWatch, loadBalancer, roles, window);
    }

    /**
     * A metric source reading an ALB's per-target-group CloudWatch metrics.
     *
     * @param cloudWatch      the CloudWatch client
     * @param loadBalancerArn the ALB's ARN ({@code ...:loadbalancer/app/name/id})
     * @param roles           which target group serves which role
     * @return the metric source
     */
    public static CloudWatchAlbMetrics of(CloudWatchClient cloudWatch, String loadBalancerArn, TargetGroupRoles roles) {
        Objects.requireNonNull(cloudWatch, "cloudWatch");
        Objects.requireNonNull(roles, "roles");
        return new CloudWatchAlbMetrics(cloudWatch, dimensionOf(loadBalancerArn, "loadbalancer/", "loadBalancerArn"), roles,
                Duration.ofMinutes(30));
    }

    /** The CloudWatch dimension of an ARN: what follows {@code marker}, e.g. {@code app/myapp/50dc6c495c0c9188}. */
    static String dimensionOf(String arn, String marker, String parameter) {
        int at = arn == null ? -1 : arn.indexOf(marker);
        if (at < 0) {
            throw new IllegalArgumentException(parameter + " must be an ELBv2 ARN containing '" + marker + "': " + arn);
        }
        return marker.equals("loadbalancer/") ? arn.substring(at + marker.length()) : arn.substring(at);
    }

    /**
     * The share of the role's requests that users saw fail. Per target group,
     * {@code HTTPCode_Target_5XX_Count} (answers the tasks sent) plus {@code TargetConnectionErrorCount}
     * (requests the ALB could not even connect to a task for; it answered them 502/503/504 itself).
     * For the candidate, the ALB-generated 5xx of the whole load balancer ({@code HTTPCode_ELB_5XX_Count},
     * which has no target-group dimension) above their rate in the baseline window before the query's
     * window are added too: the stable revision is what ran before, so an increase is the change's.
     * <pre>
     * stable    = (target5xx + connectionErrors) / requests
     * candidate = (target5xx + connectionErrors + max(0, elb5xx - baselineElb5xxRate * lbRequests)) / requests
     * </pre>
     * capped at 1; no request to the role is no data.
     */
    @Override
    public MetricValue errorRate(MetricQuery q) {
        String tg = targetGroup(q.role());
        int period = period(q.window());
        boolean candidate = q.role() == Role.CANDIDATE;
        List<MetricDataQuery> queries = new java.util.ArrayList<>(List.of(
                stat("errors", "HTTPCode_Target_5XX_Count", tg, period, "Sum"),
                stat("connections", "TargetConnectionErrorCount", tg, period, "Sum"),
                stat("requests", "RequestCount", tg, period, "Sum")));
        if (candidate) {
            queries.add(stat("elb", "HTTPCode_ELB_5XX_Count", null, period, "Sum"));
            queries.add(stat("all", "RequestCount", null, period, "Sum"));
        }
        GetMetricDataResponse r = fetch(q, "errors and requests of " + tg, queries, q.at().minusSeconds(period), q.at());
        double requests = sum(result(r, "requests"));
        if (!(requests > 0)) {
            return MetricValue.noData("no requests to " + tg + " in the " + period + "s before " + q.at());
        }
        double failed = sum(result(r, "errors")) + sum(result(r, "connections"));
        if (candidate) {
            failed += elbExcess(q, period, sum(result(r, "elb")), sum(result(r, "all")));
        }
        double rate = Math.min(1, failed / requests);
        if (!Double.isFinite(rate) || rate < 0) {
            return MetricValue.noData("CloudWatch answered counts that make no rate: " + failed + " of " + requests);
        }
        return MetricValue.of(rate);
    }

    /** ALB-generated 5xx of the whole load balancer above their baseline rate, or 0. */
    private double elbExcess(MetricQuery q, int period, double elb5xx, double lbRequests) {
        if (!(elb5xx > 0)) {
            return 0;
        }
        Instant baselineEnd = q.at().minusSeconds(period);
        Instant baselineStart = baselineEnd.minus(baseline);
        int baselinePeriod = (int) Math.max(60, baseline.getSeconds());
        GetMetricDataResponse b = fetch(q, "ELB 5xx baseline of " + loadBalancer, List.of(
                stat("elb", "HTTPCode_ELB_5XX_Count", null, baselinePeriod, "Sum"),
                stat("all", "RequestCount", null, baselinePeriod, "Sum")), baselineStart, baselineEnd);
        double baseRequests = sum(result(b, "all"));
        double baseRate = baseRequests > 0 ? sum(result(b, "elb")) / baseRequests : 0;
        return Math.max(0, elb5xx - baseRate * lbRequests);
    }

    @Override
    public MetricValue successRate(MetricQuery q) {
        MetricValue errors = errorRate(q);
        return errors instanceof MetricValue.Sample s ? MetricValue.of(1 - s.value()) : errors;
    }

    @Override
    public MetricValue requestRate(MetricQuery q) {
        String tg = targetGroup(q.role());
        int period = period(q.window());
        GetMetricDataResponse r = fetch(q, "requests of " + tg,
                List.of(stat("requests", "RequestCount", tg, period, "Sum")), q.at().minusSeconds(period), q.at());
        MetricDataResult requests = result(r, "requests");
        if (requests == null || requests.values().isEmpty()) {
            return MetricValue.of(0);
        }
        return MetricValue.of(sum(requests) / period);
    }

    @Override
    public MetricValue latency(MetricQuery q, double quantile) {
        if (!(quantile > 0 && quantile < 1)) {
            throw new IllegalArgumentException("quantile must be strictly between 0 and 1: " + quantile);
        }
        String tg = targetGroup(q.role());
        int period = period(q.window());
        String stat = percentile(quantile);
        GetMetricDataResponse r = fetch(q, "latency of " + tg,
                List.of(stat("latency", "TargetResponseTime", tg, period, stat)), q.at().minusSeconds(period), q.at());
        MetricDataResult latency = result(r, "latency");
        if (latency == null || latency.values().isEmpty()) {
            return MetricValue.noData("no TargetResponseTime for " + tg + " in the " + period + "s before " + q.at());
        }
        return MetricValue.of(latency.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    }

    @Override
    public MetricValue query(String expression, Instant at) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("expression must not be blank");
        }
        Objects.requireNonNull(at, "at");
        MetricDataQuery query = MetricDataQuery.builder().id("q").expression(expression).period(60).returnData(true).build();
        GetMetricDataResponse r = AwsCalls.call("GetMetricData " + expression, () -> cloudWatch.getMetricData(b -> b
                .metricDataQueries(query).startTime(at.minusSeconds(300)).endTime(at).scanBy(ScanBy.TIMESTAMP_DESCENDING)));
        MetricDataResult result = result(r, "q");
        if (result == null || result.values().isEmpty()) {
            return MetricValue.noData("no datapoint for '" + expression + "' in the 5 minutes before " + at);
        }
        return MetricValue.of(result.values().get(0));
    }

    @Override
    public String toString() {
        return "CloudWatchAlbMetrics[" + loadBalancer + "]";
    }

    private String targetGroup(Role role) {
        TargetGroupRoles.Pair pair = roles.current();
        return dimensionOf(role == Role.STABLE ? pair.stable() : pair.candidate(), "targetgroup/", "target group ARN");
    }

    /**
     * Per-interval samples of the role's target group: one {@code GetMetricData} call with {@code Period} =
     * {@code step} (a whole number of minutes) over the whole steps of the query's window. Error rate is
     * {@code (HTTPCode_Target_5XX_Count + TargetConnectionErrorCount) / RequestCount} per interval, for both
     * roles alike: the load-balancer-wide {@code HTTPCode_ELB_5XX_Count} term of {@link #errorRate} is left
     * out of samples, since it has no target-group dimension and cannot be split between the revisions being
     * compared (a candidate whose tasks refuse connections still shows through {@code TargetConnectionErrorCount}).
     * Success rate is its complement, request rate {@code RequestCount} per second, latency the percentile
     * statistic of {@code TargetResponseTime}. An interval without requests is left out; no interval with
     * requests is no data; an error, or a datapoint that is not a count or latency, throws.
     *
     * @throws io.cutover.CutoverException when CloudWatch fails, answers what cannot be trusted, or {@code step}
     *                                     is not a whole number of minutes
     */
    @Override
    public MetricSamples samples(MetricQuery q, Measure measure, Duration step) {
        Objects.requireNonNull(q, "query");
        Objects.requireNonNull(measure, "measure");
        return AlbSamples.read(cloudWatch, loadBalancer, targetGroup(q.role()), q, measure, step);
    }

    /** CloudWatch's percentile statistic for a quantile: {@code p99}, {@code p99.9}. */
    static String percentile(double quantile) {
        return "p" + new java.math.BigDecimal(Double.toString(quantile * 100)).stripTrailingZeros().toPlainString();
    }

    private MetricDataQuery stat(String id, String metric, String targetGroup, int period, String stat) {
        return stat(loadBalancer, id, metric, targetGroup, period, stat);
    }

    /** A statistic of a target group's metric, or of the whole load balancer's when {@code targetGroup} is null. */
    static MetricDataQuery stat(String loadBalancer, String id, String metric, String targetGroup, int period, String stat) {
        List<Dimension> dimensions = targetGroup == null
                ? List.of(Dimension.builder().name("LoadBalancer").value(loadBalancer).build())
                : List.of(Dimension.builder().name("LoadBalancer").value(loadBalancer).build(),
                        Dimension.builder().name("TargetGroup").value(targetGroup).build());
        return MetricDataQuery.builder().id(id).returnData(true).metricStat(s -> s
                .metric(m -> m.namespace(NAMESPACE).metricName(metric).dimensions(dimensions))
                .period(period).stat(stat)).build();
    }

    /**
     * One GetMetricData call whose every query came back whole: a result that is missing, partial,
     * paged or an internal error is a transient failure (an ERROR measurement, never zero errors),
     * a forbidden one permanent. An empty but complete result is CloudWatch's "no datapoint".
     */
    private GetMetricDataResponse fetch(MetricQuery q, String what, List<MetricDataQuery> queries, Instant start, Instant end) {
        String operation = "GetMetricData " + what + " (" + q.revision().name() + ")";
        GetMetricDataResponse r = AwsCalls.call(operation,
                () -> cloudWatch.getMetricData(b -> b.metricDataQueries(queries).startTime(start).endTime(end)));
        if (r.nextToken() != null && !r.nextToken().isEmpty()) {
            throw CutoverException.transientFailure(operation, "CloudWatch answered in pages; a sum over a part is no rate", null);
        }
        for (MetricDataQuery query : queries) {
            MetricDataResult result = result(r, query.id());
            if (result == null) {
                throw CutoverException.transientFailure(operation, "CloudWatch returned no result for " + query.id(), null);
            }
            if (result.statusCode() == StatusCode.FORBIDDEN) {
                throw CutoverException.permanent(operation, "CloudWatch refused to read " + query.id(), null);
            }
            if (result.statusCode() != StatusCode.COMPLETE) {
                throw CutoverException.transientFailure(operation, "CloudWatch answered " + query.id() + " with status "
                        + result.statusCodeAsString(), null);
            }
        }
        return r;
    }

    /** The window in whole minutes, at least one: ALB metrics have one-minute resolution. */
    static int period(Duration window) {
        long seconds = Math.max(60, window.getSeconds() + (window.getNano() > 0 ? 1 : 0));
        return (int) Math.min(Integer.MAX_VALUE / 2, ((seconds + 59) / 60) * 60);
    }

    private static MetricDataResult result(GetMetricDataResponse r, String id) {
        return r.metricDataResults().stream().filter(m -> id.equals(m.id())).findFirst().orElse(null);
    }

    private static double sum(MetricDataResult r) {
        return r == null ? 0 : r.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
