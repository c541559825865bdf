package io.cutover.gate;

import io.cutover.internal.Checks;
import io.cutover.spi.Measure;
import java.util.Objects;

/**
 * One metric a {@link BaselineComparison} compares between the candidate and the live stable revision.
 * Immutable: every setting returns a changed copy.
 *
 * <pre>{@code
 * ComparedMetric.of("p99", Measure.latency(0.99)).higherIsWorse().allowedIncrease(1.1).critical().group("latency", 2)
 * }</pre>
 *
 * <p>Defaults: direction {@link Direction#EITHER}, allowed increase and decrease 1.0 (any significant move in a
 * harmful direction counts), not critical, group {@code default} with weight 1, missing data
 * {@link MissingData#INCONCLUSIVE}.
 *
 * @param name            a label for people and the plan's description
 * @param measure         what the metric source samples
 * @param direction       which way is worse
 * @param allowedIncrease the candidate-to-baseline mean ratio up to which an increase is tolerated (at least 1)
 * @param allowedDecrease the mean ratio down to which a decrease is tolerated (in (0, 1])
 * @param isCritical      a critical metric failing fails the whole judgment, whatever the score
 * @param group           the group whose share of passing metrics makes its score
 * @param weight          the group's weight in the total score; every metric of a group must give the same
 * @param missingData     what no data means for this metric
 */
public record ComparedMetric(String name, Measure measure, Direction direction, double allowedIncrease,
                             double allowedDecrease, boolean isCritical, String group, double weight, MissingData missingData) {

    /**
     * Checks every field as the class comment describes and names the metric in each message.
     *
     * @param name            a label for people and the plan's description
     * @param measure         what the metric source samples
     * @param direction       which way is worse
     * @param allowedIncrease the mean ratio up to which an increase is tolerated, at least 1
     * @param allowedDecrease the mean ratio down to which a decrease is tolerated, in (0, 1]
     * @param isCritical      whether failing it fails the whole judgment
     * @param group           the group whose share of passing metrics makes its score
     * @param weight          the group's weight in the total score, above zero
     * @param missingData     what no data means for this metric
     */
    public ComparedMetric {
        Checks.notBlank("metric name", name);
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(direction, "direction");
        if (!(allowedIncrease >= 1) || Double.isInfinite(allowedIncrease)) {
            throw new IllegalArgumentException("allowedIncrease of metric " + name + " must be a ratio of at least 1: " + allowedIncrease);
        }
        if (!(allowedDecrease > 0 && allowedDecrease <= 1)) {
            throw new IllegalArgumentException("allowedDecrease of metric " + name + " must be a ratio in (0, 1]: " + allowedDecrease);
        }
        Checks.notBlank("group of metric " + name, group);
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight of group " + group + " must be a positive number: " + weight);
        }
        Objects.requireNonNull(missingData, "missingData");
    }

    /**
     * A metric with the defaults above.
     *
     * @param name    a non-blank label
     * @param measure what the metric source samples
     * @return the metric
     */
    public static ComparedMetric of(String name, Measure measure) {
        return new ComparedMetric(name, measure, Direction.EITHER, 1, 1, false, "default", 1, MissingData.INCONCLUSIVE);
    }

    /**
     * The same metric judged in {@code direction}.
     *
     * @param direction which way is worse
     * @return a copy with that direction
     */
    public ComparedMetric direction(Direction direction) {
        return new ComparedMetric(name, measure, direction, allowedIncrease, allowedDecrease, isCritical, group, weight, missingData);
    }

    /**
     * The same metric where only an increase is harmful (errors, latency).
     *
     * @return a copy with that direction
     */
    public ComparedMetric higherIsWorse() {
        return direction(Direction.HIGHER_IS_WORSE);
    }

    /**
     * The same metric where only a decrease is harmful (success rate, throughput).
     *
     * @return a copy with that direction
     */
    public ComparedMetric lowerIsWorse() {
        return direction(Direction.LOWER_IS_WORSE);
    }

    /**
     * An increase is tolerated while the candidate's mean is at most {@code ratio} times the baseline's.
     *
     * @param ratio at least 1
     * @return a copy with that tolerance
     */
    public ComparedMetric allowedIncrease(double ratio) {
        return new ComparedMetric(name, measure, direction, ratio, allowedDecrease, isCritical, group, weight, missingData);
    }

    /**
     * A decrease is tolerated while the candidate's mean is at least {@code ratio} times the baseline's.
     *
     * @param ratio in (0, 1]
     * @return a copy with that tolerance
     */
    public ComparedMetric allowedDecrease(double ratio) {
        return new ComparedMetric(name, measure, direction, allowedIncrease, ratio, isCritical, group, weight, missingData);
    }

    /**
     * The same metric, made critical: if it fails, the whole judgment fails, whatever the score.
     *
     * @return a critical copy
     */
    public ComparedMetric critical() {
        return new ComparedMetric(name, measure, direction, allowedIncrease, allowedDecrease, true, group, weight, missingData);
    }

    /**
     * The same metric in another group.
     *
     * @param group  the group's name, not blank
     * @param weight the group's weight in the total score, above zero; equal for every metric of the group
     * @return a copy in that group
     */
    public ComparedMetric group(String group, double weight) {
        return new ComparedMetric(name, measure, direction, allowedIncrease, allowedDecrease, isCritical, group, weight, missingData);
    }

    /**
     * The same metric with another rule for missing data.
     *
     * @param policy what no data means
     * @return a copy with that rule
     */
    public ComparedMetric missingData(MissingData policy) {
        return new ComparedMetric(name, measure, direction, allowedIncrease, allowedDecrease, isCritical, group, weight, policy);
    }

    @Override
    public String toString() {
        return name + "(" + measure + ", " + direction.name().toLowerCase().replace('_', '-')
                + (allowedIncrease != 1 ? ", up to x" + allowedIncrease : "") + (allowedDecrease != 1 ? ", down to x" + allowedDecrease : "")
                + (isCritical ? ", critical" : "") + ", group " + group + " weight " + weight
                + ", missing data " + missingData.name().toLowerCase() + ")";
    }
}
