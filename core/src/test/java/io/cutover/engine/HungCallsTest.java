package io.cutover.engine;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.event.RolloutEvent;
import io.cutover.fault.FaultInjector;
import io.cutover.fault.FaultKind;
import io.cutover.fault.Faults;
import io.cutover.gate.GatePolicy;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.HookResult;
import io.cutover.spi.HookStage;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficSplit;
import io.cutover.time.VirtualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Calls that never return, on the engine's default (real) scheduler: they hold no lock and no engine
 * thread, a person's operation does not wait for them, and past their deadline they count as failures.
 */
class HungCallsTest {

    static final Behaviour INSTANT = Behaviour.healthy().withStartup(Duration.ZERO);
    static final Duration ONE_SECOND = Duration.ofSeconds(1);

    final List<FaultInjector> toRelease = new CopyOnWriteArrayList<>();
    final List<RolloutEngine> engines = new CopyOnWriteArrayList<>();

    @AfterEach
    void releaseHungCalls() {
        toRelease.forEach(FaultInjector::release);
        engines.forEach(RolloutEngine::shutdown);
    }

    static SimulatedPlatform realTimePlatform() {
        return SimulatedPlatform.builder(Clock.systemUTC()).stable(Fixture.V1, 4, INSTANT).behaviour("v2", INSTANT)
                .router(RouterCapability.WEIGHTED).build();
    }

    RolloutEngine engine(List<RolloutEvent> events) {
        RolloutEngine e = RolloutEngine.builder().pollInterval(Duration.ofMillis(20)).backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .onEvent(events::add).build();
        engines.add(e);
        return e;
    }

    FaultInjector hanging(String prefix) {
        FaultInjector f = FaultInjector.builder(11).rate(1).kinds(FaultKind.HANG).only(op -> op.startsWith(prefix)).build();
        toRelease.add(f);
        return f;
    }

    static Deployment canaryMeasuredEvery(Duration interval) {
        return Deployment.canary().steps(10, 50).pauseBetween(Duration.ofHours(1)).gate(successRate(0.95))
                .analysis(GatePolicy.builder().interval(interval).build()).drainDelay(Duration.ofMillis(100)).build();
    }

    @Test
    void whileAMetricSourceHangsStatusAndAbortAnswerAtOnceAndTrafficReturnsToStable() throws Exception {
        SimulatedPlatform platform = realTimePlatform();
        FaultInjector metrics = hanging("metrics.");
        RolloutEngine engine = engine(new CopyOnWriteArrayList<>());
        Rollout r = engine.start("app", canaryMeasuredEvery(Duration.ofSeconds(2)), Fixture.V2,
                Faults.target(platform.target("app"), metrics));
        assertThat(metrics.awaitHang(Duration.ofSeconds(20))).isTrue();
        assertThat(platform.read().candidateWeight()).isEqualTo(10);
        assertTimeoutPreemptively(ONE_SECOND, () -> {
            assertThat(r.status().phase()).isEqualTo(Phase.PROGRESSING);
            assertThat(engine.status("app")).isPresent();
            r.abort("metrics hang");
        });
        RolloutResult result = r.result().get(10, TimeUnit.SECONDS);
        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(platform.read()).isEqualTo(TrafficSplit.stableOnly());
        assertTimeoutPreemptively(ONE_SECOND, engine::shutdown);
    }

