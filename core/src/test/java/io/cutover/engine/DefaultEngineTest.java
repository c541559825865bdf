package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.Target;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.time.VirtualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The engine behind the short form is one users can see and close; a closed engine starts nothing. */
class DefaultEngineTest {

    private static final Revision V1 = Revision.of("v1.0.0", "myapp:v1.0.0");
    private static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    @Test
    void theShortFormRunsOnTheVisibleSharedEngineWhichCanBeClosed() {
        SimulatedPlatform platform = SimulatedPlatform.builder(Clock.systemUTC()).seed(1)
                .stable(V1, 2, Behaviour.healthy()).behaviour(V2.name(), Behaviour.healthy()).build();
        Deployment canary = Deployment.canary().steps(50).pauseBetween(Duration.ofHours(1)).build();
        RolloutEngine shared = RolloutEngine.shared();

        Rollout rollout = canary.rollout(V2).on(platform.target("myapp")).named("short-form").start();

        assertThat(RolloutEngine.shared()).isSameAs(shared);
        assertThat(shared.status("short-form")).hasValueSatisfying(s -> assertThat(s.phase().isTerminal()).isFalse());
        assertThat(shared.active()).isGreaterThanOrEqualTo(1);

        shared.close();

        assertThat(shared.isShutdown()).isTrue();
        assertThat(shared.active()).isZero();
        assertThat(rollout.result()).isNotCompleted();
        RolloutEngine next = RolloutEngine.shared();
        assertThat(next).isNotSameAs(shared);
        assertThat(next.isShutdown()).isFalse();
    }

    @Test
    void aClosedEngineRefusesToStartARolloutAndChangesNothing() {
        VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        SimulatedPlatform platform = SimulatedPlatform.builder(time.clock()).seed(2)
                .stable(V1, 3, Behaviour.healthy()).behaviour(V2.name(), Behaviour.healthy()).build();
        Target target = platform.target("myapp");
        Deployment canary = Deployment.canary().steps(50).build();
        RolloutEngine closed;
        try (RolloutEngine engine = RolloutEngine.builder().withScheduler(time).build()) {
            closed = engine;
        }

        assertThat(closed.isShutdown()).isTrue();
        assertThatThrownBy(() -> closed.start("myapp", canary, V2, target))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("shut down");
        assertThatThrownBy(() -> canary.rollout(V2).on(target).using(closed).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("shut down");
        time.advance(Duration.ofMinutes(10));
        assertThat(target.workloads().status(Role.CANDIDATE).exists()).isFalse();
        assertThat(target.workloads().status(Role.STABLE).revision()).isEqualTo("v1.0.0");
        assertThat(closed.status("myapp")).isEmpty();
    }

    @Test
    void aRolloutOnAnEngineClosedMidwayStopsWhereItWasAndIsResumedByAnother() {
        VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        SimulatedPlatform platform = SimulatedPlatform.builder(time.clock()).seed(4)
                .stable(V1, 4, Behaviour.healthy()).behaviour(V2.name(), Behaviour.healthy()).build();
        Target target = platform.target("myapp");
        Deployment canary = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(5)).build();
        io.cutover.state.InMemoryStateStore store = new io.cutover.state.InMemoryStateStore();

        try (RolloutEngine first = RolloutEngine.builder().withScheduler(time).withStateStore(store).build()) {
            first.start("myapp", canary, V2, target);
            time.advance(Duration.ofMinutes(2));
            assertThat(first.status("myapp")).hasValueSatisfying(s -> assertThat(s.phase()).isEqualTo(Phase.PROGRESSING));
        }
        try (RolloutEngine second = RolloutEngine.builder().withScheduler(time).withStateStore(store).build()) {
            Rollout resumed = second.resume("myapp", canary, V2, target);
            time.advance(Duration.ofHours(1));
            assertThat(resumed.result()).isCompleted();
            assertThat(resumed.result().join().phase()).isEqualTo(Phase.SUCCEEDED);
            assertThat(target.workloads().status(Role.STABLE).revision()).isEqualTo("v2.0.0");
        }
    }
}
