package io.cutover.engine;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.CutoverException;
import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.PlanContext;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.fault.FaultInjector;
import io.cutover.fault.FaultKind;
import io.cutover.fault.Faults;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedCrash;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.StateStore;
import io.cutover.spi.TrafficSplit;
import io.cutover.state.InMemoryStateStore;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded schedules over the seven strategy shapes, each with faults drawn from the whole catalogue
 * (every Throwable kind, nulls, hangs, slow calls, lost responses, stale reads) on every SPI, the state
 * store and a listener, one crash at a random platform write, and a resume on a fresh engine. Calls
 * run on virtual time on the tick's thread: a hung or slow call passes virtual time, and the engine
 * counts it past its deadline measured on the scheduler (on threads of their own, a hang that never
 * returns is cut off by its deadline timer: {@link HungCallsTest}). The platform's end state must show the phase reported, and
 * the simulator's invariants must hold. The count is {@code -Dfault.schedules} (default 150).
 */
class FaultSchedulesTest {

    static final int SCHEDULES = Integer.getInteger("fault.schedules", 150);
    /** The first schedule run (the earlier ones are drawn and skipped): to run again one that failed. */
    static final int FROM = Integer.getInteger("fault.from", 0);

    enum Shape { BLUE_GREEN, CANARY_WEIGHTED, CANARY_REPLICA_RATIO, ROLLING, RECREATE, AB_TEST, SHADOW }

    static Deployment deployment(Shape shape) {
        return switch (shape) {
            case BLUE_GREEN -> Deployment.blueGreen().prePromotionGate(io.cutover.gate.Gates.health())
                    .postPromotionGate(successRate(0.95)).build();
            case CANARY_WEIGHTED -> Deployment.canary().steps(10, 25, 50).pauseBetween(Duration.ofMinutes(2)).gate(successRate(0.95)).build();
            case CANARY_REPLICA_RATIO -> Deployment.canary().steps(20, 50).pauseBetween(Duration.ofMinutes(2)).gate(successRate(0.95)).build();
            case ROLLING -> Deployment.rolling().maxSurge("25%").maxUnavailable("25%").batchGate(successRate(0.95)).build();
            case RECREATE -> Deployment.recreate().gate(successRate(0.95)).build();
            case AB_TEST -> Deployment.abTest().match(HeaderMatch.exact("x-canary", "true")).duration(Duration.ofMinutes(3))
                    .gate(successRate(0.95)).build();
            case SHADOW -> Deployment.shadow().duration(Duration.ofMinutes(3)).gate(successRate(0.95)).build();
        };
    }

    static RouterCapability[] router(Shape shape) {
        return switch (shape) {
            case BLUE_GREEN, RECREATE -> new RouterCapability[0];
            case CANARY_WEIGHTED, ROLLING -> new RouterCapability[] {RouterCapability.WEIGHTED};
            case CANARY_REPLICA_RATIO -> new RouterCapability[] {RouterCapability.REPLICA_RATIO};
            case AB_TEST -> new RouterCapability[] {RouterCapability.HEADER_ROUTES};
            case SHADOW -> new RouterCapability[] {RouterCapability.MIRROR};
        };
    }

