package io.cutover.gate;

/**
 * A condition a real number must meet. Only finite numbers can meet one: NaN and infinities never pass.
 */
public record Condition(double min, double max) {

    /**
     * Refuses NaN bounds and a lower bound above the upper one.
     *
     * @param min the lowest passing value, or negative infinity
     * @param max the highest passing value, or positive infinity
     */
    public Condition {
        if (Double.isNaN(min) || Double.isNaN(max)) {
            throw new IllegalArgumentException("condition bounds must be numbers");
        }
        if (min > max) {
            throw new IllegalArgumentException("condition lower bound " + min + " is above upper bound " + max);
        }
    }

    /**
     * Values of {@code min} or more pass.
     *
     * @param min the lowest passing value
     * @return the condition
     */
    public static Condition atLeast(double min) {
        return new Condition(min, Double.POSITIVE_INFINITY);
    }

    /**
     * Values of {@code max} or less pass.
     *
     * @param max the highest passing value
     * @return the condition
     */
    public static Condition atMost(double max) {
        return new Condition(Double.NEGATIVE_INFINITY, max);
    }

    /**
     * Values from {@code min} to {@code max}, both included, pass.
     *
     * @param min the lowest passing value
     * @param max the highest passing value, not below {@code min}
     * @return the condition
     */
    public static Condition between(double min, double max) {
        return new Condition(min, max);
    }

    /**
     * Whether {@code value} is finite and lies within the bounds; NaN and infinities never pass.
     *
     * @param value the value seen
     * @return {@code true} when it passes
     */
    public boolean test(double value) {
        return Double.isFinite(value) && value >= min && value <= max;
    }

    @Override
    public String toString() {
        if (max == Double.POSITIVE_INFINITY) {
            return ">= " + min;
        }
        if (min == Double.NEGATIVE_INFINITY) {
            return "<= " + max;
        }
        return "within [" + min + ", " + max + "]";
    }
}
