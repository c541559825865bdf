package io.cutover.gate;

import io.cutover.spi.MetricValue;
import java.time.Duration;
import java.util.function.BiFunction;

/** A gate that reads one number from the metric source and holds it against a condition. */
final class MetricGate implements Gate {

    private final String name;
    private final Condition condition;
    private final Duration window;
    private final BiFunction<GateContext, Duration, MetricValue> read;

    MetricGate(String name, Condition condition, Duration window, BiFunction<GateContext, Duration, MetricValue> read) {
        this.name = name;
        this.condition = condition;
        this.window = window;
        this.read = read;
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