    @Test
    void seededSchedulesWithFaultsFromTheCatalogueACrashAndAResumeEndInAStateThePlatformShows() {
        SplittableRandom random = new SplittableRandom(20261204);
        List<String> problems = new ArrayList<>();
        Map<Phase, Integer> ends = new EnumMap<>(Phase.class);
        int crashed = 0;
        int hung = 0;
        int slow = 0;
        for (int i = 0; i < SCHEDULES; i++) {
            Shape shape = Shape.values()[i % Shape.values().length];
            long seed = random.nextLong();
            boolean bad = random.nextBoolean();
            int replicas = 2 + random.nextInt(7);
            int crashAt = 1 + random.nextInt(8);
            if (i < FROM) {
                continue;
            }
            Schedule s = new Schedule(shape, seed, bad, replicas, crashAt);
            try {
                RolloutResult result = s.run();
                hung += s.faults.injected().stream().anyMatch(f -> f.endsWith(": HANG")) ? 1 : 0;
                slow += s.faults.injected().stream().anyMatch(f -> f.endsWith(": SLOW")) ? 1 : 0;
                crashed += s.crashed ? 1 : 0;
                ends.merge(result.phase(), 1, Integer::sum);
                String problem = s.check(result);
                if (problem != null) {
                    problems.add("#" + i + " " + shape + " seed " + seed + " bad=" + bad + " replicas=" + replicas + " crash@" + crashAt
                            + ": " + problem + " (" + result.phase() + ": " + result.reason() + ") faults " + s.faults.injected());
                }
            } catch (RuntimeException | AssertionError e) {
                problems.add("#" + i + " " + shape + " seed " + seed + " threw " + e);
            }
        }
        int run = SCHEDULES - FROM;
        org.slf4j.LoggerFactory.getLogger(FaultSchedulesTest.class).warn("{} fault schedules: ends {}, {} crashed and resumed, {} with a hung call, {} with a slow one, {} problems",
                run, ends, crashed, hung, slow, problems.size());
        assertThat(problems).isEmpty();
        assertThat(ends.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(run);
        assertThat(crashed).as("schedules that crashed and resumed").isGreaterThan(run / 3);
        assertThat(hung).as("schedules with a hung call").isGreaterThan(run / 20);
        assertThat(slow).as("schedules with a slow call").isGreaterThan(run / 20);
        assertThat(ends.getOrDefault(Phase.SUCCEEDED, 0)).isGreaterThan(run / 10);
        assertThat(ends.getOrDefault(Phase.ABORTED, 0)).isGreaterThan(run / 10);
    }

    /** One schedule: its platform, faults, crash and engines. */
    static final class Schedule {
        final Shape shape;
        final boolean bad;
        final int replicas;
        final VirtualScheduler time = new VirtualScheduler();
        final SimulatedPlatform platform;
        final FaultInjector faults;
        final StateStore store;
        final Target target;
        final Deployment deployment;
        boolean crashed;

        Schedule(Shape shape, long seed, boolean bad, int replicas, int crashAt) {
            this.shape = shape;
            this.bad = bad;
            this.replicas = replicas;
            this.platform = SimulatedPlatform.builder(time.clock()).stable(Fixture.V1, replicas, Behaviour.healthy())
                    .behaviour("v2", bad ? Behaviour.healthy().withErrorRate(0.3) : Behaviour.healthy())
                    .router(router(shape)).seed(seed).requestsPerSecond(100).build();
            this.deployment = deployment(shape);
            platform.allowUnavailable(deployment.plan(new PlanContext(replicas, platform.capabilities())).unavailableAllowed().resolve(replicas));
            platform.crashAfterWrite(crashAt);
            // the whole catalogue: a hang lasts an hour of virtual time (past every deadline), a slow call 45 s
            // (past the platform's 30 s deadline, within a gate's one-minute interval)
            this.faults = FaultInjector.builder(seed).rate(0.03).kinds(java.util.EnumSet.allOf(FaultKind.class))
                    .hangs(Duration.ofHours(1), time).slow(Duration.ofSeconds(45), time).build();
            this.store = Faults.store(InMemoryStateStore.encodingJson(), faults);
            this.target = Faults.target(platform.target("app"), faults);
        }

        RolloutEngine engine() {
            return RolloutEngine.builder().withScheduler(time).withStateStore(store).backoff(Duration.ofSeconds(1), Duration.ofSeconds(10))
                    .onEvent(Faults.listener(e -> { }, faults)).build();
        }

        RolloutResult run() {
            RolloutEngine engine = engine();
            Rollout r = null;
            for (int attempt = 0; attempt < 30; attempt++) {
                try {
                    if (r == null) {
                        r = attempt == 0 || !storeHasRollout() ? engine.start("app", deployment, Fixture.V2, target)
                                : engine.resume("app", deployment, target);
                    }
                    RolloutResult result = r.await();
                    if (result.phase() != Phase.PAUSED) {
                        return result;
                    }
                    r.resume(); // a person reads the reason and lets it go on
                } catch (SimulatedCrash crash) {
                    crashed = true;
                    engine.shutdown();
                    engine = engine();
                    r = null;
                    attempt = Math.max(attempt, 1);
                } catch (CutoverException | IllegalStateException e) {
                    // the store or platform refused the start, resume or a person's operation: try again, as a pipeline would
                    engine.shutdown();
                    engine = engine();
                    r = null;
                    attempt = Math.max(attempt, 1);
                }
            }
            faults.disable();
            return engine().resume("app", deployment, target).await();
        }

        private boolean storeHasRollout() {
            try {
                return store.load("app").isPresent();
            } catch (RuntimeException | Error e) { // an injected fault: assume it is there; resume says if not
                return true;
            }
        }

        /** What is wrong with the end, or {@code null}. */
        String check(RolloutResult result) {
            if (!platform.violations().isEmpty()) {
                return "violations " + platform.violations();
            }
            TrafficSplit traffic = platform.read();
            switch (result.phase()) {
                case SUCCEEDED -> {
                    if (bad) {
                        return "a bad candidate was promoted";
                    }
                    if (!"v2".equals(platform.stableRevision()) || !traffic.isStableOnly()) {
                        return "SUCCEEDED but stable " + platform.stableRevision() + ", traffic " + traffic;
                    }
                }
                case ABORTED -> {
                    if (!"v1".equals(platform.stableRevision()) || !traffic.isStableOnly()
                            || platform.readyReplicas(Role.STABLE) < replicas || platform.desiredReplicas(Role.CANDIDATE) != 0) {
                        return "ABORTED but stable " + platform.stableRevision() + " ready " + platform.readyReplicas(Role.STABLE)
                                + ", candidate " + platform.desiredReplicas(Role.CANDIDATE) + ", traffic " + traffic;
                    }
                }
                case FAILED -> {
                    // when the traffic could not be read at the end, the result says so and gives the last confirmed split
                    if (!result.split().equals(traffic) && !result.reason().contains("traffic could not be read")) {
                        return "FAILED reporting " + result.split() + " but the platform holds " + traffic;
                    }
                }
                default -> {
                    return "not an end";
                }
            }
            return null;
        }
    }
}
