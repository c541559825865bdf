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

    /** {@code resultType: vector}: one sample per series, at the query's instant. */
    record Vector(List<Sample> samples) implements QueryResult {
        public Vector {
            samples = List.copyOf(samples);
        }
    }

    /** {@code resultType: scalar}: a single number with no labels. */
    record Scalar(Instant time, double value) implements QueryResult {
        public Scalar {
            Objects.requireNonNull(time, "time");
        }
    }

    /** {@code resultType: matrix}: several points per series (range queries, or range selectors). */
    record Matrix(List<Series> series) implements QueryResult {
        public Matrix {
            series = List.copyOf(series);
        }
    }

    /** {@code resultType: string}: a string literal evaluated on its own. */
    record Text(Instant time, String value) implements QueryResult {
        public Text {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(value, "value");
        }
    }

    /** One series of a vector with its value at one instant. */
    record Sample(Map<String, String> labels, Instant time, double value) {
        public Sample {
            labels = Map.copyOf(labels);
            Objects.requireNonNull(time, "time");
        }
    }

    /** One series of a matrix with its points in time order. */
    record Series(Map<String, String> labels, List<Point> points) {
        public Series {
            labels = Map.copyOf(labels);
            points = List.copyOf(points);
        }
    }

    /** A value at an instant. */
    record Point(Instant time, double value) {
        public Point {
            Objects.requireNonNull(time, "time");
        }
    }
}
