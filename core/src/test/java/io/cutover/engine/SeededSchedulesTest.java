package io.cutover.engine;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.sim.Behaviour;
import io.cutover.sim.Scenario;
import io.cutover.sim.Simulation;
import io.cutover.sim.SimulationReport;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.Revision;
import io.cutover.spi.RouterCapability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * 1,000 seeded schedules: a random strategy, router, size and candidate, with 20% of platform calls
 * failing transiently (half of them after the call took effect). None may break an invariant; each
 * healthy candidate must be promoted and each bad one rolled back.
 */
class SeededSchedulesTest {

    static final Revision V1 = Revision.of("v1", "app:v1");
    static final Revision V2 = Revision.of("v2", "app:v2");

    @Test
    void aThousandSchedulesWithTwentyPercentTransientFailuresBreakNoInvariant() {
        SplittableRandom random = new SplittableRandom(20261128);
        List<String> problems = new ArrayList<>();
        int promoted = 0;
        int rolledBack = 0;
        int budgetPauses = 0;
        for (int i = 0; i < Integer.getInteger("schedules", 1000); i++) {
            long seed = random.nextLong();
            boolean bad = random.nextBoolean();
            int replicas = 2 + random.nextInt(8);
            int kind = random.nextInt(6);
            Deployment d;
            RouterCapability[] router;
            switch (kind) {
                case 0 -> { d = Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(2)).gate(successRate(0.95)).build();
                            router = new RouterCapability[] {RouterCapability.WEIGHTED}; }
                case 1 -> { d = Deployment.canary().steps(20, 50).pauseBetween(Duration.ofMinutes(2)).gate(successRate(0.95)).build();
                            router = new RouterCapability[] {RouterCapability.REPLICA_RATIO}; }
                case 2 -> { d = Deployment.blueGreen().prePromotionGate(io.cutover.gate.Gates.health()).postPromotionGate(successRate(0.95)).build();
                            router = new RouterCapability[0]; }
                case 3 -> { d = Deployment.rolling().maxSurge("25%").maxUnavailable("25%").batchGate(successRate(0.95)).build();
                            router = random.nextBoolean() ? new RouterCapability[] {RouterCapability.REPLICA_RATIO}
                                    : new RouterCapability[] {RouterCapability.WEIGHTED}; }
                case 4 -> { d = Deployment.abTest().match(HeaderMatch.exact("x-canary", "true")).duration(Duration.ofMinutes(3))
                                    .gate(successRate(0.95)).build();
                            router = new RouterCapability[] {RouterCapability.HEADER_ROUTES}; }
                default -> { d = Deployment.recreate().gate(successRate(0.95)).build();
                             router = new RouterCapability[0]; }
            }
            Scenario s = Scenario.builder().stable(V1, replicas, Behaviour.healthy())
                    .candidate(V2, bad ? Behaviour.healthy().withErrorRate(0.3) : Behaviour.healthy())
                    .router(router).transientFailures(0.2).seed(seed).requestsPerSecond(100).limit(Duration.ofHours(6)).build();
            SimulationReport r = Simulation.run(d, s);
            Phase expected = bad ? Phase.ABORTED : Phase.SUCCEEDED;
            if (r.duration().compareTo(Duration.ofHours(5)) > 0) {
                problems.add("#" + i + " " + d + " seed " + seed + " never ended: " + r.summary() + " " + r.timeline().subList(Math.max(0, r.timeline().size() - 8), r.timeline().size()));
            } else if (!r.violations().isEmpty()) {
                problems.add("#" + i + " " + d + " seed " + seed + ": " + r.violations());
            } else if (r.phase() == Phase.PAUSED && r.reason().contains("retry budget")) {
                // a run of failures longer than the budget: the rollout waits for a person, the platform in a
                // state that broke no invariant (checked above)
                budgetPauses++;
                continue;
            } else if (r.phase() != expected) {
                problems.add("#" + i + " " + d + " seed " + seed + ": " + r.summary());
            }
            if (r.phase() == Phase.SUCCEEDED) {
                promoted++;
            } else if (r.phase() == Phase.ABORTED) {
                rolledBack++;
            }
        }
        org.slf4j.LoggerFactory.getLogger(SeededSchedulesTest.class).warn(
                "1000 schedules: {} promoted, {} rolled back, {} paused with the retry budget spent, {} problems",
                promoted, rolledBack, budgetPauses, problems.size());
        assertThat(problems).isEmpty();
        assertThat(promoted + rolledBack + budgetPauses).isEqualTo(1000);
        assertThat(budgetPauses).isLessThan(100);
        assertThat(promoted).isGreaterThan(400);
        assertThat(rolledBack).isGreaterThan(400);
    }
}
