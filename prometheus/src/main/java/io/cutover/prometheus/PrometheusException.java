package io.cutover.prometheus;

import io.cutover.CutoverException;

/**
 * A query that did not give an answer: the server said {@code status: error}, the HTTP exchange
 * failed, or the body was not a Prometheus answer. {@link #kind()} says whether trying again may help.
 */
public final class PrometheusException extends CutoverException {

    private final String errorType;
    private final int statusCode;

    public PrometheusException(Kind kind, String operation, String message, String errorType, int statusCode, Throwable cause) {
        super(kind, operation, message, cause);
        this.errorType = errorType;
        this.statusCode = statusCode;
    }

    /** The server's {@code errorType} ({@code bad_data}, {@code timeout}, ...), or {@code null} if it sent none. */
    public String errorType() {
        return errorType;
    }

    /** The HTTP status code, or 0 when no response arrived. */
    public int statusCode() {
        return statusCode;
    }
}
