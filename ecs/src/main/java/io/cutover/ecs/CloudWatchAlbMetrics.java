package io.cutover.ecs;

import io.cutover.ecs.internal.AwsCalls;
import io.cutover.spi.MetricQuery;
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

/**
 * Metrics of a role from the ALB's target-group metrics in CloudWatch ({@code AWS/ApplicationELB}):
 * error rate is {@code HTTPCode_Target_5XX_Count / RequestCount}, success rate its complement,
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
 * returns its latest value over the five minutes before the instant.
 */
public final class CloudWatchAlbMetrics implements MetricSource {

    private static final String NAMESPACE = "AWS/ApplicationELB";

    private final CloudWatchClient cloudWatch;
    private final String loadBalancer;
    private final TargetGroupRoles roles;

    private CloudWatchAlbMetrics(CloudWatchClient cloudWatch, String loadBalancer, TargetGroupRoles roles) {
        this.cloudWatch = cloudWatch;
        this.loadBalancer = loadBalancer;
        this.roles = roles;
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
        return new CloudWatchAlbMetrics(cloudWatch, dimensionOf(loadBalancerArn, "loadbalancer/", "loadBalancerArn"), roles);
    }

    /** The CloudWatch dimension of an ARN: what follows {@code marker}, e.g. {@code app/myapp/50dc6c495c0c9188}. */
    static String dimensionOf(String arn, String marker, String parameter) {
        int at = arn == null ? -1 : arn.indexOf(marker);
        if (at < 0) {
            throw new IllegalArgumentException(parameter + " must be an ELBv2 ARN containing '" + marker + "': " + arn);
        }
        return marker.equals("loadbalancer/") ? arn.substring(at + marker.length()) : arn.substring(at);
    }

    @Override
    public MetricValue errorRate(MetricQuery q) {
        String tg = targetGroup(q.role());
        int period = period(q.window());
        GetMetricDataResponse r = fetch(q, "errors and requests of " + tg, List.of(
                stat("errors", "HTTPCode_Target_5XX_Count", tg, period, "Sum"),
                stat("requests", "RequestCount", tg, period, "Sum")), q.at().minusSeconds(period), q.at());
        double requests = sum(result(r, "requests"));
        if (!(requests > 0)) {
            return MetricValue.noData("no requests to " + tg + " in the " + period + "s before " + q.at());
        }
        return MetricValue.of(sum(result(r, "errors")) / requests);
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
        String stat = "p" + new java.math.BigDecimal(Double.toString(quantile * 100)).stripTrailingZeros().toPlainString();
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

    private MetricDataQuery stat(String id, String metric, String targetGroup, int period, String stat) {
        return MetricDataQuery.builder().id(id).returnData(true).metricStat(s -> s
                .metric(m -> m.namespace(NAMESPACE).metricName(metric).dimensions(
                        Dimension.builder().name("LoadBalancer").value(loadBalancer).build(),
                        Dimension.builder().name("TargetGroup").value(targetGroup).build()))
                .period(period).stat(stat)).build();
    }

    private GetMetricDataResponse fetch(MetricQuery q, String what, List<MetricDataQuery> queries, Instant start, Instant end) {
        return AwsCalls.call("GetMetricData " + what + " (" + q.revision().name() + ")",
                () -> cloudWatch.getMetricData(b -> b.metricDataQueries(queries).startTime(start).endTime(end)));
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
