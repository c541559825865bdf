package io.cutover;

/**
 * The one unchecked exception Cutover throws. {@link #kind()} tells the engine whether repeating
 * the call can help; adapters translate their platform's exceptions into it at their boundary.
 */
public class CutoverException extends RuntimeException {

    /** What a failure means for the caller: whether the same call may succeed later. */
    public enum Kind {
        /** Throttling, 5xx, timeouts: the same call may succeed later. */
        TRANSIENT,
        /** A concurrent change: re-read and re-apply. */
        CONFLICT,
        /** Forbidden, not found, invalid: repeating will not help. */
        PERMANENT,
        /** Stored state that cannot be read or does not fit. */
        STATE
    }

    /** What the failure means for the caller. */
    private final Kind kind;
    /** The operation that failed, or {@code null}. */
    private final String operation;

    /**
     * A failure of {@code operation}.
     *
     * @param kind      what it means for the caller
     * @param operation the operation that failed, such as {@code "patch service myapp"}, or {@code null}
     * @param message   what went wrong; never a credential
     * @param cause     the platform's exception, or {@code null}
     */
    public CutoverException(Kind kind, String operation, String message, Throwable cause) {
        super(message, cause);
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
        this.operation = operation;
    }

    /**
     * A failure of {@code operation} without an underlying exception.
     *
     * @param kind      what it means for the caller
     * @param operation the operation that failed, or {@code null}
     * @param message   what went wrong; never a credential
     */
    public CutoverException(Kind kind, String operation, String message) {
        this(kind, operation, message, null);
    }

    /**
     * A failure that may pass: throttling, 5xx, a timeout.
     *
     * @param operation the operation that failed
     * @param message   what went wrong
     * @param cause     the platform's exception, or {@code null}
     * @return an exception of kind {@link Kind#TRANSIENT}
     */
    public static CutoverException transientFailure(String operation, String message, Throwable cause) {
        return new CutoverException(Kind.TRANSIENT, operation, message, cause);
    }

    /**
     * A concurrent change: re-read and re-apply.
     *
     * @param operation the operation that failed
     * @param message   what went wrong
     * @param cause     the platform's exception, or {@code null}
     * @return an exception of kind {@link Kind#CONFLICT}
     */
    public static CutoverException conflict(String operation, String message, Throwable cause) {
        return new CutoverException(Kind.CONFLICT, operation, message, cause);
    }

    /**
     * A failure that repeating will not fix: forbidden, not found, invalid.
     *
     * @param operation the operation that failed
     * @param message   what went wrong
     * @param cause     the platform's exception, or {@code null}
     * @return an exception of kind {@link Kind#PERMANENT}
     */
    public static CutoverException permanent(String operation, String message, Throwable cause) {
        return new CutoverException(Kind.PERMANENT, operation, message, cause);
    }

    /**
     * What the failure means for the caller.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The platform operation that failed.
     *
     * @return the operation, for example {@code "patch service myapp"}, or {@code null}
     */
    public String operation() {
        return operation;
    }

    /**
     * Whether repeating the call may help.
     *
     * @return {@code true} for {@link Kind#TRANSIENT} and {@link Kind#CONFLICT}
     */
    public boolean isRetryable() {
        return kind == Kind.TRANSIENT || kind == Kind.CONFLICT;
    }
}
