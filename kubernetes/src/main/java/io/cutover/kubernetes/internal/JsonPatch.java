package io.cutover.kubernetes.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 6902 JSON Patch built against the live object it will be applied to. It is how Cutover
 * changes one element of a list (a container's image, an HTTPRoute's rules) without sending the
 * rest: a merge patch would replace the whole list. {@link #expectVersion} makes the patch
 * conditional: the API server answers 409 when the object changed since it was read.
 */
public final class JsonPatch {

    private final Map<String, Object> live;
    private final List<Map<String, Object>> ops = new ArrayList<>();

    /** A patch against {@code live} (the object's JSON tree, used to know which maps already exist). */
    public JsonPatch(Map<String, Object> live) {
        this.live = live;
    }

    /** Fails with 409 unless the object still has {@code resourceVersion}. */
    public JsonPatch expectVersion(String resourceVersion) {
        return op("replace", "/metadata/resourceVersion", resourceVersion);
    }

    /** Sets the value at {@code path} (segments), which must exist in the live object. */
    public JsonPatch replace(Object value, Object... path) {
        return op("replace", pointer(path), value);
    }

    /**
     * Sets {@code key} in the map at {@code mapPath}, creating the map when the live object has none.
     */
    @SuppressWarnings("unchecked")
    public JsonPatch put(String key, Object value, Object... mapPath) {
        Object parent = null;
        Object node = live;
        for (Object segment : mapPath) {
            parent = node;
            node = node instanceof Map<?, ?> m ? m.get(segment) : node instanceof List<?> l ? l.get((Integer) segment) : null;
        }
        if (node instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).put(key, value); // keep our view of the tree current for later puts
            return op("add", pointer(mapPath) + "/" + escape(key), value);
        }
        Map<String, Object> created = new LinkedHashMap<>();
        created.put(key, value);
        if (parent instanceof Map<?, ?> p && mapPath.length > 0) {
            ((Map<String, Object>) p).put(String.valueOf(mapPath[mapPath.length - 1]), new LinkedHashMap<>(created));
        }
        return op("add", pointer(mapPath), created);
    }

    /** Removes the value at {@code path} (segments), which must exist in the live object. */
    public JsonPatch remove(Object... path) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("op", "remove");
        o.put("path", pointer(path));
        ops.add(o);
        return this;
    }

    public boolean isEmpty() {
        return ops.stream().noneMatch(o -> !"/metadata/resourceVersion".equals(o.get("path")));
    }

    public List<Map<String, Object>> ops() {
        return List.copyOf(ops);
    }

    private JsonPatch op(String op, String path, Object value) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("op", op);
        o.put("path", path);
        o.put("value", value);
        ops.add(o);
        return this;
    }

    private static String pointer(Object... path) {
        StringBuilder s = new StringBuilder();
        for (Object segment : path) {
            s.append('/').append(escape(String.valueOf(segment)));
        }
        return s.toString();
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
