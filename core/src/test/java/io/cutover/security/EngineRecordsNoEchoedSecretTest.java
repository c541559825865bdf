package io.cutover.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.CutoverException;
import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.gate.Gate;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.HookResult;
import io.cutover.spi.HookStage;
import io.cutover.spi.Revision;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.cutover.state.InMemoryStateStore;
import io.cutover.state.StateCodec;
import io.cutover.time.VirtualScheduler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Finding: "Secrets leak through echoes", inside the engine. An SPI call that fails with a message
 * echoing a {@code Bearer} token and CR/LF (as a platform error quoting the request would), a gate
 * whose detail echoes one and a hook whose message echoes one: the token and the forged line reach
 * neither the saved state, the events, the result's reason, nor a log line.
 */
class EngineRecordsNoEchoedSecretTest {

    private static final String ECHO = "upstream answered 500 to: Authorization: Bearer eyJhbGciOi.s3cretPart.sig"
            + "\r\nERROR io.cutover rollout myapp SUCCEEDED, approved by admin";
    private static final Revision V1 = Revision.of("v1.0.0", "myapp:v1.0.0");
    private static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    private final VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    private final SimulatedPlatform platform = SimulatedPlatform.builder(time.clock()).seed(3)
            .stable(V1, 4, Behaviour.healthy()).behaviour(V2.name(), Behaviour.healthy()).build();
    private final InMemoryStateStore store = InMemoryStateStore.encodingJson();
    private final List<RolloutEvent> events = new CopyOnWriteArrayList<>();

    /** A router that fails with {@code failure} when asked to send the candidate any traffic. */
    private Target failingRouter(Function<String, RuntimeException> failure) {
        Target real = platform.target("myapp");
        TrafficRouter router = new TrafficRouter() {
            @Override
            public Set<RouterCapability> capabilities() {
                return real.router().capabilities();
            }

            @Override
            public void apply(TrafficSplit split) {
                if (split.candidateWeight() > 0) {
                    throw failure.apply(ECHO);
                }
                real.router().apply(split);
            }

            @Override
            public TrafficSplit read() {
                return real.router().read();
            }
        };
        return real.toBuilder().router(router).build();
    }

    private RolloutResult run(Deployment deployment, Target target, StringBuilder log) {
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withStateStore(store)
                .retryBudget(2).backoff(Duration.ofSeconds(1), Duration.ofSeconds(2)).onEvent(events::add).build();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return engine.start("myapp", deployment, V2, target).await();
        } finally {
            System.setErr(original);
            log.append(captured.toString(StandardCharsets.UTF_8));
            engine.shutdown();
        }
    }

    private void assertNothingEchoed(RolloutResult result, String log) {
        String state = StateCodec.toJson(store.load("myapp").orElseThrow().state());
        for (String output : List.of(result.reason() == null ? "" : result.reason(), state, events.toString())) {
            assertThat(output).doesNotContain("s3cretPart").doesNotContain("\r").doesNotContain("\n");
        }
        assertThat(log).doesNotContain("s3cretPart").doesNotContain("\r");
        assertThat(log.lines()).noneMatch(line -> line.startsWith("ERROR io.cutover rollout myapp SUCCEEDED"));
    }

    private static Deployment canary() {
        return Deployment.canary().steps(25).pauseBetween(Duration.ofMinutes(1)).build();
    }

    @Test
    void anUnexpectedExceptionEchoingATokenAbortsWithTheTokenAndForgedLineRemoved() {
        StringBuilder log = new StringBuilder();
        RolloutResult result = run(canary(), failingRouter(IllegalStateException::new), log);

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("upstream answered 500").contains("Authorization: [redacted]");
        assertThat(events).filteredOn(RolloutEvent.CallFailed.class::isInstance).isNotEmpty();
        assertNothingEchoed(result, log.toString());
        assertThat(log).contains("Authorization: [redacted]");
    }

    @Test
    void anAdaptersTransientFailureEchoingATokenPausesWithTheTokenRemovedFromEveryAttempt() {
        StringBuilder log = new StringBuilder();
        RolloutResult result = run(canary(),
                failingRouter(m -> CutoverException.transientFailure("set traffic", m, null)), log);

        assertThat(result.phase()).isEqualTo(Phase.PAUSED);
        assertThat(result.reason()).startsWith("retry budget of 2 spent").contains("Authorization: [redacted]");
        assertThat(events).filteredOn(RolloutEvent.CallFailed.class::isInstance).hasSize(3)
                .allSatisfy(e -> assertThat(((RolloutEvent.CallFailed) e).message()).contains("[redacted]"));
        assertNothingEchoed(result, log.toString());
    }

    @Test
    void aGateDetailAndAHookMessageEchoingATokenAreCleanedBeforeTheyAreRecorded() {
        Gate echoing = new Gate() {
            @Override
            public String name() {
                return "echoing";
            }

            @Override
            public Measurement measure(io.cutover.gate.GateContext context) {
                return new Measurement("echoing", Verdict.FAILED, 0.5, ECHO, context.now());
            }
        };
        Deployment deployment = Deployment.canary().steps(25).pauseBetween(Duration.ofMinutes(1)).gate(echoing)
                .hook(HookStage.BEFORE_ROLLBACK, context -> HookResult.fail(ECHO)).build();
        StringBuilder log = new StringBuilder();
        RolloutResult result = run(deployment, platform.target("myapp"), log);

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("gate echoing failed").contains("Authorization: [redacted]");
        assertThat(result.measurements()).isNotEmpty().allSatisfy(m -> assertThat(m.detail()).contains("[redacted]"));
        assertThat(result.history().toString()).contains("before_rollback hook failed: upstream answered 500");
        assertNothingEchoed(result, log.toString());
    }
}
