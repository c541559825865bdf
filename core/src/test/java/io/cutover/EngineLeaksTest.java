package io.cutover;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.spi.RouterCapability;
import io.cutover.state.InMemoryStateStore;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An engine keeps nothing for a rollout that ended, and keeps driving (and stops) the ones started again. */
class EngineLeaksTest {

    static final Revision V1 = Revision.of("v1", "app:v1");
    static final Revision V2 = Revision.of("v2", "app:v2");

    final VirtualScheduler time = new VirtualScheduler();
    final RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withStateStore(new InMemoryStateStore()).build();

    SimulatedPlatform platform(double errorRate) {
        return SimulatedPlatform.builder(time.clock()).stable(V1, 4, Behaviour.healthy())
                .behaviour("v2", Behaviour.healthy().withErrorRate(errorRate)).router(RouterCapability.WEIGHTED).build();
    }

    @Test
    void anEndedRolloutLeavesNoRunnerAndNoCallStateForItsTarget() {
        for (int i = 0; i < 50; i++) {
            SimulatedPlatform p = platform(i % 2 == 0 ? 0 : 0.3);
            Deployment d = Deployment.canary().steps(50).pauseBetween(Duration.ofMinutes(2)).gate(successRate(0.95)).build();
            engine.start("app-" + i, d, V2, p.target("app-" + i)).await();
        }
        assertThat(engine.active()).isZero();
        assertThat(engine.targetsHeld()).isZero();
    }

    @Test
    void aRetriedRolloutIsTrackedAgainAndStopsOnShutdown() {
        SimulatedPlatform p = platform(0.3);
        Deployment d = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(2)).gate(successRate(0.95)).build();
        Rollout r = engine.start("app", d, V2, p.target("app"));
        assertThat(r.await().phase()).isEqualTo(Phase.ABORTED);
        assertThat(engine.active()).isZero();
        r.retry();
        assertThat(engine.active()).isOne();
        time.advance(Duration.ofSeconds(30));
        engine.shutdown();
        int writes = p.writes();
        time.advance(Duration.ofHours(2));
        assertThat(p.writes()).as("writes after shutdown").isEqualTo(writes);
        assertThat(engine.active()).isZero();
    }

    @Test
    void anAbortOfAFailedRolloutIsTrackedAgainAndStopsOnShutdown() {
        java.util.concurrent.atomic.AtomicBoolean refuse = new java.util.concurrent.atomic.AtomicBoolean();
        io.cutover.fault.FaultInjector routes = io.cutover.fault.FaultInjector.builder(1).rate(1)
                .kinds(io.cutover.fault.FaultKind.PERMANENT).only(op -> op.equals("router.apply") && refuse.get()).build();
        SimulatedPlatform p = platform(0.3);
        Deployment d = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(2)).gate(successRate(0.95)).build();
        Rollout r = engine.start("app", d, V2, io.cutover.fault.Faults.target(p.target("app"), routes));
        time.runUntil(() -> p.read().candidateWeight() == 10, Duration.ofHours(1));
        refuse.set(true); // the rollback's traffic write is refused until the budget is spent
        assertThat(r.await().phase()).isEqualTo(Phase.FAILED);
        assertThat(engine.active()).isZero();

        refuse.set(false);
        r.abort("the platform recovered");
        assertThat(engine.active()).as("the rollback run again is driven by the engine").isOne();
        engine.shutdown();
        int writes = p.writes();
        time.advance(Duration.ofHours(2));
        assertThat(p.writes()).as("writes after shutdown").isEqualTo(writes);
        assertThat(p.read().candidateWeight()).isEqualTo(10);
        assertThat(engine.active()).isZero();
    }
}
