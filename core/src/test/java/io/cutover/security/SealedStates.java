package io.cutover.security;

import static io.cutover.gate.Gates.successRate;

import io.cutover.Deployment;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.state.RolloutState;
import io.cutover.time.VirtualScheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** What the tests of sealed rollout state share: a key, two revisions, a simulated platform and a canary. */
final class SealedStates {

    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OTHER_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
    static final Revision V1 = Revision.of("v1.0.0", "myapp:v1.0.0");
    static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private SealedStates() { }

    /** Four healthy stable replicas of v1; v2 healthy too. */
    static SimulatedPlatform platform(VirtualScheduler time) {
        return SimulatedPlatform.builder(time.clock()).seed(7)
                .stable(V1, 4, Behaviour.healthy()).behaviour(V2.name(), Behaviour.healthy()).build();
    }

    /** A canary at 25% then 50%, ten minutes apart, gated on a 95% success rate. */
    static Deployment canary() {
        return Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(10)).gate(successRate(0.95)).build();
    }

    /** A fresh state of rollout {@code name} rolling out v2. */
    static RolloutState state(String name) {
        return RolloutState.initial(name, "myapp", V2, "0123456789abcdef", 4, "v1.0.0", T0);
    }
}
