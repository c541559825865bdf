package io.cutover.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The per-interval values of a {@link Measure} over a window for one role, oldest first, or the lack
 * of them. A point's value may be NaN (an interval without requests) or infinite: judges decide what
 * that means, and it never counts as a pass.
 *
 * @param points       one value per interval, in time order; empty when there is no data
 * @param noDataReason why there are no points (no series, no traffic yet...); {@code null} when there are points
 */
public record MetricSamples(List<Point> points, String noDataReason) {

    /**
     * The value of one interval, stamped with the interval's end.
     *
     * @param at    the end of the interval
     * @param value the value, possibly NaN or infinite
     */
    public record Point(Instant at, double value) {
        /**
         * Refuses a missing instant.
         *
         * @param at    the end of the interval
         * @param value the value, possibly NaN or infinite
         */
        public Point {
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * Copies the points, refuses points out of time order and no points without a reason, and drops the
     * reason when there are points.
     *
     * @param points       one value per interval, in time order
     * @param noDataReason why there are no points; ignored when there are
     */
    public MetricSamples {
        points = List.copyOf(Objects.requireNonNull(points, "points"));
        if (points.isEmpty() && (noDataReason == null || noDataReason.isBlank())) {
            throw new IllegalArgumentException("samples without points must say why (noDataReason)");
        }
        if (!points.isEmpty()) {
            noDataReason = null;
        }
        for (int i = 1; i < points.size(); i++) {
            if (!points.get(i).at().isAfter(points.get(i - 1).at())) {
                throw new IllegalArgumentException("sample points must be in increasing time order: " + points.get(i).at()
                        + " after " + points.get(i - 1).at());
            }
        }
    }

    /**
     * Samples of {@code points}.
     *
     * @param points the points, in time order; an empty list gives no data
     * @return the samples
     */
    public static MetricSamples of(List<Point> points) {
        return new MetricSamples(points, points.isEmpty() ? "no samples" : null);
    }

    /**
     * No samples, and why.
     *
     * @param reason why there are none, not blank
     * @return the samples
     */
    public static MetricSamples noData(String reason) {
        return new MetricSamples(List.of(), reason);
    }

    /**
     * Whether there are no points.
     *
     * @return {@code true} for no data
     */
    public boolean isEmpty() {
        return points.isEmpty();
    }

    /**
     * The values, in time order.
     *
     * @return a new array of the values
     */
    public double[] values() {
        return points.stream().mapToDouble(Point::value).toArray();
    }
}