    @Test
    void whileAHookHangsPauseAndShutdownAnswerAtOnce() throws Exception {
        SimulatedPlatform platform = realTimePlatform();
        FaultInjector hooks = hanging("hook.");
        RolloutEngine engine = engine(new CopyOnWriteArrayList<>());
        Deployment d = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofHours(1))
                .hook(HookStage.AFTER_INSTALL, Faults.hook(ctx -> HookResult.pass(), hooks)).build();
        Rollout r = engine.start("app", d, Fixture.V2, platform.target("app"));
        assertThat(hooks.awaitHang(Duration.ofSeconds(10))).isTrue();
        assertTimeoutPreemptively(ONE_SECOND, () -> {
            r.pause("looking into it"); // queued; the tick waiting on the hook leaves it and applies the pause
            while (r.status().phase() != Phase.PAUSED) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        });
        assertThat(r.status().reason()).isEqualTo("paused by a person: looking into it");
        assertThat(platform.read()).isEqualTo(TrafficSplit.stableOnly()); // nothing moved past the hung hook
        assertTimeoutPreemptively(ONE_SECOND, engine::shutdown);
    }

    @Test
    void twoHungHooksOnTheDefaultTwoThreadsDoNotDelayAThirdRollout() throws Exception {
        RolloutEngine engine = engine(new CopyOnWriteArrayList<>());
        FaultInjector hooks = hanging("hook.");
        for (String name : List.of("one", "two")) {
            SimulatedPlatform p = realTimePlatform();
            Deployment d = Deployment.canary().steps(50).pauseBetween(Duration.ofMillis(50))
                    .hook(HookStage.BEFORE_TRAFFIC, Faults.hook(ctx -> HookResult.pass(), hooks)).build();
            engine.start(name, d, Fixture.V2, p.target(name));
        }
        assertThat(hooks.awaitHang(Duration.ofSeconds(10))).isTrue();
        SimulatedPlatform third = realTimePlatform();
        Rollout r = engine.start("three", Deployment.canary().steps(50).pauseBetween(Duration.ofMillis(50))
                        .scaleDownDelay(Duration.ZERO).build(), Fixture.V2,
                third.target("three"));
        assertThat(r.result().get(20, TimeUnit.SECONDS).phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(engine.status("one").orElseThrow().phase()).isEqualTo(Phase.PROGRESSING);
        assertThat(engine.status("two").orElseThrow().phase()).isEqualTo(Phase.PROGRESSING);
    }

    @Test
    void aListenerThatHangsHoldsUpNeitherItsRolloutNorAnotherAndGetsItsEventsInOrderOnceItReturns() throws Exception {
        List<RolloutEvent> seen = new CopyOnWriteArrayList<>();
        FaultInjector listener = hanging("listener");
        RolloutEngine engine = RolloutEngine.builder().pollInterval(Duration.ofMillis(20))
                .onEvent(Faults.listener(seen::add, listener)).build();
        engines.add(engine);
        Deployment quick = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMillis(50)).scaleDownDelay(Duration.ZERO).build();
        Rollout one = engine.start("one", quick, Fixture.V2, realTimePlatform().target("one"));
        assertThat(listener.awaitHang(Duration.ofSeconds(10))).isTrue();
        Rollout two = engine.start("two", quick, Fixture.V2, realTimePlatform().target("two"));
        assertThat(one.result().get(20, TimeUnit.SECONDS).phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(two.result().get(20, TimeUnit.SECONDS).phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(seen).as("nothing reached the listener past the hung call").isEmpty();

        listener.release(); // the hung call returns; the events queued meanwhile follow, in order
        for (int i = 0; i < 200 && seen.stream().filter(e -> e instanceof RolloutEvent.Succeeded).count() < 2; i++) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
        }
        for (String name : List.of("one", "two")) {
            List<RolloutEvent> of = seen.stream().filter(e -> e.rollout().equals(name)).toList();
            assertThat(of.get(of.size() - 1)).isInstanceOfSatisfying(RolloutEvent.PhaseChanged.class,
                    e -> assertThat(e.phase()).isEqualTo(Phase.SUCCEEDED));
            assertThat(of.stream().filter(RolloutEvent.StepStarted.class::isInstance)
                    .map(e -> ((RolloutEvent.StepStarted) e).index()).toList()).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void whileTheStateStoreHangsAnAbortAnswersAtOnceAndTrafficReturnsToStable() throws Exception {
        SimulatedPlatform platform = realTimePlatform();
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        FaultInjector store = FaultInjector.builder(12).rate(1).kinds(FaultKind.HANG)
                .only(op -> op.startsWith("store.") && down.get()).build();
        toRelease.add(store);
        RolloutEngine engine = RolloutEngine.builder().pollInterval(Duration.ofMillis(20)).backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .callDeadline(Duration.ofMillis(300)).withStateStore(Faults.store(new io.cutover.state.InMemoryStateStore(), store)).build();
        engines.add(engine);
        Rollout r = engine.start("app", canaryMeasuredEvery(Duration.ofMinutes(1)), Fixture.V2, platform.target("app"));
        for (int i = 0; i < 500 && r.status().stepIndex() < 3; i++) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
        assertThat(platform.read().candidateWeight()).isEqualTo(10);
        down.set(true); // every load and save of the store hangs from now on

        assertTimeoutPreemptively(ONE_SECOND, () -> r.abort("the store hangs"));
        RolloutResult result = r.result().get(20, TimeUnit.SECONDS);
        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(platform.read()).isEqualTo(TrafficSplit.stableOnly());
        assertThat(store.injected()).anyMatch(i -> i.startsWith("store.save"));
    }

    @Test
    void aHookPastItsDeadlineFailsAndAbortsWithTheDeadlineMeasuredOnTheInjectedScheduler() throws Exception {
        VirtualScheduler time = new VirtualScheduler();
        SimulatedPlatform platform = SimulatedPlatform.builder(time.clock()).stable(Fixture.V1, 4, INSTANT).behaviour("v2", INSTANT)
                .router(RouterCapability.WEIGHTED).build();
        FaultInjector hooks = hanging("hook.");
        List<RolloutEvent> events = new CopyOnWriteArrayList<>();
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).isolateCalls(true).onEvent(events::add).build();
        engines.add(engine);
        io.cutover.spi.Hook slow = new io.cutover.spi.Hook() {
            @Override public HookResult run(io.cutover.spi.HookContext ctx) { return HookResult.pass(); }
            @Override public Duration timeout() { return Duration.ofMinutes(10); }
            @Override public String name() { return "slow"; }
        };
        Deployment d = Deployment.canary().steps(50).pauseBetween(Duration.ofMinutes(1))
                .hook(HookStage.BEFORE_TRAFFIC, Faults.hook(slow, hooks)).build();
        Rollout r = engine.start("app", d, Fixture.V2, platform.target("app"));
        while (!hooks.awaitHang(Duration.ofMillis(5))) {
            time.advance(Duration.ofSeconds(1)); // drives the ticks the workers ask for, a virtual second at a time
        }
        time.advance(Duration.ofMinutes(9));
        assertThat(r.result()).isNotDone(); // 9 virtual minutes into a 10-minute timeout: still waiting
        for (int i = 0; i < 2000 && !r.result().isDone(); i++) {
            time.advance(Duration.ofSeconds(5));
            waitBriefly(r);
        }
        RolloutResult result = r.result().get(1, TimeUnit.SECONDS);
        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("before-traffic hook failed").contains("deadline of PT10M1S");
        assertThat(platform.read()).isEqualTo(TrafficSplit.stableOnly());
    }

    @Test
    void onVirtualTimeASlowWriteThatAnsweredPastItsDeadlineIsAFailureAndTheReadBackDecides() {
        Fixture f = Fixture.healthy();
        FaultInjector slow = FaultInjector.builder(3).rate(0).slow(Duration.ofSeconds(45), f.time)
                .only("router.apply"::equals).build().next(FaultKind.SLOW);
        Rollout r = f.engine.start("app", canaryMeasuredEvery(Duration.ofMinutes(1)), Fixture.V2, Faults.target(f.target, slow));
        f.time.runUntil(() -> !f.events(RolloutEvent.CallFailed.class).isEmpty(), Duration.ofHours(1));

        assertThat(f.events(RolloutEvent.CallFailed.class)).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("TRANSIENT");
            assertThat(e.message()).contains("deadline of PT30S");
        });
        assertThat(f.platform.read().candidateWeight()).as("the slow write took effect").isEqualTo(10);
        f.time.advance(Duration.ofMinutes(2));
        assertThat(r.status().split().candidateWeight()).as("the retry read back and confirmed it").isEqualTo(10);
        assertThat(r.status().phase()).isEqualTo(Phase.PROGRESSING);
    }

    /** Lets the engine's workers catch up with virtual time for a moment of real time. */
    private static void waitBriefly(Rollout r) throws InterruptedException {
        try {
            r.result().get(2, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // not yet, or ended exceptionally (asserted by the caller)
        }
    }
}
