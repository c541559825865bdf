package io.cutover.ecs;

import io.cutover.Deployment;
import io.cutover.plan.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.codedeploy.model.TimeBasedCanary;
import software.amazon.awssdk.services.codedeploy.model.TimeBasedLinear;
import software.amazon.awssdk.services.codedeploy.model.TrafficRoutingConfig;
import software.amazon.awssdk.services.codedeploy.model.TrafficRoutingType;

/**
 * How CodeDeploy shifts traffic: one of the predefined ECS configurations, or a custom time-based
 * canary or linear one (created on first use), or one mapped from a Cutover canary plan.
 *
 * <pre>{@code
 * CodeDeployConfig.CANARY_10_PERCENT_5_MINUTES
 * CodeDeployConfig.canary(25, Duration.ofMinutes(3))          // Cutover.ECSCanary25Percent3Minutes
 * CodeDeployConfig.from(Deployment.canary().steps(10).pauseBetween(Duration.ofMinutes(5)).build())
 * }</pre>
 *
 * @param name    the deployment configuration name
 * @param routing the traffic routing of a custom configuration, {@code null} for a predefined one
 */
public record CodeDeployConfig(String name, TrafficRoutingConfig routing) {

    /** CodeDeploy's predefined all-at-once configuration. */
    public static final CodeDeployConfig ALL_AT_ONCE = predefined("CodeDeployDefault.ECSAllAtOnce");
    /** CodeDeploy's predefined canary: 10% first, the rest after 5 minutes. */
    public static final CodeDeployConfig CANARY_10_PERCENT_5_MINUTES = predefined("CodeDeployDefault.ECSCanary10Percent5Minutes");
    /** CodeDeploy's predefined canary: 10% first, the rest after 15 minutes. */
    public static final CodeDeployConfig CANARY_10_PERCENT_15_MINUTES = predefined("CodeDeployDefault.ECSCanary10Percent15Minutes");
    /** CodeDeploy's predefined linear configuration: 10% more every minute. */
    public static final CodeDeployConfig LINEAR_10_PERCENT_EVERY_1_MINUTES = predefined("CodeDeployDefault.ECSLinear10PercentEvery1Minutes");
    /** CodeDeploy's predefined linear configuration: 10% more every 3 minutes. */
    public static final CodeDeployConfig LINEAR_10_PERCENT_EVERY_3_MINUTES = predefined("CodeDeployDefault.ECSLinear10PercentEvery3Minutes");

    /**
     * Checks the name is not blank.
     *
     * @param name the deployment configuration name
     * @param routing the traffic routing of a custom configuration, {@code null} for a predefined one
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public CodeDeployConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("deployment config name must not be blank");
        }
    }

    /**
     * A predefined (or already existing) configuration, referred to by name.
     *
     * @param name the deployment configuration name
     * @return the configuration
     */
    public static CodeDeployConfig predefined(String name) {
        return new CodeDeployConfig(name, null);
    }

    /**
     * {@code percent} of traffic first, the rest after {@code interval} (whole minutes).
     *
     * @param percent the first share of traffic, 1..99
     * @param interval the wait before the rest, positive whole minutes
     * @return the predefined configuration when one matches, else a custom one
     * @throws IllegalArgumentException if the percent or interval is out of range
     */
    public static CodeDeployConfig canary(int percent, Duration interval) {
        int minutes = minutes("canary interval", interval);
        checkPercent("canary percent", percent);
        if (percent == 10 && minutes == 5) {
            return CANARY_10_PERCENT_5_MINUTES;
        }
        if (percent == 10 && minutes == 15) {
            return CANARY_10_PERCENT_15_MINUTES;
        }
        return new CodeDeployConfig("Cutover.ECSCanary" + percent + "Percent" + minutes + "Minutes",
                TrafficRoutingConfig.builder().type(TrafficRoutingType.TIME_BASED_CANARY)
                        .timeBasedCanary(TimeBasedCanary.builder().canaryPercentage(percent).canaryInterval(minutes).build()).build());
    }

