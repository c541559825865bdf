package io.cutover.internal;

import io.cutover.state.StateConflictException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One rollout's lock and its queue of operations. Ticks hold the lock; nothing else waits for it. An
 * operation (a person's abort, pause, promote...) is queued and run by whoever holds the lock next,
 * after the step in flight has saved, so it is never lost and never overwritten: at once when the
 * lock is free, at the end of the tick when it is called from a listener inside it or from another
 * thread while a tick runs.
 */
final class Serializer {

    private static final Logger LOG = LoggerFactory.getLogger(Serializer.class);

    private final String rollout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Queue<Runnable> operations = new ConcurrentLinkedQueue<>();
    private final Consumer<StateConflictException> lostOwnership;

    Serializer(String rollout, Consumer<StateConflictException> lostOwnership) {
        this.rollout = rollout;
        this.lostOwnership = lostOwnership;
    }

    boolean operationsWaiting() {
        return !operations.isEmpty();
    }

    boolean heldByThisThread() {
        return lock.isHeldByCurrentThread();
    }

    /** Queues an operation; runs it now when the lock is free. A failure of it reaches the caller when it ran now. */
    void submit(Runnable operation, Runnable wakeTick) {
        operations.add(operation);
        if (!lock.isHeldByCurrentThread()) {
            wakeTick.run();
            drainIfFree();
        }
    }

    /** Runs {@code body} under the lock, then the operations queued meanwhile; failures of those are logged. */
    void locked(Runnable body) {
        lock.lock();
        try {
            withName(body);
            drain();
        } finally {
            lock.unlock();
        }
        quietDrain();
    }

    /** Runs {@code body} only if the lock is free now. */
    boolean tryLocked(Runnable body) {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            body.run();
        } finally {
            lock.unlock();
        }
        return true;
    }

    private void drainIfFree() {
        RuntimeException failure = null;
        while (!operations.isEmpty() && !lock.isHeldByCurrentThread() && lock.tryLock()) {
            try {
                RuntimeException f = drain();
                failure = failure == null ? f : failure;
            } finally {
                lock.unlock();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Applies queued operations; returns the first failure of one (the others still run). */
    private RuntimeException drain() {
        RuntimeException first = null;
        Runnable op;
        while ((op = operations.poll()) != null) {
            try {
                withName(op);
            } catch (StateConflictException e) {
                lostOwnership.accept(e);
            } catch (io.cutover.sim.SimulatedCrash crash) {
                throw crash;
            } catch (RuntimeException e) {
                LOG.warn("rollout {}: an operation could not be applied: {}", rollout, e.toString());
                first = first == null ? e : first;
            }
        }
        return first;
    }

    private void quietDrain() {
        try {
            drainIfFree();
        } catch (RuntimeException e) {
            LOG.debug("operation failure already logged", e);
        }
    }

    /** Runs with the rollout's name in the logging context. */
    void withName(Runnable body) {
        String before = MDC.get("rollout");
        MDC.put("rollout", rollout);
        try {
            body.run();
        } finally {
            if (before == null) {
                MDC.remove("rollout");
            } else {
                MDC.put("rollout", before);
            }
        }
    }
}
