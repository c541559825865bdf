package io.cutover.test;

import static io.cutover.gate.Gates.successRate;

import io.cutover.Deployment;
import io.cutover.sim.Behaviour;
import io.cutover.sim.Scenario;
import io.cutover.spi.Revision;
import java.time.Duration;

/** The deployment and world the testkit's own tests run. */
public final class Worlds {

    private Worlds() { }

    /** The seed's canary: 10/25/50/75 with 5-minute pauses, gated on a 95% success rate. */
    public static Deployment canary() {
        return Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5)).gate(successRate(0.95)).build();
    }

    /** "shop": stable v1 on 4 healthy replicas, candidate v2 failing 20% of requests. */
    public static Scenario failing() {
        return Scenario.builder().application("shop").stable(Revision.of("v1", "shop:v1"), 4, Behaviour.healthy())
                .candidate(Revision.of("v2", "shop:v2"), Behaviour.healthy().withErrorRate(0.2)).seed(3).build();
    }
}
