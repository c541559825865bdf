package io.cutover.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.gate.Condition;
import io.cutover.spi.MetricSource;
import io.cutover.spi.MetricValue;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A PromQL gate is a value: plans that carry the same gate compare equal, any differing setting breaks it. */
class PromQlGateEqualityTest {

    private static final String EXPR = "sum(rate(errors{app=\"${app}\",dc=\"${dc}\"}[${window}]))";

    private static PromQlGate.Builder base() {
        return PromQlGate.builder(EXPR).name("errors").atMost(0.01).window(Duration.ofMinutes(2)).variable("dc", "eu-1");
    }

    @Test
    void twoGatesBuiltFromTheSameSettingsAreEqualAndSoAreTheirPlans() {
        PromQlGate one = base().build();
        PromQlGate two = base().build();
        assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
        assertThat(Deployment.canary().steps(10, 50).gate(one).build().plan())
                .isEqualTo(Deployment.canary().steps(10, 50).gate(two).build().plan());
        assertThat(PromQlGate.of(EXPR.replace(",dc=\"${dc}\"", ""), Condition.atLeast(1)))
                .isEqualTo(PromQlGate.of(EXPR.replace(",dc=\"${dc}\"", ""), Condition.atLeast(1)));
    }

    @Test
    void everySettingTakesPartInEquality() {
        PromQlGate reference = base().build();
        List<UnaryOperator<PromQlGate.Builder>> changes = List.of(
                b -> b.name("errors-2"),
                b -> b.atMost(0.02),
                b -> b.between(0, 0.01),
                b -> b.window(Duration.ofMinutes(3)),
                b -> b.variable("dc", "us-1"));
        for (UnaryOperator<PromQlGate.Builder> change : changes) {
            assertThat(change.apply(base()).build()).isNotEqualTo(reference);
        }
        assertThat(PromQlGate.builder(EXPR.replace("errors", "failures")).name("errors").atMost(0.01)
                .window(Duration.ofMinutes(2)).variable("dc", "eu-1").build()).isNotEqualTo(reference);
    }

    @Test
    void aGateWithItsOwnSourceEqualsOnlyAGateOnTheVerySameSource() {
        MetricSource a = constant(0.5);
        MetricSource b = constant(0.5);
        assertThat(base().source(a).build()).isEqualTo(base().source(a).build())
                .isNotEqualTo(base().source(b).build())
                .isNotEqualTo(base().build());
    }

    private static MetricSource constant(double v) {
        return new MetricSource() {
            @Override public MetricValue successRate(io.cutover.spi.MetricQuery q) { return MetricValue.of(v); }
            @Override public MetricValue errorRate(io.cutover.spi.MetricQuery q) { return MetricValue.of(v); }
            @Override public MetricValue latency(io.cutover.spi.MetricQuery q, double quantile) { return MetricValue.of(v); }
            @Override public MetricValue requestRate(io.cutover.spi.MetricQuery q) { return MetricValue.of(v); }
            @Override public MetricValue query(String expression, java.time.Instant at) { return MetricValue.of(v); }
        };
    }
}
