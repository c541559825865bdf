package io.cutover.spi;

import java.time.Duration;

/**
 * Code run at a lifecycle stage of a rollout. A thrown exception (of any kind), a {@code null} result
 * or a run longer than {@link #timeout()} counts as a failed hook.
 */
@FunctionalInterface
public interface Hook {

    /** How long the engine waits for a hook when none is given: 5 minutes. */
    Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    /**
     * Runs the hook for one stage of one rollout.
     *
     * @param context the rollout, stage, revisions and instant
     * @return pass or fail, with a message for people
     */
    HookResult run(HookContext context);

    /**
     * A stable name for plans, logs and the plan fingerprint. The default is the implementing class's
     * name, or {@code "hook"} for a lambda (whose class name differs between JVMs).
     *
     * @return the name
     */
    default String name() {
        Class<?> type = getClass();
        return type.isSynthetic() || type.isHidden() || type.isAnonymousClass() ? "hook" : type.getName();
    }

    /**
     * How long the engine waits for {@link #run}; past it the hook has failed.
     *
     * @return the timeout; {@link #DEFAULT_TIMEOUT} (5 minutes) by default
     */
    default Duration timeout() {
        return DEFAULT_TIMEOUT;
    }
}
