package io.cutover.prometheus.internal;

import io.cutover.CutoverException.Kind;
import io.cutover.prometheus.PrometheusException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/** Turns what the HTTP exchange threw into a {@link PrometheusException} of the right kind. */
public final class TransportFailures {

    private TransportFailures() { }

    public static PrometheusException translate(String operation, URI server, Duration timeout, Throwable cause) {
        if (cause instanceof LimitedBody.TooLargeException) {
            return failure(Kind.PERMANENT, operation, cause.getMessage() + " (raise maxResponseBytes or aggregate the query)", cause);
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return failure(Kind.TRANSIENT, operation, "could not connect to " + server + " within the connect timeout", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return failure(Kind.TRANSIENT, operation, "no answer from " + server + " within " + timeout, cause);
        }
        if (cause instanceof ConnectException) {
            return failure(Kind.TRANSIENT, operation, "connection to " + server + " refused or unreachable", cause);
        }
        if (cause instanceof SSLException && hasCause(cause, CertificateException.class)) {
            return failure(Kind.PERMANENT, operation, "TLS certificate of " + server + " not trusted: " + cause.getMessage()
                    + " (give an SSLContext that trusts it)", cause);
        }
        if (cause instanceof IOException) {
            return failure(Kind.TRANSIENT, operation, "connection to " + server + " failed: " + cause, cause);
        }
        return failure(Kind.PERMANENT, operation, String.valueOf(cause), cause);
    }

    private static PrometheusException failure(Kind kind, String operation, String message, Throwable cause) {
        return new PrometheusException(kind, operation, operation + ": " + message, null, 0, cause);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