    /**
     * {@code percent} more traffic every {@code interval} (whole minutes).
     *
     * @param percent the share added each step, 1..99
     * @param interval the wait between steps, positive whole minutes
     * @return the predefined configuration when one matches, else a custom one
     * @throws IllegalArgumentException if the percent or interval is out of range
     */
    public static CodeDeployConfig linear(int percent, Duration interval) {
        int minutes = minutes("linear interval", interval);
        checkPercent("linear percent", percent);
        if (percent == 10 && minutes == 1) {
            return LINEAR_10_PERCENT_EVERY_1_MINUTES;
        }
        if (percent == 10 && minutes == 3) {
            return LINEAR_10_PERCENT_EVERY_3_MINUTES;
        }
        return new CodeDeployConfig("Cutover.ECSLinear" + percent + "PercentEvery" + minutes + "Minutes",
                TrafficRoutingConfig.builder().type(TrafficRoutingType.TIME_BASED_LINEAR)
                        .timeBasedLinear(TimeBasedLinear.builder().linearPercentage(percent).linearInterval(minutes).build()).build());
    }

    /**
     * The CodeDeploy configuration a Cutover plan maps onto: a blue-green (no weight below 100) is
     * all-at-once; a canary with one step and a pause is a time-based canary; steps of equal size
     * with equal pauses ({@code 10, 20, 30...}) are linear. Anything else (gates between steps,
     * uneven steps) cannot be said to CodeDeploy and is refused; Cutover gates still run beside
     * CodeDeploy through {@link CodeDeployBlueGreen}.
     *
     * @param deployment the Cutover deployment
     * @return the configuration
     * @throws IllegalArgumentException if the plan cannot be run by CodeDeploy
     */
    public static CodeDeployConfig from(Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment");
        List<Integer> weights = new ArrayList<>();
        List<Duration> pauses = new ArrayList<>();
        for (Step step : deployment.plan().steps()) {
            if (step instanceof Step.SetWeight w && w.weight() < 100) {
                weights.add(w.weight());
            } else if (step instanceof Step.Pause p && !weights.isEmpty() && pauses.size() < weights.size() && !p.untilPromotedOnly()
                    && !p.rollbackWindow()) {
                pauses.add(p.duration());
            }
        }
        if (weights.isEmpty()) {
            return ALL_AT_ONCE;
        }
        if (pauses.size() != weights.size()) {
            throw new IllegalArgumentException("CodeDeploy shifts traffic on time only: every step of " + weights
                    + " needs a timed pause (pauseBetween), found " + pauses);
        }
        if (weights.size() == 1) {
            return canary(weights.get(0), pauses.get(0));
        }
        int step = weights.get(0);
        for (int i = 0; i < weights.size(); i++) {
            if (weights.get(i) != step * (i + 1) || !pauses.get(i).equals(pauses.get(0))) {
                throw new IllegalArgumentException("CodeDeploy can only run a canary (one step) or linear plan (equal steps, equal pauses): steps "
                        + weights + ", pauses " + pauses);
            }
        }
        if (step * (weights.size() + 1) < 100) {
            throw new IllegalArgumentException("a linear plan must step evenly up to 100%: steps " + weights);
        }
        return linear(step, pauses.get(0));
    }

    /**
     * Whether this configuration is custom (created on first use) rather than predefined.
     *
     * @return true when it has its own traffic routing
     */
    public boolean isCustom() {
        return routing != null;
    }

    /**
     * How long CodeDeploy takes to move all production traffic once it may: zero for all-at-once, the
     * interval for a canary, every interval but the last step's for a linear configuration.
     *
     * @return the duration, zero for all-at-once or an unrecognised name
     */
    public Duration shiftDuration() {
        java.util.regex.Matcher canary = java.util.regex.Pattern.compile("ECSCanary(\\d+)Percent(\\d+)Minutes").matcher(name);
        java.util.regex.Matcher linear = java.util.regex.Pattern.compile("ECSLinear(\\d+)PercentEvery(\\d+)Minutes?").matcher(name);
        if (canary.find()) {
            return Duration.ofMinutes(Long.parseLong(canary.group(2)));
        }
        if (linear.find()) {
            int percent = Integer.parseInt(linear.group(1));
            return Duration.ofMinutes(Long.parseLong(linear.group(2)) * ((100 + percent - 1) / percent - 1));
        }
        return Duration.ZERO;
    }

    private static int minutes(String parameter, Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero() || interval.toSecondsPart() != 0 || interval.toNanosPart() != 0) {
            throw new IllegalArgumentException(parameter + " must be a positive whole number of minutes: " + interval);
        }
        return Math.toIntExact(interval.toMinutes());
    }

    private static void checkPercent(String parameter, int percent) {
        if (percent < 1 || percent > 99) {
            throw new IllegalArgumentException(parameter + " must be within 1..99: " + percent);
        }
    }
}
