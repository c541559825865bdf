package io.cutover.gate;

import io.cutover.spi.MetricValue;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A gate that reads one number from the metric source and holds it against a condition. Two metric
 * gates are equal when they have the same name, condition and window and read the same measure
 * (the {@code measure} key: {@code "success-rate"}, {@code "latency:0.99"}, {@code "query:<expr>"}...),
 * so plans built twice from the same settings are equal.
 */
final class MetricGate implements Gate {

    private final String name;
    private final Condition condition;
    private final Duration window;
    private final Object measure;
    private final BiFunction<GateContext, Duration, MetricValue> read;

    /** A gate whose measure is known only by its reading function: equal only to a gate with the same function. */
    MetricGate(String name, Condition condition, Duration window, BiFunction<GateContext, Duration, MetricValue> read) {
        this(name, condition, window, read, read);
    }

    MetricGate(String name, Condition condition, Duration window, Object measure,
               BiFunction<GateContext, Duration, MetricValue> read) {
        this.name = Objects.requireNonNull(name, "name");
        this.condition = Objects.requireNonNull(condition, "condition");
        this.window = Objects.requireNonNull(window, "window");
        this.measure = Objects.requireNonNull(measure, "measure");
        this.read = Objects.requireNonNull(read, "read");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricGate g && name.equals(g.name) && condition.equals(g.condition) && window.equals(g.window)
                && measure.equals(g.measure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, condition, window, measure);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean selfContained() {
        return true;
    }

    @Override
    public Measurement measure(GateContext context) {
        return Gates.judge(name, condition, read.apply(context, window), context.now());
    }

    @Override
    public String toString() {
        return name + " " + condition + " over " + window;
    }
}
