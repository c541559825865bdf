package io.cutover.spi;

/** The outcome of a hook. */
public record HookResult(boolean passed, String message) {

    /**
     * The hook passed, with nothing to say.
     *
     * @return a passing result
     */
    public static HookResult pass() {
        return new HookResult(true, "ok");
    }

    /**
     * The hook passed.
     *
     * @param message what it did, for people
     * @return a passing result
     */
    public static HookResult pass(String message) {
        return new HookResult(true, message);
    }

    /**
     * The hook failed: before traffic moves this aborts the rollout.
     *
     * @param message why, for people and the rollout's reason
     * @return a failing result
     */
    public static HookResult fail(String message) {
        return new HookResult(false, message);
    }
}
