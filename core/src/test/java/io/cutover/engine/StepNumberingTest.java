package io.cutover.engine;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Rollout;
import io.cutover.event.RolloutEvent;
import io.cutover.state.StateCodec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Indexes count from 0 into plan.steps(); numbers count from 1 as describe() prints them, everywhere. */
class StepNumberingTest {

    private static final Deployment CANARY = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(5))
            .gate(successRate(0.95)).build();

    @Test
    void everyStartedStepCarriesTheNumberThatDescribePrintsBeforeIt() {
        Fixture f = Fixture.healthy();
        f.start(CANARY).await();
        List<String> lines = CANARY.plan().describe().lines().map(String::strip).toList();
        List<RolloutEvent.StepStarted> started = f.events(RolloutEvent.StepStarted.class);
        assertThat(started).isNotEmpty().allSatisfy(e -> {
            assertThat(e.number()).isEqualTo(e.index() + 1);
            assertThat(lines).contains(e.number() + ". " + e.step());
            assertThat(CANARY.plan().steps().get(e.index()).describe()).isEqualTo(e.step());
        });
        assertThat(started.get(0).number()).isEqualTo(1);
    }

    @Test
    void aRunningRolloutsStatusNamesItsStepByTheNumberDescribeUses() {
        Fixture f = Fixture.healthy();
        Rollout rollout = f.start(CANARY);
        f.time.advance(Duration.ofMinutes(2));
        RolloutEvent.StepStarted current = f.events(RolloutEvent.StepStarted.class).get(
                f.events(RolloutEvent.StepStarted.class).size() - 1);
        assertThat(rollout.status().stepIndex()).isEqualTo(current.index());
        assertThat(rollout.status().stepNumber()).isEqualTo(current.number()).isGreaterThan(1);
        assertThat(rollout.toString()).contains("step " + rollout.status().stepNumber());
        // the number is derived, not stored: saved state keeps the index alone
        assertThat(StateCodec.toJson(rollout.status())).contains("\"stepIndex\"").doesNotContain("stepNumber");
        f.time.advance(Duration.ofHours(1));
        assertThat(rollout.await().succeeded()).isTrue();
    }
}
