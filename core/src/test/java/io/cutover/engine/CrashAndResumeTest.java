package io.cutover.engine;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedCrash;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.Role;
import io.cutover.spi.TrafficSplit;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * For every plan and every k: the engine dies right after platform write k (the write applied, the
 * state not yet saved), or just before or after state save k; a fresh engine resumes from the store
 * (and in the second test dies again at its second write, and a third one finishes). Every run must end promoted or rolled
 * back, with all traffic on stable and nothing left running that should not be.
 */
class CrashAndResumeTest {

    static final Map<String, Supplier<Deployment>> PLANS = new LinkedHashMap<>();

    static {
        PLANS.put("canary", () -> Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5))
                .gate(successRate(0.95)).build());
        PLANS.put("canary-replica-ratio", () -> Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(5))
                .gate(successRate(0.95)).build());
        PLANS.put("blue-green", () -> Deployment.blueGreen().autoPromoteAfter(Duration.ofMinutes(1))
                .postPromotionGate(successRate(0.95)).scaleDownDelay(Duration.ofMinutes(2)).build());
        PLANS.put("rolling", () -> Deployment.rolling().maxSurge(1).maxUnavailable(1).batchGate(successRate(0.95)).build());
        PLANS.put("recreate", () -> Deployment.recreate().gate(successRate(0.95)).build());
        PLANS.put("ab-test", () -> Deployment.abTest().match(HeaderMatch.exact("x-canary", "true"))
                .duration(Duration.ofMinutes(5)).gate(successRate(0.95)).build());
        PLANS.put("shadow", () -> Deployment.shadow().duration(Duration.ofMinutes(5)).gate(successRate(0.95)).build());
    }

    static Stream<Arguments> plans() {
        return PLANS.keySet().stream().flatMap(p -> Stream.of(Arguments.of(p, 0.0), Arguments.of(p, 0.3)));
    }

    static int crashPointsTried;

    /** The plan's platform: a router that follows replica counts for the replica-ratio canary, a weighted one otherwise. */
    static Fixture fixture(String planName, double errorRate) {
        Behaviour candidate = Behaviour.healthy().withErrorRate(errorRate);
        return planName.endsWith("replica-ratio") ? new Fixture(candidate, io.cutover.spi.RouterCapability.REPLICA_RATIO)
                : new Fixture(candidate);
    }

    @ParameterizedTest(name = "{0} with candidate error rate {1}")
    @MethodSource("plans")
    void crashAfterEveryWriteThenResume(String planName, double errorRate) {
        Deployment plan = PLANS.get(planName).get();
        int writes = cleanRun(planName, plan, errorRate);
        assertThat(writes).isGreaterThan(3);
        Phase expected = errorRate == 0 ? Phase.SUCCEEDED : Phase.ABORTED;
        for (int k = 1; k <= writes; k++) {
            Fixture f = fixture(planName, errorRate);
            f.platform.allowUnavailable(4);
            f.platform.crashAfterWrite(k);
            Rollout first = f.start(plan);
            boolean crashed = false;
            try {
                first.await();
            } catch (SimulatedCrash e) {
                crashed = true;
            }
            assertThat(crashed).as("%s crashed after write %d", planName, k).isTrue();
            f.engine.shutdown();
            RolloutEngine second = f.newEngine();
            RolloutResult result = second.resume("app", plan, f.target).await();
            crashPointsTried++;
            assertThat(result.phase()).as("%s resumed after crash at write %d: %s", planName, k, result.reason()).isEqualTo(expected);
            assertThat(f.platform.read()).as("traffic after %s crash %d", planName, k).isEqualTo(TrafficSplit.stableOnly());
            assertThat(f.platform.stableRevision()).isEqualTo(expected == Phase.SUCCEEDED ? "v2" : "v1");
            assertThat(f.platform.desiredReplicas(Role.STABLE)).isEqualTo(4);
            assertThat(f.platform.desiredReplicas(Role.CANDIDATE)).isZero();
        }
    }

    /** A store that dies (the process with it) just before or just after its {@code k}-th save. */
    static final class CrashingStore implements io.cutover.spi.StateStore {
        final io.cutover.spi.StateStore real;
        int saves;
        int crashAt = -1;
        boolean before;

        CrashingStore(io.cutover.spi.StateStore real) {
            this.real = real;
        }

        @Override
        public java.util.Optional<Stored> load(String rollout) {
            return real.load(rollout);
        }

        @Override
        public String save(String rollout, io.cutover.state.RolloutState state, String expectedVersion) {
            saves++;
            if (saves == crashAt && before) {
                throw new SimulatedCrash(-saves);
            }
            String version = real.save(rollout, state, expectedVersion);
            if (saves == crashAt) {
                throw new SimulatedCrash(-saves);
            }
            return version;
        }
    }

    enum CrashPoint { AFTER_WRITE, BEFORE_SAVE, AFTER_SAVE }

    static Stream<Arguments> plansAndCrashPoints() {
        return plans().flatMap(a -> Stream.of(CrashPoint.values()).map(c -> Arguments.of(a.get()[0], a.get()[1], c)));
    }

    @ParameterizedTest(name = "{0} with candidate error rate {1}, crash {2}")
    @MethodSource("plansAndCrashPoints")
    void crashAroundEveryWriteAndEverySaveThenCrashAgainInTheResumedRun(String planName, double errorRate, CrashPoint point) {
        Deployment plan = PLANS.get(planName).get();
        Fixture clean = fixture(planName, errorRate);
        int allowed = plan.plan(new io.cutover.PlanContext(4, clean.platform.capabilities())).unavailableAllowed().resolve(4);
        clean.platform.allowUnavailable(allowed);
        CrashingStore counting = new CrashingStore(clean.store);
        clean.engine = RolloutEngine.builder().withScheduler(clean.time).withStateStore(counting).build();
        assertThat(clean.start(plan).await().phase()).isEqualTo(errorRate == 0 ? Phase.SUCCEEDED : Phase.ABORTED);
        int points = point == CrashPoint.AFTER_WRITE ? clean.platform.writes() : counting.saves;
        Phase expected = errorRate == 0 ? Phase.SUCCEEDED : Phase.ABORTED;
        for (int k = 1; k <= points; k++) {
            Fixture f = fixture(planName, errorRate);
            f.platform.allowUnavailable(allowed);
            CrashingStore store = new CrashingStore(f.store);
            if (point == CrashPoint.AFTER_WRITE) {
                f.platform.crashAfterWrite(k);
            } else {
                store.crashAt = k;
                store.before = point == CrashPoint.BEFORE_SAVE;
            }
            RolloutEngine first = RolloutEngine.builder().withScheduler(f.time).withStateStore(store).build();
            if (!crashes(() -> first.start("app", plan, Fixture.V2, f.target).await())) {
                throw new AssertionError(planName + " did not crash at " + point + " " + k);
            }
            first.shutdown();
            if (f.store.load("app").isEmpty()) {
                // died before the first save: nothing was claimed, and nothing may have been written
                assertThat(f.platform.writes()).as("%s %s %d: writes before the first save", planName, point, k).isZero();
                continue;
            }
            // the resumed run dies too, at its second platform write
            f.platform.crashAfterWrite(f.platform.writes() + 2);
            RolloutEngine second = RolloutEngine.builder().withScheduler(f.time).withStateStore(f.store).build();
            RolloutResult result = null;
            if (!crashes(() -> second.resume("app", plan, f.target).await())) {
                result = f.store.load("app").map(stored -> RolloutResult.of(stored.state())).orElseThrow();
            }
            second.shutdown();
            if (result == null) {
                result = f.newEngine().resume("app", plan, f.target).await();
            }
            crashPointsTried++;
            String at = planName + " " + point + " " + k;
            assertThat(result.phase()).as("%s: %s", at, result.reason()).isEqualTo(expected);
            assertThat(f.platform.read()).as(at).isEqualTo(TrafficSplit.stableOnly());
            assertThat(f.platform.stableRevision()).as(at).isEqualTo(expected == Phase.SUCCEEDED ? "v2" : "v1");
            assertThat(f.platform.desiredReplicas(Role.STABLE)).as(at).isEqualTo(4);
            assertThat(f.platform.desiredReplicas(Role.CANDIDATE)).as(at).isZero();
            assertThat(f.platform.violations()).as(at).isEmpty();
        }
    }

    private static boolean crashes(Runnable run) {
        try {
            run.run();
            return false;
        } catch (SimulatedCrash e) {
            return true;
        }
    }

    private static int cleanRun(String planName, Deployment plan, double errorRate) {
        Fixture f = fixture(planName, errorRate);
        f.platform.allowUnavailable(4);
        RolloutResult result = f.start(plan).await();
        assertThat(result.phase()).isEqualTo(errorRate == 0 ? Phase.SUCCEEDED : Phase.ABORTED);
        return f.platform.writes();
    }

    @Test
    void aTimedPauseKeepsOnlyItsRemainingTimeAcrossAResume() {
        Deployment plan = Deployment.canary().steps(50).pauseBetween(Duration.ofMinutes(30)).build();
        Fixture f = Fixture.healthy();
        Rollout r = f.start(plan);
        f.time.advance(Duration.ofMinutes(20));
        assertThat(r.status().split().candidateWeight()).isEqualTo(50);
        f.engine.shutdown();
        f.time.advance(Duration.ofMinutes(5)); // the engine was down for five minutes
        RolloutResult result = f.newEngine().resume("app", plan, f.target).await();
        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        // started at 0, pause ran 0:00:10..0:30:10; resumed at 0:25: finishes a few seconds after 0:30:10, not at 0:55
        assertThat(result.duration()).isBetween(Duration.ofMinutes(30), Duration.ofMinutes(32));
    }

    @Test
    void resumingWithAnotherPlanIsRefused() {
        Fixture f = Fixture.healthy();
        f.start(Deployment.canary().steps(50).pauseBetween(Duration.ofMinutes(30)).build());
        f.time.advance(Duration.ofMinutes(1));
        f.engine.shutdown();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.newEngine().resume("app",
                        Deployment.canary().steps(10, 50).build(), f.target))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("was started with plan");
    }

    @Test
    void twoEnginesOnOneRolloutOnlyOneWrites() {
        Deployment plan = Deployment.canary().steps(50).pauseBetween(Duration.ofMinutes(10)).build();
        Fixture f = Fixture.healthy();
        Rollout first = f.start(plan);
        f.time.advance(Duration.ofMinutes(1));
        Rollout second = f.newEngine().resume("app", plan, f.target); // a second engine takes over
        RolloutResult result = second.await();
        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(first.result()).isCompletedExceptionally(); // the first lost its compare-and-set and stopped
    }

    @Test
    void resumesFromTheFileStoreAfterACrash(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Deployment plan = PLANS.get("canary").get();
        Fixture f = Fixture.healthy();
        var files = new io.cutover.state.FileStateStore(dir);
        f.engine = RolloutEngine.builder().withScheduler(f.time).withStateStore(files).build();
        f.platform.crashAfterWrite(4);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.start(plan).await()).isInstanceOf(SimulatedCrash.class);
        f.engine.shutdown();
        RolloutEngine fresh = RolloutEngine.builder().withScheduler(f.time)
                .withStateStore(new io.cutover.state.FileStateStore(dir)).build();
        assertThat(fresh.resume("app", plan, f.target).await().phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(f.platform.stableRevision()).isEqualTo("v2");
    }

    @Test
    void aCorruptStateFileIsAClearErrorAndChangesNoTraffic(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        Deployment plan = PLANS.get("canary").get();
        Fixture f = Fixture.healthy();
        f.engine = RolloutEngine.builder().withScheduler(f.time).withStateStore(new io.cutover.state.FileStateStore(dir)).build();
        f.start(plan);
        f.time.advance(Duration.ofMinutes(3));
        f.engine.shutdown();
        TrafficSplit before = f.platform.read();
        int writes = f.platform.writes();
        java.nio.file.Files.writeString(dir.resolve("app.json"), "7\n{\"name\":");
        RolloutEngine fresh = RolloutEngine.builder().withScheduler(f.time).withStateStore(new io.cutover.state.FileStateStore(dir)).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fresh.resume("app", plan, f.target))
                .isInstanceOf(io.cutover.CutoverException.class).hasMessageContaining("app.json is corrupt");
        assertThat(f.platform.read()).isEqualTo(before);
        assertThat(f.platform.writes()).isEqualTo(writes);
    }

    @org.junit.jupiter.api.AfterAll
    static void report() {
        org.slf4j.LoggerFactory.getLogger(CrashAndResumeTest.class).warn("crash points tried: {}", crashPointsTried);
    }
}
