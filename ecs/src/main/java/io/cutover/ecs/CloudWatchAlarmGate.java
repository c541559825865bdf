package io.cutover.ecs;

import io.cutover.ecs.internal.AwsCalls;
import io.cutover.gate.Gate;
import io.cutover.gate.GateContext;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * A gate on CloudWatch alarms (metric or composite): any alarm in {@code ALARM} fails the step.
 *
 * <pre>{@code
 * Deployment.blueGreen().prePromotionGate(CloudWatchAlarmGate.alarms(aws.cloudWatch(), "myapp-5xx", "myapp-latency"))...
 * }</pre>
 *
 * <p>The measured value is the number of alarms in {@code ALARM}. An alarm in
 * {@code INSUFFICIENT_DATA} makes the measurement INCONCLUSIVE (the engine pauses for a person)
 * unless {@link #insufficientDataPasses()} was chosen; a named alarm that does not exist is an
 * ERROR, never a pass.
 */
public final class CloudWatchAlarmGate implements Gate {

    private final CloudWatchClient cloudWatch;
    private final List<String> names;
    private final boolean insufficientDataPasses;

    private CloudWatchAlarmGate(CloudWatchClient cloudWatch, List<String> names, boolean insufficientDataPasses) {
        this.cloudWatch = cloudWatch;
        this.names = names;
        this.insufficientDataPasses = insufficientDataPasses;
    }

    /**
     * A gate on the named alarms (1 to 100).
     *
     * @param cloudWatch the CloudWatch client
     * @param alarmNames 1 to 100 alarm names, metric or composite
     * @return the gate
     */
    public static CloudWatchAlarmGate alarms(CloudWatchClient cloudWatch, String... alarmNames) {
        Objects.requireNonNull(cloudWatch, "cloudWatch");
        if (alarmNames == null || alarmNames.length == 0 || alarmNames.length > 100) {
            throw new IllegalArgumentException("alarmNames must name 1 to 100 alarms: "
                    + (alarmNames == null ? "null" : alarmNames.length));
        }
        for (String n : alarmNames) {
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException("alarm name must not be blank: " + java.util.Arrays.toString(alarmNames));
            }
        }
        return new CloudWatchAlarmGate(cloudWatch, List.of(alarmNames), false);
    }

    /**
     * The same gate, where an alarm without enough data counts as OK.
     *
     * @return a new gate
     */
    public CloudWatchAlarmGate insufficientDataPasses() {
        return new CloudWatchAlarmGate(cloudWatch, names, true);
    }

    @Override
    public String name() {
        return "cloudwatch-alarms";
    }

    @Override
    public Measurement measure(GateContext context) {
        DescribeAlarmsResponse response = AwsCalls.call("DescribeAlarms " + names, () -> cloudWatch.describeAlarms(r -> r
                .alarmNames(names).alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM).maxRecords(100)));
        Map<String, StateValue> states = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        response.metricAlarms().forEach(a -> {
            states.put(a.alarmName(), a.stateValue());
            reasons.put(a.alarmName(), a.stateReason());
        });
        response.compositeAlarms().forEach(a -> {
            states.put(a.alarmName(), a.stateValue());
            reasons.put(a.alarmName(), a.stateReason());
        });
        List<String> missing = names.stream().filter(n -> !states.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            return new Measurement(name(), Verdict.ERROR, Double.NaN, "alarms not found: " + missing, context.now());
        }
        List<String> alarming = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        states.forEach((n, s) -> {
            if (s == StateValue.ALARM) {
                alarming.add(n + " (" + reasons.get(n) + ")");
            } else if (s != StateValue.OK && !(s == StateValue.INSUFFICIENT_DATA && insufficientDataPasses)) {
                unknown.add(n + " is " + s);
            }
        });
        if (!alarming.isEmpty()) {
            return new Measurement(name(), Verdict.FAILED, alarming.size(), "in ALARM: " + String.join(", ", alarming), context.now());
        }
        if (!unknown.isEmpty()) {
            return new Measurement(name(), Verdict.INCONCLUSIVE, 0, String.join(", ", unknown), context.now());
        }
        return new Measurement(name(), Verdict.PASSED, 0, "all OK: " + names, context.now());
    }

    /**
     * Equal when both ask the very same CloudWatch client about the same alarms, in the same order,
     * with the same rule for {@code INSUFFICIENT_DATA}, so plans with the same alarm gates compare equal.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof CloudWatchAlarmGate g && cloudWatch == g.cloudWatch && names.equals(g.names)
                && insufficientDataPasses == g.insufficientDataPasses;
    }

    @Override
    public int hashCode() {
        return Objects.hash(System.identityHashCode(cloudWatch), names, insufficientDataPasses);
    }

    @Override
    public String toString() {
        return "cloudwatch-alarms" + names;
    }
}
