package io.cutover.dsl;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Deployment;
import io.cutover.RolloutEngine;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The engine's builder and entry points follow the builders' null policy: an IllegalArgumentException naming the parameter. */
class EngineBuilderNullsTest {

    private static void refuses(Consumer<RolloutEngine.Builder> setter, String parameter) {
        assertThatThrownBy(() -> setter.accept(RolloutEngine.builder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(parameter + " must not be null");
    }

    @Test
    void engineBuilderSettersRefuseNullWithAnIllegalArgumentNamingTheParameter() {
        refuses(b -> b.withClock(null), "clock");
        refuses(b -> b.withScheduler(null), "scheduler");
        refuses(b -> b.withStateStore(null), "store");
        refuses(b -> b.onEvent(null), "listener");
        refuses(b -> b.stateKey(null), "stateKey");
        refuses(b -> b.owner(null), "owner");
        refuses(b -> b.pollInterval(null), "pollInterval");
        refuses(b -> b.callDeadline(null), "callDeadline");
        refuses(b -> b.backoff(null, Duration.ofSeconds(1)), "initial backoff");
        refuses(b -> b.backoff(Duration.ofSeconds(1), null), "max backoff");
    }

    @Test
    void engineStartRefusesNullArgumentsWithAnIllegalArgumentNamingTheParameter() {
        VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        Revision v1 = Revision.of("v1.0.0", "myapp:v1.0.0");
        Revision v2 = Revision.of("v2.0.0", "myapp:v2.0.0");
        var target = SimulatedPlatform.builder(time.clock()).stable(v1, 2, Behaviour.healthy()).build().target("myapp");
        Deployment canary = Deployment.canary().steps(50).build();
        try (RolloutEngine engine = RolloutEngine.builder().withScheduler(time).build()) {
            assertThatThrownBy(() -> engine.start("myapp", null, v2, target))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("deployment must not be null");
            assertThatThrownBy(() -> engine.start("myapp", canary, null, target))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("revision must not be null");
            assertThatThrownBy(() -> engine.start("myapp", canary, v2, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("target must not be null");
        }
    }
}
