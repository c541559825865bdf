package io.cutover.kubernetes;

import io.cutover.CutoverException;
import io.cutover.kubernetes.internal.Informed;
import io.cutover.kubernetes.internal.Kube;
import io.cutover.spi.ChangeSignal;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watch-backed reads for every rollout of an engine: one fabric8 {@code SharedIndexInformer} per kind
 * and namespace, started on the first read of that kind there, shared by every target built with
 * this cache, and stopped by {@link #close()}.
 *
 * <pre>{@code
 * try (KubernetesCache cache = KubernetesCache.of(client)) {           // one per engine (and client)
 *     Target a = KubernetesTarget.canary(client, "prod", "checkout").cache(cache).build();
 *     Target b = KubernetesTarget.blueGreen(client, "prod", "search").cache(cache).build();
 *     // ... run the rollouts; both read Deployments in "prod" from one watch
 * }
 * }</pre>
 *
 * <p><b>Who owns it.</b> The application that builds the engine: it makes one cache per client, hands
 * it to every target, and closes it after the engine; the cache never closes the client. Targets built
 * without a cache read from the API server on every call, as before.
 *
 * <p><b>Reads.</b> Once a kind is synced, reading an object of it costs no request. A write's answer
 * is read until the watch has delivered it (or something newer), so a read-back after a write always
 * sees the write. When the watch is down (the informer is re-listing after an error) reads go to the
 * API server. After a write is refused with 409, the retry reads from the API server.
 *
 * <p><b>Wake-ups.</b> {@link #changes} gives a {@link ChangeSignal} for a few objects: the engine's
 * readiness wait looks again as soon as the watch reports one of them changed; the engine's poll
 * interval is the fallback.
 *
 * <p><b>RBAC.</b> A watched kind needs {@code list} and {@code watch} on it in the namespace (see the
 * README's Role).
 */
public final class KubernetesCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesCache.class);
    private static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final Duration syncTimeout;
    private final Map<String, Informed<?>> informers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private KubernetesCache(KubernetesClient client, Duration syncTimeout) {
        this.client = client;
        this.syncTimeout = syncTimeout;
    }

    /**
     * A cache on {@code client}, waiting at most 30 s for a kind's first list.
     *
     * @param client the client the informers run on
     * @return a new cache
     */
    public static KubernetesCache of(KubernetesClient client) {
        return of(client, DEFAULT_SYNC_TIMEOUT);
    }

    /**
     * A cache on {@code client}, waiting at most {@code syncTimeout} for a kind's first list.
     *
     * @param client the client the informers run on
     * @param syncTimeout how long to wait for a kind's first list; positive
     * @return a new cache
     */
    public static KubernetesCache of(KubernetesClient client, Duration syncTimeout) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(syncTimeout, "syncTimeout");
        if (syncTimeout.isNegative() || syncTimeout.isZero()) {
            throw new IllegalArgumentException("syncTimeout must be positive: " + syncTimeout);
        }
        return new KubernetesCache(client, syncTimeout);
    }

    /**
     * The client the informers run on.
     *
     * @return the client
     */
    public KubernetesClient client() {
        return client;
    }

    /**
     * The object {@code namespace/name} of {@code type} as the watch sees it (a copy), or {@code null} when it does not exist.
     *
     * @param <T> the kind's class
     * @param type the kind
     * @param namespace the namespace
     * @param name the object's name
     * @return a copy of the object, or {@code null}
     */
    public <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        return informed(type, namespace).get(name);
    }

    /**
     * A custom resource ({@code VirtualService}...) as the watch sees it (a copy), or {@code null}.
     *
     * @param context the custom resource's definition
     * @param namespace the namespace
     * @param name the object's name
     * @return a copy of the object, or {@code null}
     */
    public GenericKubernetesResource get(ResourceDefinitionContext context, String namespace, String name) {
        return informed(context, namespace).get(name);
    }

    /**
     * A signal that fires when the watch reports a change of one of the {@code names} of {@code type}
     * in {@code namespace}; for {@link io.cutover.Target.Builder#changes}.
     *
     * @param type the kind
     * @param namespace the namespace
     * @param names the objects' names
     * @return the signal; each subscription starts the kind's informer if needed
     */
    public ChangeSignal changes(Class<? extends HasMetadata> type, String namespace, String... names) {
        Objects.requireNonNull(type, "type");
        DeploymentWorkloads.requireName("namespace", namespace);
        List<String> watched = List.of(names);
        return listener -> {
            Informed<?> informed = informed(type, namespace);
            List<Runnable> cancels = new ArrayList<>();
            for (String n : watched) {
                cancels.add(informed.listen(n, listener));
            }
            return () -> cancels.forEach(Runnable::run);
        };
    }

    /**
     * Informers started so far (one per kind and namespace).
     *
     * @return the number of informers
     */
    public int informerCount() {
        return informers.size();
    }

    /**
     * The informer of a built-in kind in a namespace, started and synced on first use. Not API: adapters use it.
     *
     * @param <T> the kind's class
     * @param type the kind
     * @param namespace the namespace
     * @return the informer
     */
    public <T extends HasMetadata> Informed<T> informed(Class<T> type, String namespace) {
        return informed(type, namespace, Map.of());
    }

    /**
     * The informer of the objects of a built-in kind in a namespace that carry {@code labels} (all of
     * them when empty), started and synced on first use. Not API: adapters use it.
     *
     * @param <T> the kind's class
     * @param type the kind
     * @param namespace the namespace
     * @param labels the labels the objects must carry; empty for all
     * @return the informer
     */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> Informed<T> informed(Class<T> type, String namespace, Map<String, String> labels) {
        String key = HasMetadata.getApiVersion(type) + "/" + HasMetadata.getPlural(type) + "@" + namespace
                + (labels.isEmpty() ? "" : new java.util.TreeMap<>(labels).toString());
        return (Informed<T>) informers.computeIfAbsent(key, k -> start(HasMetadata.getPlural(type), namespace,
                () -> labels.isEmpty() ? client.resources(type).inNamespace(namespace).runnableInformer(0)
                        : client.resources(type).inNamespace(namespace).withLabels(labels).runnableInformer(0)));
    }

    /**
     * The informer of a custom resource in a namespace, started and synced on first use. Not API: adapters use it.
     *
     * @param context the custom resource's definition
     * @param namespace the namespace
     * @return the informer
     */
    @SuppressWarnings("unchecked")
    public Informed<GenericKubernetesResource> informed(ResourceDefinitionContext context, String namespace) {
        String key = context.getGroup() + "/" + context.getVersion() + "/" + context.getPlural() + "@" + namespace;
        return (Informed<GenericKubernetesResource>) informers.computeIfAbsent(key, k -> start(context.getPlural(), namespace,
                () -> client.genericKubernetesResources(context).inNamespace(namespace).runnableInformer(0)));
    }

    private <T extends HasMetadata> Informed<T> start(String plural, String namespace, Supplier<SharedIndexInformer<T>> make) {
        if (closed) {
            throw new IllegalStateException("the Kubernetes cache is closed");
        }
        String what = plural + " in " + namespace;
        SharedIndexInformer<T> informer = Kube.call("watch", plural, make);
        Informed<T> informed = new Informed<>(namespace, plural, informer, client.getKubernetesSerialization());
        try {
            informer.start().toCompletableFuture().get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            informer.close();
            Thread.currentThread().interrupt();
            throw CutoverException.transientFailure("watch " + what, "watch " + what + " was interrupted", e);
        } catch (TimeoutException e) {
            informer.close();
            throw CutoverException.transientFailure("watch " + what, "watch " + what + " did not list within " + syncTimeout, e);
        } catch (ExecutionException | CompletionException e) {
            informer.close();
            if (e.getCause() instanceof KubernetesClientException k) {
                // "list" and "watch" go together in the Role; the 403 message names the kind as Kube's other errors do
                throw Kube.translate("list", plural.replaceAll("s$", "") + " " + namespace + "/*", k);
            }
            throw CutoverException.transientFailure("watch " + what, "watch " + what + " failed: " + e.getCause(), e.getCause());
        }
        LOG.debug("watching {}", what);
        return informed;
    }

    /** Stops every informer and waits (a few seconds at most) until their watches are closed; the client stays open. */
    @Override
    public void close() {
        closed = true;
        informers.values().forEach(i -> i.close(5_000));
        informers.clear();
    }

    @Override
    public String toString() {
        return "KubernetesCache[" + informers.keySet() + "]";
    }
}
