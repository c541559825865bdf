package io.cutover.dsl;

import static io.cutover.gate.Gates.errorRate;
import static io.cutover.gate.Gates.health;
import static io.cutover.gate.Gates.latency;
import static io.cutover.gate.Gates.query;
import static io.cutover.gate.Gates.requestRate;
import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Deployment;
import io.cutover.Target;
import io.cutover.gate.Condition;
import io.cutover.gate.Gate;
import io.cutover.gate.GatePolicy;
import io.cutover.plan.Plan;
import io.cutover.plan.Step;
import io.cutover.sim.Scenario;
import io.cutover.spi.HeaderMatch;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Plans are values: built twice from the same settings they are equal; nulls are refused alike everywhere. */
class PlanValuesTest {

    private static Deployment canaryWithEveryGate() {
        return Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(5))
                .gate(successRate(0.95), errorRate(0.01), latency(0.99, Duration.ofMillis(300)), requestRate(1),
                        query("up", "sum(up)", Condition.atLeast(1)), health())
                .analysis(GatePolicy.builder().interval(Duration.ofMinutes(1)).build())
                .build();
    }

    @Test
    void identicalPlansWithGatesAreEqualWithEqualHashCodes() {
        Plan one = canaryWithEveryGate().plan();
        Plan two = canaryWithEveryGate().plan();

        assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
        assertThat(one.fingerprint()).isEqualTo(two.fingerprint());
    }

    @Test
    void builtInGatesAreEqualExactlyWhenTheirSettingsAre() {
        List<Supplier<Gate>> gates = List.of(() -> successRate(0.95), () -> errorRate(0.01),
                () -> latency(0.99, Duration.ofMillis(300)), () -> requestRate(1), () -> health(),
                () -> query("sum(up)", Condition.atLeast(1)));
        for (Supplier<Gate> gate : gates) {
            assertThat(gate.get()).isEqualTo(gate.get()).hasSameHashCodeAs(gate.get());
        }
        assertThat(successRate(0.95)).isNotEqualTo(successRate(0.96))
                .isNotEqualTo(successRate(0.95, Duration.ofMinutes(1)));
        assertThat(latency(0.99, Duration.ofMillis(300))).isNotEqualTo(latency(0.95, Duration.ofMillis(300)));
        assertThat(query("q", "sum(up)", Condition.atLeast(1))).isNotEqualTo(query("q", "sum(down)", Condition.atLeast(1)));
        assertThat(errorRate(0.01)).isNotEqualTo(successRate(0.01));
        assertThat(Condition.atLeast(0.5)).isEqualTo(Condition.atLeast(0.5));
    }

    @Test
    void plansThatDifferInAGateAreNotEqual() {
        Plan one = Deployment.canary().steps(10).gate(successRate(0.95)).build().plan();
        Plan two = Deployment.canary().steps(10).gate(successRate(0.99)).build().plan();

        assertThat(one).isNotEqualTo(two);
    }

    @Test
    void aLastStepOf100IsNotRepeatedByThePromotion() {
        Plan plan = Deployment.canary().steps(10, 100).pauseBetween(Duration.ofMinutes(1)).build().plan();

        assertThat(plan.steps()).filteredOn(s -> s instanceof Step.SetWeight w && w.weight() == 100).hasSize(1);
        assertThat(plan.steps()).filteredOn(s -> s instanceof Step.Scale).hasSize(1);
        assertThat(plan.describe()).containsSubsequence("set candidate weight 100%", "pause PT1M", "promote candidate to stable");
    }

    @Test
    void aFixedCandidateAtAFinalStepOf100IsStillScaledToFullBeforePromotion() {
        Plan plan = Deployment.canary().steps(50, 100).candidateReplicas(1).build().plan();

        assertThat(plan.describe()).containsSubsequence("deploy candidate with 1 replica\n", "set candidate weight 100%",
                "scale candidate to full", "await candidate ready", "promote candidate to stable");
        assertThat(plan.steps()).filteredOn(s -> s instanceof Step.SetWeight w && w.weight() == 100).hasSize(1);
    }

    @Test
    void aNullArgumentIsRefusedWithAnIllegalArgumentExceptionNamingTheParameter() {
        refused(() -> Deployment.canary().pauses((Duration[]) null), "pauses must not be null");
        refused(() -> Deployment.canary().testerRoute(null), "testerRoute must not be null");
        refused(() -> Deployment.canary().gate((io.cutover.gate.Gate) null), "gate must not contain null");
        refused(() -> Deployment.canary().analysis(null), "analysis must not be null");
        refused(() -> Deployment.canary().onProgressDeadline(null), "onProgressDeadline must not be null");
        refused(() -> Deployment.canary().hook(null, c -> null), "stage must not be null");
        refused(() -> Deployment.abTest().match((HeaderMatch) null), "match must not be null");
        refused(() -> Deployment.shadow().duration(null), "duration must not be null");
        refused(() -> Deployment.rolling().maxSurge((String) null), "maxSurge must not be null");
        refused(() -> Target.builder("app").router(null), "router must not be null");
        refused(() -> Scenario.builder().candidate(null, null), "candidate must not be null");
        refused(() -> GatePolicy.builder().noData(null), "noData must not be null");
        refused(() -> query("q", "sum(up)", null), "condition must not be null");
        refused(() -> Deployment.canary().steps(10).build().rollout(null), "revision must not be null");
    }

    private static void refused(Executable call, String message) {
        assertThatThrownBy(call::execute).isExactlyInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
