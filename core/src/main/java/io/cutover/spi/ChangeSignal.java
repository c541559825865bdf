package io.cutover.spi;

/**
 * Tells the engine that something an adapter watches has changed, so that a rollout waiting for the
 * platform (replicas to become ready...) looks again at once instead of after the poll interval. The
 * poll stays as the fallback: a signal only makes a look come sooner, never replaces it, so a lost or
 * spurious signal costs at most one poll interval or one extra look.
 *
 * <pre>{@code
 * Target target = Target.builder("myapp").workloads(w).router(r)
 *         .changes(listener -> cache.onChange(listener))   // e.g. a watch on the app's objects
 *         .build();
 * }</pre>
 *
 * <p>Listeners may be called on any thread, more than once, and for changes that turn out not to
 * matter; they return at once. The default {@link #NONE} never signals.
 */
@FunctionalInterface
public interface ChangeSignal {

    /** Never signals: the engine polls. */
    ChangeSignal NONE = listener -> () -> { };

    /**
     * Calls {@code listener} whenever something watched changes, until the returned handle is
     * cancelled.
     *
     * @param listener what to call on a change; returns at once
     * @return the handle that stops the calls
     */
    Subscription subscribe(Runnable listener);

    /** A registration of a listener. */
    @FunctionalInterface
    interface Subscription {
        /** Stops calling the listener; calling it again does nothing. */
        void cancel();
    }
}
