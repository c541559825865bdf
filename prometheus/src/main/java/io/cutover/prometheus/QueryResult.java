package io.cutover.prometheus;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code data} of a successful Prometheus answer, one record per {@code resultType}. Sample values
 * keep what the server sent: {@code NaN}, {@code +Inf} and {@code -Inf} become the matching doubles.
 */
public sealed interface QueryResult {

    /**
     * {@code resultType: vector}: one sample per series, at the query's instant.
     *
     * @param samples one per series; an empty list when no series matched
     */
    record Vector(List<Sample> samples) implements QueryResult {
        /**
         * Copies {@code samples}; the list is immutable afterwards.
         *
         * @param samples one per series; an empty list when no series matched
         */
        public Vector {
            samples = List.copyOf(samples);
        }
    }

    /**
     * {@code resultType: scalar}: a single number with no labels.
     *
     * @param time  the evaluation instant
     * @param value the number, possibly {@code NaN} or infinite
     */
    record Scalar(Instant time, double value) implements QueryResult {
        /**
         * Checks that {@code time} is given.
         *
         * @param time  the evaluation instant
         * @param value the number, possibly {@code NaN} or infinite
         */
        public Scalar {
            Objects.requireNonNull(time, "time");
        }
    }

    /**
     * {@code resultType: matrix}: several points per series (range queries, or range selectors).
     *
     * @param series one per matching series
     */
    record Matrix(List<Series> series) implements QueryResult {
        /**
         * Copies {@code series}; the list is immutable afterwards.
         *
         * @param series one per matching series
         */
        public Matrix {
            series = List.copyOf(series);
        }
    }

    /**
     * {@code resultType: string}: a string literal evaluated on its own.
     *
     * @param time  the evaluation instant
     * @param value the string
     */
    record Text(Instant time, String value) implements QueryResult {
        /**
         * Checks that both fields are given.
         *
         * @param time  the evaluation instant
         * @param value the string
         */
        public Text {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * One series of a vector with its value at one instant.
     *
     * @param labels the series' labels, {@code __name__} included when the server sent it
     * @param time   the sample's instant
     * @param value  the value, possibly {@code NaN} or infinite
     */
    record Sample(Map<String, String> labels, Instant time, double value) {
        /**
         * Copies {@code labels} and checks that {@code time} is given.
         *
         * @param labels the series' labels, {@code __name__} included when the server sent it
         * @param time   the sample's instant
         * @param value  the value, possibly {@code NaN} or infinite
         */
        public Sample {
            labels = Map.copyOf(labels);
            Objects.requireNonNull(time, "time");
        }
    }

    /**
     * One series of a matrix with its points in time order.
     *
     * @param labels the series' labels
     * @param points its points, oldest first
     */
    record Series(Map<String, String> labels, List<Point> points) {
        /**
         * Copies both collections; they are immutable afterwards.
         *
         * @param labels the series' labels
         * @param points its points, oldest first
         */
        public Series {
            labels = Map.copyOf(labels);
            points = List.copyOf(points);
        }
    }

    /**
     * A value at an instant.
     *
     * @param time  the instant
     * @param value the value, possibly {@code NaN} or infinite
     */
    record Point(Instant time, double value) {
        /**
         * Checks that {@code time} is given.
         *
         * @param time  the instant
         * @param value the value, possibly {@code NaN} or infinite
         */
        public Point {
            Objects.requireNonNull(time, "time");
        }
    }
}
