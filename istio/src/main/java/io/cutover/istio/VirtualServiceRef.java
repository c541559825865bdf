package io.cutover.istio;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A VirtualService and the HTTP route in it that carries the weighted split. A {@code null} route
 * name picks the route by itself: the only HTTP route, or else the only one sending to the stable
 * destination.
 */
public record VirtualServiceRef(String namespace, String name, String routeName) {

    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    /**
     * Checks the names.
     *
     * @param namespace the namespace, a Kubernetes name
     * @param name the VirtualService's name, a Kubernetes name
     * @param routeName the weighted HTTP route's name, {@code null} to pick it by itself
     */
    public VirtualServiceRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (!DNS_NAME.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace must be a Kubernetes name: '" + namespace + "'");
        }
        if (!DNS_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("VirtualService name must be a Kubernetes name: '" + name + "'");
        }
        if (routeName != null && routeName.isBlank()) {
            throw new IllegalArgumentException("routeName must not be blank: '" + routeName + "'");
        }
    }

    /**
     * A VirtualService whose weighted route is picked by itself.
     *
     * @param namespace the namespace
     * @param name the VirtualService's name
     * @return the reference
     */
    public static VirtualServiceRef of(String namespace, String name) {
        return new VirtualServiceRef(namespace, name, null);
    }

    /**
     * A VirtualService and the name of its weighted route.
     *
     * @param namespace the namespace
     * @param name the VirtualService's name
     * @param routeName the route's name
     * @return the reference
     */
    public static VirtualServiceRef of(String namespace, String name, String routeName) {
        return new VirtualServiceRef(namespace, name, Objects.requireNonNull(routeName, "routeName"));
    }

    @Override
    public String toString() {
        return namespace + "/" + name + (routeName == null ? "" : "#" + routeName);
    }
}
