package io.cutover.ecs.internal;

import io.cutover.CutoverException;
import io.cutover.gate.Gate;
import io.cutover.gate.GateContext;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/** Polling on an injected scheduler, and gate measuring, shared by the CodeDeploy and ECS rolling drivers. */
public final class Watch {

    /** Consecutive transient failures a watch tolerates before it gives up. */
    public static final int RETRY_BUDGET = 5;

    private Watch() { }

    /**
     * Runs {@code check} every {@code every} until {@code done} holds; a transient failure is retried
     * at the next tick (waiting twice as long), up to {@link #RETRY_BUDGET} in a row.
     */
    public static <T> CompletableFuture<T> until(Scheduler scheduler, Clock clock, Duration every,
                                                 Function<Instant, T> check, Predicate<T> done) {
        if (every == null || every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("every must be positive: " + every);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        tick(scheduler, clock, every, check, done, result, 0);
        return result;
    }

    private static <T> void tick(Scheduler scheduler, Clock clock, Duration every, Function<Instant, T> check,
                                 Predicate<T> done, CompletableFuture<T> result, int failures) {
        scheduler.schedule(() -> {
            int next = 0;
            try {
                T value = check.apply(clock.instant());
                if (done.test(value)) {
                    result.complete(value);
                    return;
                }
            } catch (CutoverException e) {
                if (!e.isRetryable() || failures + 1 > RETRY_BUDGET) {
                    result.completeExceptionally(e);
                    return;
                }
                next = failures + 1;
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            tick(scheduler, clock, every, check, done, result, next);
        }, failures == 0 ? every : every.multipliedBy(2));
    }

    /** Measures every gate; one that throws is an ERROR measurement. */
    public static List<Measurement> measure(List<Gate> gates, GateContext ctx) {
        List<Measurement> out = new ArrayList<>();
        for (Gate gate : gates) {
            try {
                out.add(gate.measure(ctx));
            } catch (RuntimeException e) {
                out.add(new Measurement(gate.name(), Verdict.ERROR, Double.NaN, "gate threw: " + e.getMessage(), ctx.now()));
            }
        }
        return out;
    }

    /** The first FAILED measurement, or {@code null}. */
    public static Measurement firstFailed(List<Measurement> measurements) {
        return measurements.stream().filter(m -> m.verdict() == Verdict.FAILED).findFirst().orElse(null);
    }
}
