package io.cutover.kubernetes.internal;

import io.cutover.kubernetes.KubernetesCache;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.Objects;

/**
 * Where an adapter reads objects: from the API server on every call, or from a {@link KubernetesCache}
 * (no request once the kind is synced). With a cache, every write's answer is recorded so that the next
 * read sees it, and a read goes to the API server while the watch is down or while a write refused
 * with 409 is re-read ({@link Kube#freshReads()}).
 */
public final class Reads {

    private final KubernetesClient client;
    private final KubernetesCache cache;

    private Reads(KubernetesClient client, KubernetesCache cache) {
        this.client = Objects.requireNonNull(client, "client");
        this.cache = cache;
    }

    /** Reads from the API server on every call. */
    public static Reads direct(KubernetesClient client) {
        return new Reads(client, null);
    }

    /**
     * Reads from {@code cache} when it is not null, else from the API server.
     *
     * @throws IllegalArgumentException when the cache watches through another client than the one the
     *         adapter writes with: its reads could come from another cluster or account
     */
    public static Reads of(KubernetesClient client, KubernetesCache cache) {
        if (cache != null && cache.client() != client) {
            throw new IllegalArgumentException("cache must watch through the adapter's own client: the cache's client is "
                    + cache.client().getMasterUrl() + ", the adapter's " + client.getMasterUrl() + " (another instance)");
        }
        return new Reads(client, cache);
    }

    public KubernetesClient client() {
        return client;
    }

    /** The cache, or {@code null} when reads go to the API server. */
    public KubernetesCache cache() {
        return cache;
    }

    /** {@code namespace/name} of {@code type} ({@code null} when absent); {@code word} names the kind in errors ("deployment"). */
    public <T extends HasMetadata> T get(Class<T> type, String namespace, String name, String word) {
        return get(type, namespace, name, word, Map.of());
    }

    /**
     * As {@link #get(Class, String, String, String)}, from a cache that watches only the objects carrying
     * {@code labels}: an object without them reads as absent there.
     */
    public <T extends HasMetadata> T get(Class<T> type, String namespace, String name, String word, Map<String, String> labels) {
        if (cache != null && !Kube.freshReads()) {
            Informed<T> informed = cache.informed(type, namespace, labels);
            if (informed.current()) {
                return informed.get(name);
            }
        }
        T fresh = Kube.call("get", word + " " + namespace + "/" + name, () -> client.resources(type).inNamespace(namespace).withName(name).get());
        return cache == null || fresh == null ? fresh : cache.informed(type, namespace, labels).wrote(fresh);
    }

    /**
     * The objects of {@code type} in {@code namespace} carrying {@code labels}: from the cache's watch of
     * the kind, else one list request; {@code what} names them in errors ("replicasets of shop/myapp").
     */
    public <T extends HasMetadata> java.util.List<T> list(Class<T> type, String namespace, Map<String, String> labels, String what) {
        if (cache != null && !Kube.freshReads()) {
            Informed<T> informed = cache.informed(type, namespace);
            if (informed.current()) {
                return informed.list(labels);
            }
        }
        return Kube.call("list", what, () -> client.resources(type).inNamespace(namespace).withLabels(labels).list().getItems());
    }

    /** A custom resource, as {@link #get(Class, String, String, String)}. */
    public GenericKubernetesResource get(ResourceDefinitionContext context, String namespace, String name, String word) {
        if (cache != null && !Kube.freshReads()) {
            Informed<GenericKubernetesResource> informed = cache.informed(context, namespace);
            if (informed.current()) {
                return informed.get(name);
            }
        }
        GenericKubernetesResource fresh = Kube.call("get", word + " " + namespace + "/" + name,
                () -> client.genericKubernetesResources(context).inNamespace(namespace).withName(name).get());
        return cache == null || fresh == null ? fresh : cache.informed(context, namespace).wrote(fresh);
    }

    /** Records the API server's answer to a write of a built-in kind; returns it. */
    public <T extends HasMetadata> T wrote(T answer) {
        return wrote(answer, Map.of());
    }

    /** Records the API server's answer to a write, in the cache of the objects carrying {@code labels}; returns it. */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> T wrote(T answer, Map<String, String> labels) {
        if (cache != null && answer != null) {
            cache.informed((Class<T>) answer.getClass(), answer.getMetadata().getNamespace(), labels).wrote(answer);
        }
        return answer;
    }

    /** Records the API server's answer to a write of a custom resource; returns it. */
    public GenericKubernetesResource wrote(ResourceDefinitionContext context, GenericKubernetesResource answer) {
        if (cache != null && answer != null) {
            cache.informed(context, answer.getMetadata().getNamespace()).wrote(answer);
        }
        return answer;
    }

    /** Records that {@code deleted} (as last read) was deleted. */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> void deleted(T deleted) {
        if (cache != null) {
            cache.informed((Class<T>) deleted.getClass(), deleted.getMetadata().getNamespace())
                    .deleted(deleted.getMetadata().getName(), deleted.getMetadata().getResourceVersion());
        }
    }

    /** Records that {@code namespace/name} of {@code type} (in the cache of the objects carrying {@code labels}) was deleted. */
    public <T extends HasMetadata> void deleted(Class<T> type, String namespace, String name, Map<String, String> labels) {
        if (cache != null) {
            cache.informed(type, namespace, labels).deleted(name, null);
        }
    }

    /**
     * Adds the object's {@code resourceVersion} to a merge patch computed from it when it was read from a
     * cache, so the API server refuses the write (409) if the object changed since; returns the patch.
     */
    public java.util.Map<String, Object> guarded(java.util.Map<String, Object> patch, HasMetadata readFrom) {
        if (cache != null && readFrom.getMetadata().getResourceVersion() != null) {
            Raw.child(patch, "metadata").put("resourceVersion", readFrom.getMetadata().getResourceVersion());
        }
        return patch;
    }
}
