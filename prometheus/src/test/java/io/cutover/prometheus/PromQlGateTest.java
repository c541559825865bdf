package io.cutover.prometheus;

import static io.cutover.prometheus.Answers.AT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.gate.Condition;
import io.cutover.gate.GateContext;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSource;
import io.cutover.spi.MetricValue;
import io.cutover.spi.Revision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The raw gate: what it asks, how it judges, and what its builder refuses. */
class PromQlGateTest {

    /** Records the raw queries a gate runs and answers them with {@code answer}. */
    private static final class Recording implements MetricSource {
        final List<String> asked = new ArrayList<>();
        final Function<String, MetricValue> answer;

        Recording(Function<String, MetricValue> answer) {
            this.answer = answer;
        }

        @Override public MetricValue successRate(MetricQuery q) { throw new AssertionError("not a raw query"); }
        @Override public MetricValue errorRate(MetricQuery q) { throw new AssertionError("not a raw query"); }
        @Override public MetricValue latency(MetricQuery q, double quantile) { throw new AssertionError("not a raw query"); }
        @Override public MetricValue requestRate(MetricQuery q) { throw new AssertionError("not a raw query"); }

        @Override
        public MetricValue query(String expression, Instant at) {
            asked.add(expression + " @" + at);
            return answer.apply(expression);
        }
    }

    private static Measurement measure(PromQlGate gate, MetricSource source) {
        return gate.measure(new GateContext("r", "myapp", Revision.of("v2", "img"), AT, source, HealthProbe.NONE));
    }

    @Test
    void itFillsInTheCandidateAndTheWindowAndAsksAtTheGatesInstant() {
        Recording source = new Recording(e -> MetricValue.of(0.97));
        PromQlGate gate = PromQlGate.builder("x{app=\"${app}\",rev=\"${revision}\",role=\"${role}\",dc=\"${dc}\"}[${window}]")
                .variable("dc", "eu-1").window(Duration.ofSeconds(90)).name("mine").between(0.9, 1).build();
        Measurement m = measure(gate, source);
        assertThat(source.asked).containsExactly("x{app=\"myapp\",rev=\"v2\",role=\"candidate\",dc=\"eu-1\"}[90s] @" + AT);
        assertThat(m.gate()).isEqualTo("mine");
        assertThat(m.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(m.at()).isEqualTo(AT);
    }

    @Test
    void aDifferentSourceCanBeNamed() {
        Recording own = new Recording(e -> MetricValue.of(3));
        Measurement m = measure(PromQlGate.builder("up").source(own).atMost(2).build(), MetricSource.NONE);
        assertThat(own.asked).hasSize(1);
        assertThat(m.verdict()).isEqualTo(Verdict.FAILED);
    }

    @Test
    void aFailingSourceIsAnErrorWithItsMessage() {
        Recording failing = new Recording(e -> {
            throw CutoverException.transientFailure("GET /api/v1/query", "server said: overloaded", null);
        });
        Measurement m = measure(PromQlGate.of("up", Condition.atLeast(1)), failing);
        assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(m.detail()).isEqualTo("server said: overloaded");
        assertThat(m.value()).isNaN();
    }

    @Test
    void theBuilderRefusesWhatCannotWork() {
        assertThatThrownBy(() -> PromQlGate.builder("up").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a condition");
        assertThatThrownBy(() -> PromQlGate.builder("up{a=\"${nope}\"}").atLeast(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown variable 'nope'");
        assertThatThrownBy(() -> PromQlGate.builder("histogram_quantile(${quantile}, x)").atLeast(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'quantile'");
        assertThatThrownBy(() -> PromQlGate.builder("up").variable("app", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("built in");
        assertThatThrownBy(() -> PromQlGate.builder("up").name(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> PromQlGate.builder(" ")).hasMessageContaining("blank");
        assertThatThrownBy(() -> PromQlGate.builder("up").between(2, 1)).hasMessageContaining("above upper bound");
    }
}
