package io.cutover.engine;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.CutoverException;
import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.event.RolloutEvent;
import io.cutover.fault.FaultInjector;
import io.cutover.fault.FaultKind;
import io.cutover.fault.Faults;
import io.cutover.gate.Verdict;
import io.cutover.spi.HookResult;
import io.cutover.spi.HookStage;
import io.cutover.spi.Role;
import io.cutover.spi.StateStore;
import io.cutover.spi.TrafficSplit;
import io.cutover.state.RolloutState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One test per fault the engine must turn into a true, safe outcome, on virtual time. */
class EngineUnderFaultsTest {

    static final Deployment CANARY = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(2))
            .gate(successRate(0.95)).build();

    @Test
    void anErrorThrownByTheMetricSourceIsAnErrorMeasurementAndTheRolloutAbortsSafely() {
        Fixture f = Fixture.healthy();
        FaultInjector faults = FaultInjector.builder(1).rate(1).kinds(FaultKind.ERROR).only(op -> op.startsWith("metrics.")).build();
        RolloutResult result = f.engine.start("app", CANARY, Fixture.V2, Faults.target(f.target, faults)).await();
        // the pauses leave room for four rounds only: the fresh round promotion insists on is the fifth ERROR in a row
        assertThat(result.phase()).as("never promoted on errors").isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("errored 5 times in a row").contains("Error: injected in metrics.successRate");
        assertThat(f.events(RolloutEvent.MeasurementTaken.class)).hasSize(5)
                .allSatisfy(e -> assertThat(e.measurement().verdict()).isEqualTo(Verdict.ERROR));
        FaultCatalogueTest.assertPlatformShows(f, result);
        Deployment longer = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(10)).gate(successRate(0.95)).build();
        Fixture g = Fixture.healthy();
        RolloutResult aborted = g.engine.start("app", longer, Fixture.V2, Faults.target(g.target, faults)).await();
        assertThat(aborted.phase()).isEqualTo(Phase.ABORTED);
        assertThat(aborted.reason()).contains("errored 5 times in a row").contains("Error");
        FaultCatalogueTest.assertPlatformShows(g, aborted);
    }

    @Test
    void anErrorThrownByRouterApplyIsCountedPublishedAndEndsInARollback() {
        Fixture f = Fixture.healthy();
        FaultInjector faults = FaultInjector.scripted();
        Rollout r = f.engine.start("app", CANARY, Fixture.V2, Faults.target(f.target, faults));
        faults.next(FaultKind.ERROR); // the first platform call of the first tick
        RolloutResult result = r.await();
        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("StackOverflowError");
        assertThat(f.events(RolloutEvent.CallFailed.class)).singleElement()
                .satisfies(e -> assertThat(e.kind()).isEqualTo("PERMANENT"));
        FaultCatalogueTest.assertPlatformShows(f, result);
    }

    @Test
    void aHookThatThrowsAnErrorFailsAsAHookAndAborts() {
        Fixture f = Fixture.healthy();
        Deployment withHook = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(2))
                .hook(HookStage.BEFORE_TRAFFIC, ctx -> {
                    throw new ExceptionInInitializerError("static init of the notifier failed");
                }).build();
        RolloutResult result = f.start(withHook).await();
        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("before-traffic hook failed").contains("ExceptionInInitializerError");
        FaultCatalogueTest.assertPlatformShows(f, result);
    }

    @Test
    void aHookReturningNullFailsAndAborts() {
        Fixture f = Fixture.healthy();
        RolloutResult result = f.start(Deployment.canary().steps(10, 50).hook(HookStage.BEFORE_TRAFFIC, ctx -> null).build()).await();
        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("hook returned no result");
    }

    @Test
    void aRouterReadReturningNullDuringAbortEndsFailedWithinTheAbortBudgetNotAborting() {
        Fixture f = Fixture.failing(0.3);
        FaultInjector faults = FaultInjector.scripted();
        Rollout r = f.engine.start("app", CANARY, Fixture.V2, Faults.target(f.target, faults));
        f.time.runUntil(() -> r.phase() == Phase.ABORTING, Duration.ofHours(1));
        FaultInjector reads = FaultInjector.builder(2).rate(1).kinds(FaultKind.NULL).only("router.read"::equals).build();
        faults.next(); // nothing scripted: the null reads come from the second injector below
        RolloutResult result = f.engine.resume("app", CANARY, Faults.target(f.target, reads)).await();
        assertThat(result.phase()).isEqualTo(Phase.FAILED);
        assertThat(result.reason()).contains("retry budget of 20 spent").contains("returned nothing (null)");
        assertThat(f.events(RolloutEvent.Failed.class)).singleElement();
    }

    @Test
    void aStateStoreThrowingUnexpectedlyMidAbortStillReturnsTrafficToStableAndEnds() {
        Fixture f = Fixture.failing(0.3);
        FaultInjector storeFaults = FaultInjector.builder(3).rate(0).kinds(FaultKind.UNCHECKED).only("store.save"::equals).build();
        f.engine = RolloutEngine.builder().withScheduler(f.time).withStateStore(Faults.store(f.store, storeFaults))
                .onEvent(f.events::add).build();
        Rollout r = f.start(CANARY);
        f.time.runUntil(() -> r.phase() == Phase.ABORTING, Duration.ofHours(1));
        FaultInjector down = FaultInjector.builder(4).rate(1).kinds(FaultKind.UNCHECKED).only("store.save"::equals).build();
        assertThat(f.store.load("app")).isPresent();
        storeFaults.next(FaultKind.UNCHECKED, FaultKind.UNCHECKED, FaultKind.UNCHECKED, FaultKind.UNCHECKED,
                FaultKind.UNCHECKED, FaultKind.UNCHECKED, FaultKind.UNCHECKED, FaultKind.UNCHECKED, FaultKind.UNCHECKED);
        RolloutResult result = r.await();
        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(f.platform.read()).isEqualTo(TrafficSplit.stableOnly());
        assertThat(f.platform.desiredReplicas(Role.CANDIDATE)).isZero();
        assertThat(f.events(RolloutEvent.CallFailed.class)).isNotEmpty()
                .allSatisfy(e -> assertThat(e.operation()).isEqualTo("save state"));
        assertThat(down.injected()).isEmpty();
    }

    @Test
    void aStateStoreThatIsDownDuringAnAbortNeitherLoadsNorSavesAndTrafficStillReturnsToStable() {
        Fixture f = Fixture.failing(0.3);
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        FaultInjector outage = FaultInjector.builder(5).rate(1).kinds(FaultKind.TRANSIENT)
                .only(op -> op.startsWith("store.") && down.get()).build();
        f.engine = RolloutEngine.builder().withScheduler(f.time).withStateStore(Faults.store(f.store, outage))
                .onEvent(f.events::add).build();
        Rollout r = f.start(CANARY);
        f.time.runUntil(() -> r.phase() == Phase.ABORTING, Duration.ofHours(1));
        assertThat(f.platform.read().candidateWeight()).isEqualTo(10);
        down.set(true); // the store goes down: the ownership check before each write cannot read it either

        RolloutResult result = r.await();
        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(f.platform.read()).isEqualTo(TrafficSplit.stableOnly());
        assertThat(f.platform.desiredReplicas(Role.CANDIDATE)).isZero();
        assertThat(f.platform.violations()).isEmpty();
        assertThat(outage.injected()).anyMatch(i -> i.startsWith("store.load")).anyMatch(i -> i.startsWith("store.save"));
        assertThat(f.store.load("app").orElseThrow().state().phase()).as("the store never got the end").isEqualTo(Phase.ABORTING);
    }

    @Test
    void anEngineStalledPastAnAbTestsWholeDurationMeasuresBeforePromotingAndRollsABadCandidateBack() {
        Fixture f = new Fixture(io.cutover.sim.Behaviour.healthy().withErrorRate(0.3));
        Deployment ab = Deployment.abTest().match(io.cutover.spi.HeaderMatch.exact("x-canary", "true"))
                .duration(Duration.ofMinutes(3)).gate(successRate(0.95)).build();
        boolean[] stalled = {false};
        f.engine = RolloutEngine.builder().withScheduler(f.time).withStateStore(f.store).onEvent(f.events::add).onEvent(e -> {
            if (e instanceof RolloutEvent.TrafficChanged && !stalled[0]) {
                stalled[0] = true;
                f.time.advance(Duration.ofHours(1)); // a call or listener that blocks the tick for an hour
            }
        }).build();
        RolloutResult result = f.start(ab).await();

        assertThat(stalled[0]).isTrue();
        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.ABORTED);
        assertThat(f.events(RolloutEvent.MeasurementTaken.class)).isNotEmpty()
                .allSatisfy(m -> assertThat(m.measurement().verdict()).isNotEqualTo(Verdict.PASSED));
        assertThat(f.platform.stableRevision()).isEqualTo("v1");
        assertThat(f.platform.read()).isEqualTo(TrafficSplit.stableOnly());
    }

    @Test
    void aRetriedRolloutStalledPastItsWholeDurationDoesNotPromoteOnAMeasurementFromBeforeTheRetry() {
        Fixture f = Fixture.healthy();
        java.util.concurrent.atomic.AtomicBoolean bad = new java.util.concurrent.atomic.AtomicBoolean();
        io.cutover.gate.Gate switchable = new io.cutover.gate.Gate() {
            @Override public String name() { return "switchable"; }
            @Override public io.cutover.gate.Measurement measure(io.cutover.gate.GateContext c) {
                return bad.get() ? new io.cutover.gate.Measurement("switchable", Verdict.FAILED, 0.5, "bad now", c.now())
                        : new io.cutover.gate.Measurement("switchable", Verdict.PASSED, 0.99, "fine", c.now());
            }
        };
        Deployment ab = Deployment.abTest().match(io.cutover.spi.HeaderMatch.exact("x-canary", "true"))
                .duration(Duration.ofMinutes(3)).gate(switchable).build();
        boolean[] armed = {false};
        f.engine = RolloutEngine.builder().withScheduler(f.time).withStateStore(f.store).onEvent(f.events::add).onEvent(e -> {
            if (armed[0] && e instanceof RolloutEvent.TrafficChanged) {
                armed[0] = false;
                f.time.advance(Duration.ofHours(1)); // the retried run's tick blocked past its whole duration
            }
        }).build();
        Rollout r = f.start(ab);
        f.time.advance(Duration.ofMinutes(2));
        assertThat(f.events(RolloutEvent.MeasurementTaken.class)).anySatisfy(m ->
                assertThat(m.measurement().verdict()).isEqualTo(Verdict.PASSED));
        r.abort("first look done");
        assertThat(r.await().phase()).isEqualTo(Phase.ABORTED);

        bad.set(true);
        armed[0] = true;
        r.retry();
        RolloutResult retried = r.await();

        assertThat(retried.phase()).as(retried.reason()).isNotEqualTo(Phase.SUCCEEDED);
        assertThat(f.platform.stableRevision()).isEqualTo("v1");
        assertThat(f.platform.read()).isEqualTo(TrafficSplit.stableOnly());
    }

    @Test
    void aStateStoreThatStaysDownWhileProgressingPausesWithTheReasonAndStopsTrying() {
        Fixture f = Fixture.healthy();
        AtomicInteger saves = new AtomicInteger();
        StateStore down = new StateStore() {
            volatile boolean up = true;
            @Override public Optional<Stored> load(String rollout) {
                return f.store.load(rollout);
            }
            @Override public String save(String rollout, RolloutState state, String expectedVersion) {
                if (state.phase() == Phase.PROGRESSING && state.stepIndex() >= 3) {
                    up = false;
                }
                if (!up) {
                    saves.incrementAndGet();
                    throw CutoverException.transientFailure("save", "503 store unavailable", null);
                }
                return f.store.save(rollout, state, expectedVersion);
            }
        };
        f.engine = RolloutEngine.builder().withScheduler(f.time).withStateStore(down).onEvent(f.events::add).build();
        Rollout r = f.start(CANARY);
        RolloutResult result = r.await();
        assertThat(result.phase()).isEqualTo(Phase.PAUSED);
        assertThat(result.reason()).startsWith("retry budget of 6 spent").contains("503 store unavailable");
        assertThat(r.status().phase()).isEqualTo(Phase.PAUSED); // held in memory: the store never got it
        assertThat(f.events(RolloutEvent.Paused.class)).singleElement();
        f.time.advance(Duration.ofDays(2));
        assertThat(saves.get()).as("saves tried in two days").isLessThan(20);
    }

    @Test
    void anAbortCalledFromAListenerDuringAStepIsNotOverwrittenByTheStepsSave() {
        Fixture f = Fixture.healthy();
        Rollout[] handle = new Rollout[1];
        f.engine = RolloutEngine.builder().withScheduler(f.time).withStateStore(f.store).onEvent(f.events::add).onEvent(e -> {
            if (e instanceof RolloutEvent.TrafficChanged t && t.split().candidateWeight() == 50) {
                handle[0].abort("the dashboard went red");
            }
        }).build();
        handle[0] = f.start(CANARY);
        RolloutResult result = handle[0].await();
        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).isEqualTo("aborted by a person: the dashboard went red");
        FaultCatalogueTest.assertPlatformShows(f, result);
        assertThat(f.store.load("app").orElseThrow().state().phase()).isEqualTo(Phase.ABORTED);
    }

    @Test
    void aPauseCalledFromAListenerTakesEffectAfterTheStep() {
        Fixture f = Fixture.healthy();
        Rollout[] handle = new Rollout[1];
        f.engine = RolloutEngine.builder().withScheduler(f.time).withStateStore(f.store).onEvent(f.events::add).onEvent(e -> {
            if (e instanceof RolloutEvent.TrafficChanged t && t.split().candidateWeight() == 10) {
                handle[0].pause("hold on");
            }
        }).build();
        handle[0] = f.start(CANARY);
        RolloutResult result = handle[0].await();
        assertThat(result.phase()).isEqualTo(Phase.PAUSED);
        assertThat(result.reason()).isEqualTo("paused by a person: hold on");
        assertThat(f.store.load("app").orElseThrow().state().phase()).isEqualTo(Phase.PAUSED);
        f.time.advance(Duration.ofHours(1));
        assertThat(f.platform.read().candidateWeight()).isEqualTo(10);
    }

    @Test
    void aListenerThatThrowsAnErrorIsIgnoredAndTheRolloutGoesOn() {
        Fixture f = Fixture.healthy();
        f.engine = RolloutEngine.builder().withScheduler(f.time).withStateStore(f.store).onEvent(e -> {
            throw new NoSuchMethodError("listener built against another version");
        }).build();
        assertThat(f.start(CANARY).await().phase()).isEqualTo(Phase.SUCCEEDED);
    }

    @Test
    void aPromotionWhoseAnswerWasLostThenAnAbortEndsFailedWithTheExactStateNeverAborted() {
        Fixture f = Fixture.allOrNothing();
        FaultInjector faults = FaultInjector.scripted();
        Deployment blueGreen = Deployment.blueGreen().autoPromoteAfter(Duration.ofMinutes(1)).build();
        Rollout r = f.engine.start("app", blueGreen, Fixture.V2, Faults.target(f.target, faults));
        faults.next(FaultKind.LOST_RESPONSE);
        FaultInjector onlyPromote = faults; // the script hits the first call after start: make it the promote
        onlyPromote.disable();
        FaultInjector promote = FaultInjector.builder(5).rate(1).kinds(FaultKind.LOST_RESPONSE).only("workloads.promote"::equals).build();
        Rollout lossy = f.engine.resume("app", blueGreen, Faults.target(f.target, promote));
        f.time.runUntil(() -> !promote.injected().isEmpty(), Duration.ofHours(1));
        promote.disable();
        assertThat(f.platform.stableRevision()).isEqualTo("v2"); // the promotion took effect; the engine was not told
        lossy.abort("second thoughts");
        RolloutResult result = lossy.await();
        assertThat(result.phase()).isEqualTo(Phase.FAILED);
        assertThat(result.reason()).contains("stable runs v2, not v1");
        assertThat(result.split()).isEqualTo(f.platform.read());
        assertThat(f.platform.desiredReplicas(Role.CANDIDATE)).as("v1 kept, not scaled away").isPositive();
        assertThat(r.result()).isNotDone(); // the first handle's runner was replaced by the resume and stopped
    }
}
