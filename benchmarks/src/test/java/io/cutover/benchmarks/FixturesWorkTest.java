package io.cutover.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Phase;
import io.cutover.sim.Simulation;
import io.cutover.sim.SimulationReport;
import io.cutover.test.CutoverAssertions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every measured setup does what it claims, so a figure never measures a rollout that broke early. */
class FixturesWorkTest {

    @Test
    void theSimulatedCanaryOfTheBenchmarkSucceedsWithItsGateMeasured() {
        SimulationReport report = Simulation.run(Fixtures.canary(), Fixtures.healthyScenario());

        CutoverAssertions.assertThat(report).endedIn(Phase.SUCCEEDED).trafficReached(75).invariantsHeld();
        assertThat(report.timeline()).anyMatch(e -> e.what().startsWith("success-rate PASSED"));
        assertThat(report.duration()).isGreaterThanOrEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void theEngineOnlyVariantsSucceedWithEitherStore() {
        assertThat(EngineOnVirtualTime.withJsonStore(Fixtures.canary(), Fixtures.healthyScenario()).phase())
                .isEqualTo(Phase.SUCCEEDED);
        assertThat(EngineOnVirtualTime.withObjectStore(Fixtures.canary(), Fixtures.healthyScenario()).phase())
                .isEqualTo(Phase.SUCCEEDED);
    }

    @Test
    void theSimulatedBlueGreenSucceeds() {
        assertThat(Simulation.run(Fixtures.blueGreen(), Fixtures.healthyScenario()).phase()).isEqualTo(Phase.SUCCEEDED);
    }

    @Test
    void everyWriteOfTheCountedRolloutsChangesThePlatformAndBothCountsAgree() {
        for (var deployment : java.util.List.of(Fixtures.blueGreen(), Fixtures.canary())) {
            PlatformCallCount.Calls calls = PlatformCallCount.measure(deployment, Fixtures.healthyScenario());

            assertThat(calls.result().phase()).isEqualTo(Phase.SUCCEEDED);
            assertThat(calls.repeatedWrites()).isEmpty();
            assertThat(calls.engineWrites()).isEqualTo(calls.platformWrites()).isEqualTo(calls.log().size());
            assertThat(calls.engineReads()).isEqualTo(calls.platformReads());
            assertThat(calls.platformWrites()).isLessThanOrEqualTo(calls.stateChangingSteps().size());
        }
    }

    @Test
    void aRepeatedWriteIsRecognised() {
        assertThat(PlatformCallCount.repeated(java.util.List.of(
                "t0 deploy -> stable v1 x10, candidate v2 x1, weight 0%",
                "t1 deploy -> stable v1 x10, candidate v2 x1, weight 0%")))
                .hasSize(1);
    }

    @Test
    void aFewConcurrentShortCanariesOnTheRealSchedulerAllSucceed() throws Exception {
        ConcurrentRollouts.Run run = ConcurrentRollouts.run("test", 5, 2, Duration.ofMillis(500), true);

        assertThat(run.succeeded()).isEqualTo(5);
        assertThat(run.maxEngineThreads()).isBetween(1, 2);
    }

    @Test
    void theRetainedHeapMeasurementEndsEveryRolloutAndLeavesTheEngineDrivingNone() throws Exception {
        RetainedPerEndedRollout.Retained r = RetainedPerEndedRollout.measure(10);

        assertThat(r.ends()).containsEntry(Phase.SUCCEEDED, 5).containsEntry(Phase.ABORTED, 5);
        assertThat(r.activeAfter()).isZero();
    }
}
