package io.cutover.gate;

/**
 * A condition a real number must meet. Only finite numbers can meet one: NaN and infinities never pass.
 */
public record Condition(double min, double max) {

    public Condition {
        if (Double.isNaN(min) || Double.isNaN(max)) {
            throw new IllegalArgumentException("condition bounds must be numbers");
        }
        if (min > max) {
            throw new IllegalArgumentException("condition lower bound " + min + " is above upper bound " + max);
        }
    }

    public static Condition atLeast(double min) {
        return new Condition(min, Double.POSITIVE_INFINITY);
    }

    public static Condition atMost(double max) {
        return new Condition(Double.NEGATIVE_INFINITY, max);
    }

    public static Condition between(double min, double max) {
        return new Condition(min, max);
    }

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
