package io.cutover.internal;

import io.cutover.CutoverException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The one wrapper every SPI call goes through: a circuit breaker per target, counts of reads and
 * writes, translation of unexpected exceptions, and the backoff the engine waits before it tries a
 * failed step again. It never sleeps: the engine schedules the retry on its own scheduler, so
 * retries run on virtual time in simulations.
 */
public final class PlatformCalls {

    private final CircuitBreaker breaker;
    private final IntervalFunction backoff;
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();

    public PlatformCalls(String target, Clock clock, RetrySettings retry) {
        this.breaker = CircuitBreaker.of("cutover-" + target, CircuitBreakerConfig.custom()
                .clock(clock)
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(retry.breakerWindow())
                .minimumNumberOfCalls(retry.breakerWindow())
                .failureRateThreshold(retry.breakerFailureRate())
                .waitDurationInOpenState(retry.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(e -> e instanceof CutoverException c && c.isRetryable())
                .build());
        SplittableRandom jitter = new SplittableRandom(target.hashCode());
        this.backoff = IntervalFunction.of(retry.initialBackoff(), previous -> {
            long max = retry.maxBackoff().toMillis();
            long next = Math.min(previous * 2, max);
            double spread = 0.5 * next;
            synchronized (jitter) {
                return Math.max(1, Math.min(max, (long) (next - spread + jitter.nextDouble() * 2 * spread)));
            }
        });
    }

    public <T> T read(String operation, Supplier<T> call) {
        reads.incrementAndGet();
        return guarded(operation, call);
    }

    public void write(String operation, Runnable call) {
        writes.incrementAndGet();
        guarded(operation, () -> {
            call.run();
            return null;
        });
    }

    private <T> T guarded(String operation, Supplier<T> call) {
        try {
            return breaker.executeSupplier(call);
        } catch (CallNotPermittedException e) {
            throw CutoverException.transientFailure(operation,
                    "platform circuit breaker is open after repeated failures; not calling " + operation, e);
        } catch (CutoverException e) {
            throw e;
        } catch (RuntimeException e) {
            throw CutoverException.permanent(operation, operation + " failed: " + e, e);
        }
    }

    /** How long to wait before attempt {@code attempt} (1-based) of a failed step. */
    public Duration backoff(int attempt) {
        return Duration.ofMillis(backoff.apply(Math.max(1, attempt)));
    }

    public long reads() {
        return reads.get();
    }

    public long writes() {
        return writes.get();
    }

    /** Retry budgets and breaker settings of an engine. */
    public record RetrySettings(int budget, int abortBudget, Duration initialBackoff, Duration maxBackoff,
                                int breakerWindow, float breakerFailureRate, Duration breakerOpenFor) {

        public static final RetrySettings DEFAULT = new RetrySettings(6, 20, Duration.ofSeconds(1), Duration.ofSeconds(30),
                20, 80f, Duration.ofSeconds(30));

        public RetrySettings {
            Checks.atLeast("retry budget", budget, 0);
            Checks.atLeast("abort retry budget", abortBudget, 0);
            Checks.positive("initial backoff", initialBackoff);
            Checks.positive("max backoff", maxBackoff);
            Checks.atLeast("breaker window", breakerWindow, 1);
            Checks.positive("breaker open duration", breakerOpenFor);
        }
    }
}
