package io.cutover.ecs;

import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.services.ecs.model.CanaryConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.services.ecs.model.LinearConfiguration;

/**
 * How ECS itself moves production traffic in a service deployment of an {@link EcsNativeDeployment}:
 * all at once ({@link #blueGreen()}), in equal steps ({@link #linear}) or a canary share first
 * ({@link #canary}). The values follow ECS's documented ranges and are checked here, so a wrong one
 * fails when the adapter is built rather than at {@code UpdateService}.
 *
 * <pre>{@code
 * EcsNativeStrategy.linear(10.0, Duration.ofMinutes(2));   // 10% more every 2 minutes
 * EcsNativeStrategy.canary(5.0, Duration.ofMinutes(10));   // 5% for 10 minutes, then the rest
 * }</pre>
 *
 * @param kind    which ECS strategy
 * @param percent the step (LINEAR) or canary (CANARY) share of production traffic; 100 for BLUE_GREEN
 * @param pause   the wait after each step (LINEAR) or after the canary share (CANARY); zero for BLUE_GREEN
 */
public record EcsNativeStrategy(Kind kind, double percent, Duration pause) {

    /** The ECS deployment strategies that shift traffic between two service revisions. */
    public enum Kind {
        /** All production traffic in one shift. */
        BLUE_GREEN,
        /** Production traffic in equal steps with a wait after each. */
        LINEAR,
        /** A canary share first, the rest after a wait. */
        CANARY
    }

    private static final long MAX_MINUTES = 1440;

    /**
     * Checks the values against the strategy's limits and rounds the percent to tenths.
     *
     * @param kind which ECS strategy
     * @param percent the step or canary share of production traffic; 100 for BLUE_GREEN
     * @param pause the wait after each step or after the canary share, whole minutes 0..1440; zero for BLUE_GREEN
     * @throws IllegalArgumentException if a value is out of range for the strategy
     */
    public EcsNativeStrategy {
        Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case BLUE_GREEN -> {
                if (percent != 100.0 || !Duration.ZERO.equals(pause)) {
                    throw new IllegalArgumentException("a BLUE_GREEN strategy shifts 100% with no wait, not " + percent + "% after " + pause);
                }
            }
            case LINEAR -> {
                percent = tenths("stepPercent", percent, 3.0);
                pause = minutes("stepWait", pause);
            }
            case CANARY -> {
                percent = tenths("canaryPercent", percent, 0.1);
                pause = minutes("canaryWait", pause);
            }
        }
    }

    /**
     * All production traffic moves to the new revision in one shift.
     *
     * @return the strategy
     */
    public static EcsNativeStrategy blueGreen() {
        return new EcsNativeStrategy(Kind.BLUE_GREEN, 100.0, Duration.ZERO);
    }

    /**
     * Production traffic moves in steps of {@code stepPercent} (a multiple of 0.1 within 3.0..100.0),
     * waiting {@code stepWait} (whole minutes, 0..1440) after each step below 100%.
     *
     * @param stepPercent the step's share of production traffic, in percent
     * @param stepWait the wait after each step
     * @return the strategy
     */
    public static EcsNativeStrategy linear(double stepPercent, Duration stepWait) {
        return new EcsNativeStrategy(Kind.LINEAR, stepPercent, stepWait);
    }

    /**
     * {@code canaryPercent} of production traffic (a multiple of 0.1 within 0.1..100.0) moves first,
     * the rest after {@code canaryWait} (whole minutes, 0..1440).
     *
     * @param canaryPercent the canary's share of production traffic, in percent
     * @param canaryWait the wait before the rest moves
     * @return the strategy
     */
    public static EcsNativeStrategy canary(double canaryPercent, Duration canaryWait) {
        return new EcsNativeStrategy(Kind.CANARY, canaryPercent, canaryWait);
    }

    /**
     * How long ECS takes, by this strategy, from the first production shift to 100% (task start-up not counted).
     *
     * @return the duration of the production shift
     */
    public Duration productionShift() {
        return switch (kind) {
            case BLUE_GREEN -> Duration.ZERO;
            case CANARY -> percent >= 100.0 ? Duration.ZERO : pause;
            case LINEAR -> pause.multipliedBy(Math.max(0, (long) Math.ceil(100.0 / percent - 1e-9) - 1));
        };
    }

    /** Writes this strategy into an ECS deployment configuration; every other field of {@code base} is kept. */
    DeploymentConfiguration.Builder applyTo(DeploymentConfiguration.Builder base) {
        // ECS accepts a linear or canary configuration only with its own strategy: another one is dropped.
        base.strategy(DeploymentStrategy.fromValue(kind.name()))
                .linearConfiguration((LinearConfiguration) null).canaryConfiguration((CanaryConfiguration) null);
        if (kind == Kind.LINEAR) {
            base.linearConfiguration(c -> c.stepPercent(percent).stepBakeTimeInMinutes((int) pause.toMinutes()));
        } else if (kind == Kind.CANARY) {
            base.canaryConfiguration(c -> c.canaryPercent(percent).canaryBakeTimeInMinutes((int) pause.toMinutes()));
        }
        return base;
    }

    static Duration minutes(String parameter, Duration d) {
        if (d == null || d.isNegative() || d.toMinutes() > MAX_MINUTES || !d.equals(Duration.ofMinutes(d.toMinutes()))) {
            throw new IllegalArgumentException(parameter + " must be whole minutes within 0..1440: " + d);
        }
        return d;
    }

    private static double tenths(String parameter, double value, double min) {
        double tenths = Math.round(value * 10) / 10.0;
        if (!Double.isFinite(value) || value < min || value > 100.0 || Math.abs(tenths - value) > 1e-9) {
            throw new IllegalArgumentException(parameter + " must be a multiple of 0.1 within " + min + "..100.0: " + value);
        }
        return tenths;
    }
}
