package io.cutover.engine;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.fault.FaultInjector;
import io.cutover.fault.FaultKind;
import io.cutover.fault.Faults;
import io.cutover.sim.Behaviour;
import io.cutover.spi.Role;
import io.cutover.spi.TrafficSplit;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fault of the catalogue on the first call of every kind of operation, for a healthy and a
 * failing candidate: the rollout ends (or waits for a person, saying why) and the platform shows the
 * phase it reports.
 */
class FaultCatalogueTest {

    static final List<String> OPERATIONS = List.of("router.apply", "router.read", "workloads.deploy", "workloads.scale",
            "workloads.status.STABLE", "workloads.status.CANDIDATE", "workloads.promote", "metrics.successRate",
            "store.save", "store.load", "listener");

    static Stream<Arguments> faults() {
        return OPERATIONS.stream().flatMap(op -> java.util.EnumSet.allOf(FaultKind.class).stream()
                .flatMap(kind -> Stream.of(Arguments.of(op, kind, 0.0), Arguments.of(op, kind, 0.3))));
    }

    @ParameterizedTest(name = "{1} on the first {0}, candidate error rate {2}")
    @MethodSource("faults")
    void everyFaultOnEveryCallEndsInAStateThePlatformShows(String operation, FaultKind kind, double errorRate) {
        Fixture f = new Fixture(Behaviour.healthy().withErrorRate(errorRate));
        // on virtual time a hang passes an hour (past every deadline), a slow call 45 s (past the platform's 30 s)
        FaultInjector faults = FaultInjector.builder(7).rate(0).only(operation::equals)
                .hangs(Duration.ofHours(1), f.time).slow(Duration.ofSeconds(45), f.time).build();
        f.engine = RolloutEngine.builder().withScheduler(f.time).withStateStore(Faults.store(f.store, faults))
                .onEvent(Faults.listener(f.events::add, faults)).build();
        Deployment canary = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(2)).gate(successRate(0.95)).build();
        Rollout r = f.engine.start("app", canary, Fixture.V2, Faults.target(f.target, faults));
        faults.next(kind);
        RolloutResult result = r.await();
        if (result.phase() == Phase.PAUSED) {
            assertThat(result.reason()).as("a pause says why").isNotBlank();
            r.resume();
            result = r.await();
        }
        assertThat(faults.injected()).as("the fault was injected").hasSize(errorRate == 0 ? 1 : faults.injected().size()).hasSizeLessThan(2);
        assertPlatformShows(f, result);
        if (errorRate == 0 && !List.of(FaultKind.PERMANENT, FaultKind.STATE, FaultKind.UNCHECKED, FaultKind.ERROR).contains(kind)) {
            assertThat(result.phase()).as("a retryable fault of %s does not stop a healthy release: %s", operation, result.reason())
                    .isEqualTo(Phase.SUCCEEDED);
        }
        if (errorRate > 0) {
            assertThat(result.phase()).as("a bad candidate is never promoted").isIn(Phase.ABORTED, Phase.FAILED);
        }
        assertThat(f.platform.violations()).isEmpty();
    }

    /** ABORTED: v1 stable at full capacity with all traffic; SUCCEEDED: v2 stable with all traffic; FAILED: the split it reports. */
    static void assertPlatformShows(Fixture f, RolloutResult result) {
        switch (result.phase()) {
            case SUCCEEDED -> {
                assertThat(f.platform.stableRevision()).isEqualTo("v2");
                assertThat(f.platform.read()).isEqualTo(TrafficSplit.stableOnly());
            }
            case ABORTED -> {
                assertThat(f.platform.stableRevision()).as("aborted: %s", result.reason()).isEqualTo("v1");
                assertThat(f.platform.read()).isEqualTo(TrafficSplit.stableOnly());
                assertThat(f.platform.readyReplicas(Role.STABLE)).isEqualTo(4);
                assertThat(f.platform.desiredReplicas(Role.CANDIDATE)).isZero();
            }
            case FAILED -> assertThat(result.split()).as("failed: %s", result.reason()).isEqualTo(f.platform.read());
            default -> throw new AssertionError("not an end: " + result.phase() + " " + result.reason());
        }
    }
}
