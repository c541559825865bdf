package io.cutover;

/**
 * The one unchecked exception Cutover throws. {@link #kind()} tells the engine whether repeating
 * the call can help; adapters translate their platform's exceptions into it at their boundary.
 */
public class CutoverException extends RuntimeException {

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

    private final Kind kind;
    private final String operation;

    public CutoverException(Kind kind, String operation, String message, Throwable cause) {
        super(message, cause);
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
        this.operation = operation;
    }

    public CutoverException(Kind kind, String operation, String message) {
        this(kind, operation, message, null);
    }

    public static CutoverException transientFailure(String operation, String message, Throwable cause) {
        return new CutoverException(Kind.TRANSIENT, operation, message, cause);
    }

    public static CutoverException conflict(String operation, String message, Throwable cause) {
        return new CutoverException(Kind.CONFLICT, operation, message, cause);
    }

    public static CutoverException permanent(String operation, String message, Throwable cause) {
        return new CutoverException(Kind.PERMANENT, operation, message, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The platform operation that failed (for example {@code "patch service myapp"}), or {@code null}. */
    public String operation() {
        return operation;
    }

    public boolean isRetryable() {
        return kind == Kind.TRANSIENT || kind == Kind.CONFLICT;
    }
}
