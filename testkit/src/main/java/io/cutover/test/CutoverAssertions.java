package io.cutover.test;

import io.cutover.Rollout;
import io.cutover.RolloutResult;
import io.cutover.sim.SimulationReport;
import io.cutover.view.RolloutTimeline;

/**
 * The entry point of Cutover's assertions, made for static import next to AssertJ's.
 *
 * <pre>{@code
 * import static io.cutover.test.CutoverAssertions.assertThat;
 *
 * SimulationReport report = Simulation.run(canary, scenario);
 * assertThat(report).endedIn(Phase.ABORTED)
 *         .detectedWithin(Duration.ofMinutes(2))
 *         .blastRadiusAtMost(500)
 *         .invariantsHeld();
 * }</pre>
 */
public final class CutoverAssertions {

    private CutoverAssertions() { }

    /**
     * Assertions on a simulated rollout: every promise, its timeline shown when one breaks.
     *
     * @param report the report {@code Simulation.run} returned
     * @return an assertion on the report's timeline, phase and invariants
     */
    public static RolloutTimelineAssert assertThat(SimulationReport report) {
        return new RolloutTimelineAssert(report == null ? null : RolloutTimeline.of("simulated rollout", report));
    }

    /**
     * Assertions on a recorded timeline (from a {@link io.cutover.view.TimelineRecorder}).
     *
     * @param timeline the timeline a recorder built while a rollout ran
     * @return an assertion on the timeline
     */
    public static RolloutTimelineAssert assertThat(RolloutTimeline timeline) {
        return new RolloutTimelineAssert(timeline);
    }

    /**
     * Assertions on how a rollout ended.
     *
     * @param result the result {@code Rollout.await()} or {@code Rollout.result()} gave
     * @return an assertion on the end phase, split, reason and rollback time
     */
    public static RolloutResultAssert assertThat(RolloutResult result) {
        return new RolloutResultAssert(result);
    }

    /**
     * Assertions on where a rollout stands now, from its saved state.
     *
     * @param rollout a running or finished rollout; its state is read when the assertion is made
     * @return an assertion on the rollout's current state
     */
    public static RolloutResultAssert assertThat(Rollout rollout) {
        return new RolloutResultAssert(rollout == null ? null : RolloutResult.of(rollout.status()));
    }
}
