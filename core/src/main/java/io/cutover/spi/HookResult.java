package io.cutover.spi;

/** The outcome of a hook. */
public record HookResult(boolean passed, String message) {

    public static HookResult pass() {
        return new HookResult(true, "ok");
    }

    public static HookResult pass(String message) {
        return new HookResult(true, message);
    }

    public static HookResult fail(String message) {
        return new HookResult(false, message);
    }
}
