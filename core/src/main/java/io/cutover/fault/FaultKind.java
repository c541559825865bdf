package io.cutover.fault;

/** What can go wrong with one call. */
public enum FaultKind {
    /** A {@link io.cutover.CutoverException} of kind TRANSIENT (throttling, 5xx, a timeout) before the call. */
    TRANSIENT,
    /** A {@link io.cutover.CutoverException} of kind CONFLICT before the call. */
    CONFLICT,
    /** A {@link io.cutover.CutoverException} of kind PERMANENT (forbidden, not found) before the call. */
    PERMANENT,
    /** A {@link io.cutover.CutoverException} of kind STATE before the call. */
    STATE,
    /** An unchecked exception that is not a Cutover one ({@link IllegalStateException}). */
    UNCHECKED,
    /** An {@link Error} ({@link StackOverflowError}, {@link NoSuchMethodError}, {@link ExceptionInInitializerError}, in turn). */
    ERROR,
    /** A {@code null} answer where one was due (a read); on a write, the call is skipped and returns normally. */
    NULL,
    /** The call never returns (until its thread is interrupted or the injector is released). */
    HANG,
    /** The call returns, after the injector's slow delay measured on its scheduler. */
    SLOW,
    /** The call takes effect and then the caller gets a transient failure (the response was lost). */
    LOST_RESPONSE,
    /** A read answers what it answered the time before (a stale cache); on a write, as LOST_RESPONSE. */
    STALE_READ;

    /**
     * Every kind that fails fast (no hang, no delay).
     *
     * @return the kinds, a new set each call
     */
    public static java.util.Set<FaultKind> quick() {
        return java.util.EnumSet.complementOf(java.util.EnumSet.of(HANG, SLOW));
    }
}
