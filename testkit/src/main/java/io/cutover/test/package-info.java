/**
 * Assertions for rollouts: {@link io.cutover.test.CutoverAssertions#assertThat(io.cutover.sim.SimulationReport)} and its
 * siblings state, one method a promise, what a release must do, and print the timeline around the moment a promise broke.
 */
package io.cutover.test;
