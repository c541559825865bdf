package io.cutover.istio.internal;

import io.cutover.CutoverException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Runs one Kubernetes API call and translates its failure into a {@link CutoverException}. */
public final class KubeCalls {

    private KubeCalls() {
    }

    public static <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw translate(operation, e);
        }
    }

    public static CutoverException translate(String operation, KubernetesClientException e) {
        if (causedBy(e, InterruptedException.class)) {
            Thread.currentThread().interrupt();
            return CutoverException.transientFailure(operation, operation + ": interrupted", e);
        }
        int code = e.getCode();
        String status = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        String message = operation + ": HTTP " + code + (status == null ? "" : " " + status);
        if (code == 409) {
            return CutoverException.conflict(operation, message, e);
        }
        if (code == 429 || code >= 500 || code == 408
                || causedBy(e, TimeoutException.class) || causedBy(e, IOException.class)) {
            return CutoverException.transientFailure(operation, message, e);
        }
        return CutoverException.permanent(operation, message, e);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
