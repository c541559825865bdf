package io.cutover.kubernetes.internal;

import io.cutover.CutoverException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InterruptedIOException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter's boundary with the API server: every call goes through {@link #call}, which turns
 * fabric8's exceptions into {@link CutoverException}s naming the verb and the resource, and
 * {@link #reapplyOnConflict} re-reads and re-applies a write the server refused with 409.
 */
public final class Kube {

    /** How many times a write refused with 409 is re-read and re-applied before CONFLICT reaches the engine. */
    public static final int CONFLICT_ATTEMPTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(Kube.class);
    /** Set while a write refused with 409 runs again: its reads go to the API server, not to a watch cache. */
    private static final ThreadLocal<Boolean> FRESH = ThreadLocal.withInitial(() -> false);

    private Kube() { }

    /** Runs one API call; {@code verb} and {@code resource} name it in errors ("patch", "service prod/myapp"). */
    public static <T> T call(String verb, String resource, Supplier<T> body) {
        try {
            return body.get();
        } catch (KubernetesClientException e) {
            throw translate(verb, resource, e);
        }
    }

    public static void run(String verb, String resource, Runnable body) {
        call(verb, resource, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Runs a read-modify-write; when the server answers 409 (someone changed the object since it was
     * read) the whole body runs again, reading the object afresh from the API server (never from a
     * watch cache, which may not have seen the change yet), at most {@link #CONFLICT_ATTEMPTS} times.
     */
    public static <T> T reapplyOnConflict(Supplier<T> readModifyWrite) {
        CutoverException last = null;
        for (int attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt++) {
            boolean outer = FRESH.get();
            try {
                FRESH.set(outer || attempt > 1);
                return readModifyWrite.get();
            } catch (CutoverException e) {
                if (e.kind() != CutoverException.Kind.CONFLICT) {
                    throw e;
                }
                last = e;
                LOG.debug("{} conflicted (attempt {} of {}), re-reading", e.operation(), attempt, CONFLICT_ATTEMPTS);
            } finally {
                FRESH.set(outer);
            }
        }
        throw last;
    }

    /** Whether reads on this thread must go to the API server: a write refused with 409 is being re-read. */
    public static boolean freshReads() {
        return FRESH.get();
    }

    /**
     * The {@link CutoverException} for a failed call, for every module on the Kubernetes API (Istio's
     * included): 409 CONFLICT, 408/429/5xx/no answer TRANSIENT, the rest PERMANENT.
     */
    public static CutoverException translate(String verb, String resource, KubernetesClientException e) {
        String operation = verb + " " + resource;
        if (interrupted(e)) {
            Thread.currentThread().interrupt();
            return CutoverException.transientFailure(operation, operation + " was interrupted", e);
        }
        int code = e.getCode();
        // what the API server (or a proxy before it) answered: cleaned before it reaches a message, the state or a log
        String detail = io.cutover.internal.Redaction.text(
                e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage());
        if (code == 409) {
            return CutoverException.conflict(operation, operation + " conflicted (409): " + detail, e);
        }
        if (code == 408) {
            return CutoverException.transientFailure(operation, operation + " timed out on the server (408): " + detail, e);
        }
        if (code == 429) {
            return CutoverException.transientFailure(operation, operation + " was throttled (429): " + detail, e);
        }
        if (code >= 500 || code <= 0) {
            String what = code <= 0 ? "got no answer" : "failed on the server (" + code + ")";
            return CutoverException.transientFailure(operation, operation + " " + what + ": " + detail, e);
        }
        String why = switch (code) {
            case 401 -> "is not authenticated (401)";
            case 403 -> "is forbidden (403): the account needs '" + verb + "' on " + kindOf(resource) + " (see the RBAC Role in the README)";
            case 404 -> "found nothing (404)";
            case 400, 422 -> "was rejected as invalid (" + code + ")";
            default -> "failed (" + code + ")";
        };
        return CutoverException.permanent(operation, operation + " " + why + ": " + detail, e);
    }

    private static String kindOf(String resource) {
        int space = resource.indexOf(' ');
        return space < 0 ? resource : resource.substring(0, space) + "s";
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || (t instanceof InterruptedIOException && !(t instanceof java.net.SocketTimeoutException))) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }
}
