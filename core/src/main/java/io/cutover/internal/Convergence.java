package io.cutover.internal;

import io.cutover.CutoverException;
import io.cutover.spi.RouterCapability;
import java.util.Set;

/**
 * What a read-back that does not show a write yet means. On a platform that converges on its own
 * schedule ({@link RouterCapability#CONVERGING}) it is a wait: the step polls again within its progress
 * deadline and no failed attempt is counted. Elsewhere it is a transient failure the retry budget counts.
 */
final class Convergence {

    /** A write the platform accepted and does not show yet; the step waits for it. */
    static final class NotYet extends RuntimeException {
        NotYet(String what) {
            super(what, null, false, false);
        }
    }

    private final boolean converging;

    Convergence(Set<RouterCapability> capabilities) {
        this.converging = capabilities.contains(RouterCapability.CONVERGING);
    }

    boolean converging() {
        return converging;
    }

    /** The exception to throw when a read-back after {@code operation} does not show it: {@code what} says what it shows. */
    RuntimeException notShown(String operation, String what) {
        return converging ? new NotYet(what) : CutoverException.transientFailure(operation, what, null);
    }
}
