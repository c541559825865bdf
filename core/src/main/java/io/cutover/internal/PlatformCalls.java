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
    private final java.util.concurrent.Semaphore bulkhead;
    private final String target;
    private final int bulkheadSize;

    public PlatformCalls(String target, Clock clock, RetrySettings retry) {
        this.target = target;
        this.bulkhead = new java.util.concurrent.Semaphore(retry.bulkhead());
        this.bulkheadSize = retry.bulkhead();
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

    /** Reads on the calling thread; a {@code null} answer is a transient failure. */
    public <T> T read(String operation, Supplier<T> call) {
        reads.incrementAndGet();
        return present(operation, guarded(operation, call));
    }

    /** Writes on the calling thread. */
    public void write(String operation, Runnable call) {
        writes.incrementAndGet();
        guarded(operation, () -> {
            call.run();
            return null;
        });
    }

    void countRead() {
        reads.incrementAndGet();
    }

    void countWrite() {
        writes.incrementAndGet();
    }

    /** A {@code null} where an answer was due: the platform said nothing, which is never taken as a state. */
    static <T> T present(String operation, T value) {
        if (value == null) {
            throw CutoverException.transientFailure(operation, operation + " returned nothing (null)", null);
        }
        return value;
    }

    /**
     * Runs {@code call} under the breaker and turns whatever it throws into a {@link CutoverException}:
     * unchecked exceptions and {@link Error}s of a call are permanent failures naming the operation.
     * Only a {@link io.cutover.sim.SimulatedCrash} (the simulated death of this process) passes through.
     */
    <T> T guarded(String operation, Supplier<T> call) {
        try {
            return breaker.executeSupplier(call);
        } catch (CallNotPermittedException e) {
            throw CutoverException.transientFailure(operation,
                    "platform circuit breaker is open after repeated failures; not calling " + operation, e);
        } catch (Throwable e) {
            throw translate(operation, e);
        }
    }

    /**
     * What a throwable of an SPI call means to the engine. Its message is remote text (an adapter may
     * quote what the platform answered), so it goes through {@link Redaction} before the engine records
     * it anywhere (state, event, reason, log): a failure whose message changes on the way is replaced by
     * one with the cleaned message, the same kind and operation and the original's stack trace, and no
     * cause (whose message would carry the text again).
     */
    public static CutoverException translate(String operation, Throwable e) {
        if (e instanceof io.cutover.sim.SimulatedCrash crash) {
            throw crash;
        }
        if (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            return translate(operation, e.getCause());
        }
        if (e instanceof CutoverException c) {
            return cleaned(c);
        }
        Unexpected u = new Unexpected(operation, operation + " failed: " + Redaction.none().failure(e), null);
        u.setStackTrace(e.getStackTrace());
        return u;
    }

    /** {@code c}, or a copy of it with its message cleaned when the message carries what must not be recorded. */
    private static CutoverException cleaned(CutoverException c) {
        String message = c.getMessage();
        String clean = Redaction.none().apply(message);
        if (clean.equals(message == null ? "" : message) || c instanceof io.cutover.state.StateConflictException) {
            return c;
        }
        CutoverException copy = c instanceof Unexpected
                ? new Unexpected(c.operation(), clean, null) : new CutoverException(c.kind(), c.operation(), clean, null);
        copy.setStackTrace(c.getStackTrace());
        return copy;
    }

    /** A throwable no adapter classified (a bug, an {@link Error}): permanent while progressing. */
    static final class Unexpected extends CutoverException {
        Unexpected(String operation, String message, Throwable cause) {
            super(Kind.PERMANENT, operation, message, cause);
        }
    }

    /** Takes a place for a call run on its own thread, or says why there is none. */
    void enter(String operation) {
        if (!bulkhead.tryAcquire()) {
            throw CutoverException.transientFailure(operation, "bulkhead of " + target + " is full: "
                    + "calls to it are still running past their deadline; not calling " + operation, null);
        }
    }

    void leave() {
        bulkhead.release();
    }

    /** Calls to this target still running (hung ones past their deadline included). */
    public int running() {
        return bulkheadSize - bulkhead.availablePermits();
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

    /**
     * Retry budgets, breaker and bulkhead settings of an engine.
     *
     * @param bulkhead calls to one target that may run at once on their own threads (hung ones included)
     */
    public record RetrySettings(int budget, int abortBudget, Duration initialBackoff, Duration maxBackoff,
                                int breakerWindow, float breakerFailureRate, Duration breakerOpenFor, int bulkhead) {

        public static final RetrySettings DEFAULT = new RetrySettings(6, 20, Duration.ofSeconds(1), Duration.ofSeconds(30),
                20, 80f, Duration.ofSeconds(30), 16);

        public RetrySettings(int budget, int abortBudget, Duration initialBackoff, Duration maxBackoff,
                             int breakerWindow, float breakerFailureRate, Duration breakerOpenFor) {
            this(budget, abortBudget, initialBackoff, maxBackoff, breakerWindow, breakerFailureRate, breakerOpenFor, 16);
        }

        public RetrySettings {
            Checks.atLeast("retry budget", budget, 0);
            Checks.atLeast("abort retry budget", abortBudget, 0);
            Checks.positive("initial backoff", initialBackoff);
            Checks.positive("max backoff", maxBackoff);
            Checks.atLeast("breaker window", breakerWindow, 1);
            Checks.positive("breaker open duration", breakerOpenFor);
            Checks.atLeast("bulkhead", bulkhead, 1);
        }
    }
}
