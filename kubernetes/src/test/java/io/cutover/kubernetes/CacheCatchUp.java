package io.cutover.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Waits (in real time, bounded) until a watch cache shows every Deployment and ReplicaSet of a
 * namespace at the version the mock server holds: the test controller writes them on virtual time,
 * and the engine's next status read must see what a real cluster's watch would have delivered by then.
 */
final class CacheCatchUp {

    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private CacheCatchUp() { }

    /** Waits for the Deployments, and for the ReplicaSets too when {@code replicaSets} (the adapter reads them). */
    static void await(KubernetesClient mock, KubernetesCache cache, String namespace, boolean replicaSets) {
        await(cache, namespace, Deployment.class, mock.apps().deployments().inNamespace(namespace).list().getItems());
        if (replicaSets) {
            await(cache, namespace, ReplicaSet.class, mock.apps().replicaSets().inNamespace(namespace).list().getItems());
        }
    }

    private static <T extends HasMetadata> void await(KubernetesCache cache, String namespace, Class<T> type, List<T> onServer) {
        Map<String, String> server = onServer.stream()
                .collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d.getMetadata().getResourceVersion()));
        long deadline = System.nanoTime() + LIMIT_NANOS;
        while (!caughtUp(server, cache, namespace, type)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the watch cache of " + type.getSimpleName() + "s did not catch up with " + server + " within 10 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private static <T extends HasMetadata> boolean caughtUp(Map<String, String> server, KubernetesCache cache, String namespace, Class<T> type) {
        for (var e : server.entrySet()) {
            T cached = cache.get(type, namespace, e.getKey());
            if (cached == null || Long.parseLong(cached.getMetadata().getResourceVersion()) < Long.parseLong(e.getValue())) {
                return false;
            }
        }
        return cache.informed(type, namespace).informer().getStore().list().size() <= server.size();
    }
}
