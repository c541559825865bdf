package io.cutover.istio.internal;

import io.cutover.kubernetes.internal.Kube;
import java.util.function.Supplier;

/**
 * Istio's API calls through the Kubernetes module's: one error classification ({@link Kube#translate})
 * and one conflict policy ({@link Kube#reapplyOnConflict}) for every module on the Kubernetes API.
 */
public final class KubeCalls {

    private KubeCalls() {
    }

    /** Runs one call; {@code operation} is "verb resource" ("update virtualservice shop/myapp"). */
    public static <T> T call(String operation, Supplier<T> call) {
        int space = operation.indexOf(' ');
        return space < 0 ? Kube.call(operation, "", call) : Kube.call(operation.substring(0, space), operation.substring(space + 1), call);
    }

    /** Runs a read-modify-write, re-reading and re-applying it when the server answers 409. */
    public static <T> T reapplyOnConflict(Supplier<T> readModifyWrite) {
        return Kube.reapplyOnConflict(readModifyWrite);
    }
}
