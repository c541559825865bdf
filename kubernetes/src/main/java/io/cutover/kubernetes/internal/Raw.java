package io.cutover.kubernetes.internal;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Objects as plain JSON maps. Writes are JSON merge patches built from the live object, so fields
 * Cutover does not own (and fields the typed model does not know) pass through untouched.
 */
public final class Raw {

    private final KubernetesSerialization serialization;

    public Raw(KubernetesClient client) {
        this.serialization = client.getKubernetesSerialization();
    }

    /** The object as a mutable tree of maps and lists, unknown fields included. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> tree(Object resource) {
        return serialization.convertValue(resource, LinkedHashMap.class);
    }

    public <T> T typed(Map<String, Object> tree, Class<T> type) {
        return serialization.convertValue(tree, type);
    }

    public String json(Object value) {
        return serialization.asJson(value);
    }

    /** The map at {@code key} in {@code map}, created when missing. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> child(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        Map<String, Object> created = new LinkedHashMap<>();
        map.put(key, created);
        return created;
    }

    /** The list at {@code key}, or an empty one (not stored). */
    @SuppressWarnings("unchecked")
    public static List<Object> list(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value instanceof List<?> l ? (List<Object>) l : new ArrayList<>();
    }

    /** A nested map built from alternating keys and a final value: {@code path("spec", "replicas", 3)}. */
    public static Map<String, Object> path(Object... keysThenValue) {
        Object value = keysThenValue[keysThenValue.length - 1];
        for (int i = keysThenValue.length - 2; i >= 0; i--) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put((String) keysThenValue[i], value);
            value = m;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) value;
        return result;
    }

    /** Deep-merges {@code overlay} into {@code base} (maps merge, everything else replaces) and returns {@code base}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overlay) {
        overlay.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m && base.get(k) instanceof Map<?, ?> existing) {
                merge((Map<String, Object>) existing, (Map<String, Object>) m);
            } else {
                base.put(k, v);
            }
        });
        return base;
    }
}
