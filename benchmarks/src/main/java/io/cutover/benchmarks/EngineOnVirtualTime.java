package io.cutover.benchmarks;

import io.cutover.Deployment;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.sim.Scenario;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.sim.Simulation;
import io.cutover.spi.StateStore;
import io.cutover.state.InMemoryStateStore;
import io.cutover.time.VirtualScheduler;

/** One rollout on virtual time without the simulation's recorder and report: engine, platform and store only. */
final class EngineOnVirtualTime {

    private EngineOnVirtualTime() { }

    static RolloutResult run(Deployment deployment, Scenario scenario, StateStore store) {
        VirtualScheduler time = new VirtualScheduler();
        SimulatedPlatform platform = Simulation.platform(scenario, time);
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withClock(time.clock())
                .withStateStore(store).pollInterval(scenario.pollInterval()).build();
        Rollout rollout = engine.start(scenario.application(), deployment, scenario.candidate(),
                platform.target(scenario.application()));
        RolloutResult result = rollout.await();
        engine.shutdown();
        return result;
    }

    static RolloutResult withJsonStore(Deployment deployment, Scenario scenario) {
        return run(deployment, scenario, InMemoryStateStore.encodingJson());
    }

    static RolloutResult withObjectStore(Deployment deployment, Scenario scenario) {
        return run(deployment, scenario, new ObjectStateStore());
    }
}
