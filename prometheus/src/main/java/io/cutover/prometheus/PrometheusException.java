package io.cutover.prometheus;

import io.cutover.CutoverException;

/**
 * A query that did not give an answer: the server said {@code status: error}, the HTTP exchange
 * failed, or the body was not a Prometheus answer. {@link #kind()} says whether trying again may help.
 */
public final class PrometheusException extends CutoverException {

    /** The server's {@code errorType}, or {@code null}. */
    private final String errorType;
    /** The HTTP status code, or 0. */
    private final int statusCode;

    /**
     * An answer that was not a result.
     *
     * @param kind       whether trying again may help: transient for timeouts, 429 and 5xx
     * @param operation  what was asked, for the message (the query, without credentials)
     * @param message    what went wrong, in the server's words where it sent some
     * @param errorType  the server's {@code errorType}, or {@code null}
     * @param statusCode the HTTP status code, or 0 when no response arrived
     * @param cause      the underlying failure, or {@code null}
     */
    public PrometheusException(Kind kind, String operation, String message, String errorType, int statusCode, Throwable cause) {
        super(kind, operation, message, cause);
        this.errorType = errorType;
        this.statusCode = statusCode;
    }

    /**
     * The server's {@code errorType} ({@code bad_data}, {@code timeout}, ...), or {@code null} if it sent none.
     *
     * @return the error type, or {@code null}
     */
    public String errorType() {
        return errorType;
    }

    /**
     * The HTTP status code of the answer.
     *
     * @return the status code, or 0 when no response arrived
     */
    public int statusCode() {
        return statusCode;
    }
}
