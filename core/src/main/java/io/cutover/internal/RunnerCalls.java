package io.cutover.internal;

import io.cutover.CutoverException;
import io.cutover.time.Scheduler;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * One rollout's door to its target: every SPI call of the rollout goes through here. With an
 * executor (the default on a real scheduler) each call runs on a thread of its own under a deadline
 * measured on the engine's scheduler, so a call that hangs holds neither the rollout's lock nor an
 * engine thread: past its deadline it is a transient failure, and its thread is interrupted and
 * counted against the target's bulkhead until it returns. Without an executor (the default on a
 * virtual scheduler, where runs must be deterministic) calls run on the tick's thread, and one that
 * took longer than its deadline in virtual time (it advanced the scheduler) is past its deadline.
 *
 * <p>Every platform write is preceded by the rollout's ownership check, so an engine another one
 * has taken the rollout from writes nothing.
 */
final class RunnerCalls {

    /** Thrown into a tick waiting on a read when a person's operation should not wait for it. */
    static final class Abandoned extends RuntimeException {
        Abandoned(String why) {
            super(why, null, false, false);
        }
    }

    private final PlatformCalls shared;
    private final Scheduler scheduler;
    private final ExecutorService executor;
    private final Duration platformDeadline;
    private final Runnable ownershipCheck;
    private final java.util.function.BooleanSupplier operationsWaiting;
    private volatile CompletableFuture<?> waitingRead;

    RunnerCalls(PlatformCalls shared, EngineContext ctx, Runnable ownershipCheck, java.util.function.BooleanSupplier operationsWaiting) {
        this.operationsWaiting = operationsWaiting;
        this.shared = shared;
        this.scheduler = ctx.scheduler();
        this.executor = ctx.callExecutor();
        this.platformDeadline = ctx.callDeadline();
        this.ownershipCheck = ownershipCheck;
    }

    PlatformCalls shared() {
        return shared;
    }

    /** A platform read under the platform deadline; {@code null} is a transient failure. */
    <T> T read(String operation, Supplier<T> call) {
        shared.countRead();
        return PlatformCalls.present(operation, run(operation, platformDeadline, call, true, true));
    }

    /**
     * A platform write under the platform deadline, never abandoned. The ownership check runs on the
     * call's own thread immediately before the adapter is called (after the bulkhead and the hand-off
     * to a call thread; only the breaker's admission lies between), so an engine that another one
     * claimed the rollout from while its write waited makes no write.
     */
    void write(String operation, Runnable call) {
        run(operation, platformDeadline, () -> {
            ownershipCheck.run();
            shared.countWrite();
            return shared.guarded(operation, () -> {
                call.run();
                return null;
            });
        }, false, false);
    }

    /**
     * A state-store call under the platform deadline, outside the breaker, never abandoned: a store that
     * hangs holds neither the rollout's lock nor its tick past the deadline. What it throws unclassified is
     * a transient failure of the store.
     */
    <T> T store(String operation, Supplier<T> call) {
        return store(operation, platformDeadline, call);
    }

    /**
     * The store's load for the ownership check inside a write: a third of the platform deadline, so a
     * store that hangs leaves the write itself the rest of its deadline instead of spending all of it.
     */
    <T> T storeForCheck(String operation, Supplier<T> call) {
        return store(operation, platformDeadline.dividedBy(3), call);
    }

    private <T> T store(String operation, Duration deadline, Supplier<T> call) {
        return run(operation, deadline, () -> {
            try {
                return call.get();
            } catch (CutoverException | io.cutover.sim.SimulatedCrash e) {
                throw e;
            } catch (RuntimeException | Error e) {
                throw CutoverException.transientFailure(operation, "state store failed: " + e, e);
            }
        }, false, false);
    }

    /**
     * A call that is not a platform read or write (a gate, a hook, a probe) under its own deadline, outside
     * the breaker; a person's abort or pause does not wait for it.
     */
    <T> T timed(String operation, Duration deadline, Supplier<T> call) {
        return run(operation, deadline, call, false, true);
    }

    /** Wakes a tick waiting on a read, gate or hook (never a write, whose effect must be known). */
    void abandon(String why) {
        CompletableFuture<?> waiting = waitingRead;
        if (waiting != null) {
            waiting.completeExceptionally(new Abandoned(why));
        }
    }

    private void pastDeadline(String operation, Duration deadline, java.time.Instant started) {
        if (started != null && Duration.between(started, ((VirtualScheduler) scheduler).now()).compareTo(deadline) > 0) {
            throw CutoverException.transientFailure(operation, operation + " gave no answer within its deadline of " + deadline, null);
        }
    }

    private <T> T run(String operation, Duration deadline, Supplier<T> call, boolean breaker, boolean abandonable) {
        Supplier<T> body = breaker ? () -> shared.guarded(operation, call) : call;
        if (executor == null) {
            // on virtual time a call that took longer than its deadline (it advanced the clock) is past it,
            // whatever it answered: measured on the scheduler, as the timer of an isolated call is
            java.time.Instant started = scheduler instanceof VirtualScheduler v ? v.now() : null;
            T answer;
            try {
                answer = body.get();
            } catch (Throwable e) {
                CutoverException failure = PlatformCalls.translate(operation, e);
                if (!(failure instanceof io.cutover.state.StateConflictException)) {
                    pastDeadline(operation, deadline, started);
                }
                throw failure;
            }
            pastDeadline(operation, deadline, started);
            return answer;
        }
        shared.enter(operation);
        CompletableFuture<T> answer = new CompletableFuture<>();
        // the deadline is on the scheduler before the call starts: a test on virtual time that sees the call
        // hang finds its deadline queued
        Scheduler.Cancellable timer = scheduler.schedule(() -> answer.completeExceptionally(
                CutoverException.transientFailure(operation, operation + " gave no answer within its deadline of " + deadline, null)),
                deadline);
        Future<?> running;
        try {
            running = executor.submit(() -> {
                try {
                    answer.complete(body.get());
                } catch (Throwable e) {
                    answer.completeExceptionally(e);
                } finally {
                    shared.leave();
                }
            });
        } catch (RuntimeException rejected) {
            shared.leave();
            timer.cancel();
            throw CutoverException.transientFailure(operation, "engine is shutting down; not calling " + operation, rejected);
        }
        if (abandonable) {
            waitingRead = answer;
            if (operationsWaiting.getAsBoolean()) {
                answer.completeExceptionally(new Abandoned("an operation is waiting"));
            }
        }
        try {
            return answer.join();
        } catch (CompletionException e) {
            running.cancel(true);
            Throwable cause = e.getCause();
            if (cause instanceof Abandoned a) {
                throw a;
            }
            throw PlatformCalls.translate(operation, cause);
        } catch (java.util.concurrent.CancellationException e) {
            throw CutoverException.transientFailure(operation, operation + " was cancelled", e);
        } finally {
            timer.cancel();
            if (abandonable) {
                waitingRead = null;
            }
        }
    }
}
