package io.cutover.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Waits (in real time, bounded) until a watch cache shows every Deployment of a namespace at the
 * version the mock server holds: the test controller writes status on virtual time, and the engine's
 * next status read must see what a real cluster's watch would have delivered by then.
 */
final class CacheCatchUp {

    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private CacheCatchUp() { }

    static void await(KubernetesClient mock, KubernetesCache cache, String namespace) {
        Map<String, String> server = mock.apps().deployments().inNamespace(namespace).list().getItems().stream()
                .collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d.getMetadata().getResourceVersion()));
        long deadline = System.nanoTime() + LIMIT_NANOS;
        while (!caughtUp(server, cache, namespace)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the watch cache did not catch up with " + server + " within 10 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private static boolean caughtUp(Map<String, String> server, KubernetesCache cache, String namespace) {
        for (var e : server.entrySet()) {
            Deployment cached = cache.get(Deployment.class, namespace, e.getKey());
            if (cached == null || Long.parseLong(cached.getMetadata().getResourceVersion()) < Long.parseLong(e.getValue())) {
                return false;
            }
        }
        return cache.informed(Deployment.class, namespace).informer().getStore().list().size() <= server.size();
    }
}
