package io.cutover.kubernetes.argo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A value of the parsed manifest with its path, so every error names the field it is about. */
record Node(String path, Object value) {

    boolean missing() {
        return value == null;
    }

    Node get(String key) {
        return new Node(path.isEmpty() ? key : path + "." + key, map().get(key));
    }

    boolean has(String key) {
        return map().get(key) != null;
    }

    Map<String, Object> map() {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw error("must be an object, not " + describe(value));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    List<Node> list() {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> l)) {
            throw error("must be a list, not " + describe(value));
        }
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            out.add(new Node(path + "[" + i + "]", l.get(i)));
        }
        return out;
    }

    String text() {
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw error(value == null ? "is required" : "must be a non-empty string, not " + describe(value));
    }

    int integer(int min, int max) {
        long v;
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            v = ((Number) value).longValue();
        } else if (value instanceof String s && s.matches("-?\\d{1,10}")) {
            v = Long.parseLong(s);
        } else {
            throw error(value == null ? "is required" : "must be a whole number, not " + describe(value));
        }
        if (v < min || v > max) {
            throw error("must be within " + min + ".." + max + ": " + v);
        }
        return (int) v;
    }

    boolean bool() {
        if (value instanceof Boolean b) {
            return b;
        }
        throw error("must be true or false, not " + describe(value));
    }

    /**
     * Refuses every key but {@code known}: a key in {@code unsupported} is named with its reason, any
     * other as unknown. Known keys with a null value count as absent.
     */
    void only(Set<String> known, Map<String, String> unsupported) {
        for (Map.Entry<String, Object> e : map().entrySet()) {
            if (e.getValue() == null || known.contains(e.getKey())) {
                continue;
            }
            String reason = unsupported.get(e.getKey());
            throw get(e.getKey()).error(reason != null ? "no Cutover equivalent: " + reason
                    : "unknown field, or one with no Cutover equivalent");
        }
    }

    UnsupportedFieldException error(String message) {
        return new UnsupportedFieldException(path.isEmpty() ? "(root)" : path, message);
    }

    private static String describe(Object v) {
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "a list";
        }
        String s = String.valueOf(v);
        return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
    }
}
