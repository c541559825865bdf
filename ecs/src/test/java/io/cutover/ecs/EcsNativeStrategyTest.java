package io.cutover.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.regions.Region;

/** ECS's documented ranges are refused when the strategy or the adapter is built, with the parameter named. */
class EcsNativeStrategyTest {

    @Test
    void linearStepsMustBeTenthsOfAPercentFromThreeToAHundred() {
        assertThatThrownBy(() -> EcsNativeStrategy.linear(2.9, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("stepPercent must be a multiple of 0.1 within 3.0..100.0: 2.9");
        assertThatThrownBy(() -> EcsNativeStrategy.linear(10.05, Duration.ofMinutes(1))).hasMessageContaining("stepPercent");
        assertThat(EcsNativeStrategy.linear(12.5, Duration.ofMinutes(1)).percent()).isEqualTo(12.5);
    }

    @Test
    void canarySharesMustBeTenthsOfAPercentFromATenthToAHundred() {
        assertThatThrownBy(() -> EcsNativeStrategy.canary(0.0, Duration.ofMinutes(1)))
                .hasMessage("canaryPercent must be a multiple of 0.1 within 0.1..100.0: 0.0");
        assertThatThrownBy(() -> EcsNativeStrategy.canary(Double.NaN, Duration.ofMinutes(1))).hasMessageContaining("canaryPercent");
        assertThat(EcsNativeStrategy.canary(0.1, Duration.ZERO).percent()).isEqualTo(0.1);
    }

    @Test
    void waitsAreWholeMinutesUpToADay() {
        assertThatThrownBy(() -> EcsNativeStrategy.linear(10, Duration.ofSeconds(90)))
                .hasMessage("stepWait must be whole minutes within 0..1440: PT1M30S");
        assertThatThrownBy(() -> EcsNativeStrategy.canary(10, Duration.ofMinutes(1441))).hasMessageContaining("canaryWait");
        assertThatThrownBy(() -> EcsNativeStrategy.canary(10, null)).hasMessageContaining("canaryWait");
    }

    @Test
    void aBlueGreenStrategyHasNoStepsToConfigure() {
        assertThatThrownBy(() -> new EcsNativeStrategy(EcsNativeStrategy.Kind.BLUE_GREEN, 50, Duration.ZERO))
                .hasMessageContaining("BLUE_GREEN");
        assertThat(EcsNativeStrategy.blueGreen().productionShift()).isZero();
    }

    @Test
    void productionShiftIsTheSumOfTheWaitsBeforeTheLastStep() {
        assertThat(EcsNativeStrategy.linear(25, Duration.ofMinutes(2)).productionShift()).isEqualTo(Duration.ofMinutes(6));
        assertThat(EcsNativeStrategy.linear(30, Duration.ofMinutes(2)).productionShift()).isEqualTo(Duration.ofMinutes(6));
        assertThat(EcsNativeStrategy.canary(5, Duration.ofMinutes(10)).productionShift()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void theStrategyReplacesAnotherStrategysStepsAndKeepsEveryOtherField() {
        DeploymentConfiguration user = DeploymentConfiguration.builder().strategy(DeploymentStrategy.LINEAR)
                .linearConfiguration(c -> c.stepPercent(10.0).stepBakeTimeInMinutes(6)).maximumPercent(200)
                .alarms(a -> a.alarmNames("web-5xx").enable(true).rollback(true)).build();

        DeploymentConfiguration written = EcsNativeStrategy.canary(5, Duration.ofMinutes(3)).applyTo(user.toBuilder()).build();

        assertThat(written.strategy()).isEqualTo(DeploymentStrategy.CANARY);
        assertThat(written.linearConfiguration()).as("ECS refuses a linear configuration with another strategy").isNull();
        assertThat(written.canaryConfiguration().canaryPercent()).isEqualTo(5.0);
        assertThat(written.canaryConfiguration().canaryBakeTimeInMinutes()).isEqualTo(3);
        assertThat(written.maximumPercent()).isEqualTo(200);
        assertThat(written.alarms().alarmNames()).containsExactly("web-5xx");
    }

    @Test
    void theAdapterNeedsABakeTimeToJudgeIn() {
        try (EcsClient ecs = EcsClient.builder().region(Region.US_EAST_1).build()) {
            EcsNativeDeployment.Builder b = EcsNativeDeployment.builder(ecs, "prod", "web");
            assertThatThrownBy(() -> b.bakeTime(Duration.ZERO)).hasMessageContaining("bakeTime must be at least one minute");
            assertThatThrownBy(() -> b.bakeTime(Duration.ofSeconds(30))).hasMessage("bakeTime must be whole minutes within 0..1440: PT30S");
            assertThatThrownBy(() -> EcsNativeDeployment.builder(ecs, "prod", " ")).hasMessage("service must not be blank: ' '");
            EcsNativeDeployment web = b.bakeTime(Duration.ofMinutes(20)).strategy(EcsNativeStrategy.linear(20, Duration.ofMinutes(3))).build();
            io.cutover.plan.Plan plan = web.blueGreen().build().plan();
            assertThat(plan.progressDeadline()).as("ECS's four waits of 3 minutes, plus 10 for the tasks").isEqualTo(Duration.ofMinutes(22));
            assertThat(plan.steps()).as("stable is kept through the bake time and ECS's clean-up")
                    .contains(io.cutover.plan.Step.Pause.rollbackWindow(Duration.ofMinutes(21)));
        }
    }
}
