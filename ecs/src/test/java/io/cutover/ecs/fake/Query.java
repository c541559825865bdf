package io.cutover.ecs.fake;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The AWS query protocol both ways: a form body into flattened parameters, and flattened
 * parameters ({@code Actions.member.1.ForwardConfig.TargetGroups.member.2.Weight}) into the XML
 * the service would answer with ({@code <Actions><member><ForwardConfig>...}).
 */
final class Query {

    private Query() { }

    static Map<String, String> parse(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return params;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(k, v);
        }
        return params;
    }

    /** The parameters under {@code prefix.}, with the prefix removed. */
    static Map<String, String> under(Map<String, String> params, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (k.startsWith(prefix + ".")) {
                out.put(k.substring(prefix.length() + 1), v);
            }
        });
        return out;
    }

    /** The values of a list parameter {@code name.member.N}, in order. */
    static java.util.List<String> list(Map<String, String> params, String name) {
        TreeMap<Integer, String> items = new TreeMap<>();
        under(params, name + ".member").forEach((k, v) -> {
            if (k.matches("\\d+")) {
                items.put(Integer.parseInt(k), v);
            }
        });
        return java.util.List.copyOf(items.values());
    }

    /** Renders flattened parameters as XML elements. */
    static String xml(Map<String, String> flat) {
        Node root = new Node();
        flat.forEach((k, v) -> {
            Node n = root;
            for (String part : k.split("\\.")) {
                n = n.children.computeIfAbsent(part, p -> new Node());
            }
            n.value = v;
        });
        StringBuilder out = new StringBuilder();
        render(root, out);
        return out.toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final class Node {
        final Map<String, Node> children = new LinkedHashMap<>();
        String value;

        boolean indexed() {
            return !children.isEmpty() && children.keySet().stream().allMatch(k -> k.matches("\\d+"));
        }
    }

    private static void render(Node node, StringBuilder out) {
        node.children.forEach((name, child) -> {
            if (child.indexed()) {
                new TreeMap<>(child.children.entrySet().stream().collect(
                        java.util.stream.Collectors.toMap(e -> Integer.parseInt(e.getKey()), Map.Entry::getValue)))
                        .values().forEach(item -> element(name, item, out));
            } else {
                element(name, child, out);
            }
        });
    }

    private static void element(String name, Node node, StringBuilder out) {
        out.append('<').append(name).append('>');
        if (node.value != null && node.children.isEmpty()) {
            out.append(escape(node.value));
        } else {
            render(node, out);
        }
        out.append("</").append(name).append('>');
    }
}
