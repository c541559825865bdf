package io.cutover.kubernetes.internal;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind in one namespace as a shared informer sees it, plus what this process wrote itself.
 *
 * <p>A write's answer from the API server is newer than the watch until the watch delivers it; so a
 * written object (or a deletion) is kept beside the informer's store and read instead of the store's
 * copy until the store has caught up: it shows that {@code resourceVersion} or a later one (compared as
 * numbers, as the API server issues them; when one is not a number, until the watch delivers any event
 * for that name). Every read returns a copy: the store's objects are shared and never mutated.
 *
 * <p>Listeners are kept by object name, so an event wakes only the rollouts that read that object.
 */
public final class Informed<T extends HasMetadata> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Informed.class);

    private record Written<T>(T object, String resourceVersion, long eventsBefore) { }

    private final String namespace;
    private final String what;
    private final SharedIndexInformer<T> informer;
    private final KubernetesSerialization serialization;
    private final Map<String, Written<T>> written = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> events = new ConcurrentHashMap<>();
    private final Map<String, Set<Runnable>> listeners = new ConcurrentHashMap<>();

    /** Wraps an informer not yet started; {@code what} names the kind in logs ("deployments"). */
    public Informed(String namespace, String what, SharedIndexInformer<T> informer, KubernetesSerialization serialization) {
        this.namespace = namespace;
        this.what = what;
        this.informer = informer;
        this.serialization = serialization;
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override public void onAdd(T obj) { changed(obj); }
            @Override public void onUpdate(T oldObj, T newObj) { changed(newObj); }
            @Override public void onDelete(T obj, boolean finalStateUnknown) { changed(obj); }
        });
    }

    public SharedIndexInformer<T> informer() {
        return informer;
    }

    /** Whether the informer has listed the namespace and holds a watch open: only then are its reads current. */
    public boolean current() {
        return informer.hasSynced() && informer.isWatching();
    }

    /** The object as last seen (by the watch or by this process's own writes), a copy; {@code null} when absent. */
    public T get(String name) {
        T seen = informer.getStore().getByKey(namespace + "/" + name);
        Written<T> w = written.get(name);
        if (w != null) {
            if (!caughtUp(seen, w, eventCount(name))) {
                return w.object == null ? null : copy(w.object);
            }
            written.remove(name, w);
        }
        return seen == null ? null : copy(seen);
    }

    /** Copies of the objects the watch sees that carry every one of {@code labels}. */
    public java.util.List<T> list(Map<String, String> labels) {
        return informer.getStore().list().stream()
                .filter(o -> {
                    Map<String, String> l = o.getMetadata().getLabels();
                    return labels.entrySet().stream().allMatch(e -> l != null && e.getValue().equals(l.get(e.getKey())));
                })
                .map(this::copy).toList();
    }

    /** Records the API server's answer to a write (or a fresh read) of an object of this kind. */
    public T wrote(T answer) {
        if (answer != null && answer.getMetadata() != null && answer.getMetadata().getName() != null) {
            String name = answer.getMetadata().getName();
            written.put(name, new Written<>(copy(answer), answer.getMetadata().getResourceVersion(), eventCount(name)));
        }
        return answer;
    }

    /** Records that this process deleted {@code name}, last seen at {@code resourceVersion}. */
    public void deleted(String name, String resourceVersion) {
        written.put(name, new Written<>(null, resourceVersion, eventCount(name)));
    }

    /** Calls {@code listener} on every event for {@code name} until the returned handle runs. */
    public Runnable listen(String name, Runnable listener) {
        Set<Runnable> set = listeners.computeIfAbsent(name, n -> new CopyOnWriteArraySet<>());
        set.add(listener);
        return () -> set.remove(listener);
    }

    /** Listeners registered now, over every name (for tests and figures). */
    public int listenerCount() {
        return listeners.values().stream().mapToInt(Set::size).sum();
    }

    private void changed(T obj) {
        if (obj == null || obj.getMetadata() == null) {
            return;
        }
        String name = obj.getMetadata().getName();
        events.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
        Set<Runnable> set = listeners.get(name);
        if (set != null) {
            for (Runnable r : set) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.warn("a listener on {} {}/{} failed; ignored", what, namespace, name, e);
                }
            }
        }
    }

    private long eventCount(String name) {
        AtomicLong n = events.get(name);
        return n == null ? 0 : n.get();
    }

    private static <T extends HasMetadata> boolean caughtUp(T seen, Written<T> w, long eventsNow) {
        String seenVersion = seen == null ? null : seen.getMetadata().getResourceVersion();
        if (w.object == null) {
            // our deletion: caught up when the store lost the object, or holds one created after it
            int c = seen == null ? 0 : Versions.compare(seenVersion, w.resourceVersion);
            return seen == null || (c == Versions.UNORDERED ? eventsNow > w.eventsBefore : c > 0);
        }
        if (seen == null) {
            return false;
        }
        int c = Versions.compare(seenVersion, w.resourceVersion);
        return c == Versions.UNORDERED ? Objects.equals(seenVersion, w.resourceVersion) || eventsNow > w.eventsBefore : c >= 0;
    }

    private T copy(T object) {
        return serialization.clone(object);
    }

    /** Stops the informer and waits (at most {@code millis}) until its watch is closed. */
    public void close(long millis) {
        listeners.clear();
        informer.close();
        try {
            informer.stopped().toCompletableFuture().get(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debug("{} did not report stopped: {}", this, e.toString());
        }
    }

    @Override
    public void close() {
        close(0);
    }

    @Override
    public String toString() {
        return "Informed[" + what + " in " + namespace + "]";
    }

    /** Orders resourceVersions where both are numbers. */
    static final class Versions {
        static final int UNORDERED = Integer.MIN_VALUE;

        private Versions() { }

        static int compare(String a, String b) {
            try {
                return Long.compare(Long.parseLong(a), Long.parseLong(b));
            } catch (NumberFormatException | NullPointerException e) {
                return UNORDERED;
            }
        }
    }
}
