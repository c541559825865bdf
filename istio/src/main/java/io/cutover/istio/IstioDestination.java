package io.cutover.istio;

import java.util.Map;
import java.util.Objects;

/**
 * One side of a split as an Istio destination: a host, a subset of a DestinationRule, or both.
 * A {@code null} host matches any host (the subset alone picks the destination); a {@code null}
 * subset matches only destinations without one.
 *
 * <pre>{@code
 * IstioDestination.subset("stable")                 // host: any, subset: stable
 * IstioDestination.of("myapp", "canary")            // host: myapp, subset: canary
 * IstioDestination.host("myapp-canary")             // a separate Service, no subset
 * }</pre>
 */
public record IstioDestination(String host, String subset) {

    /**
     * Checks that a host or a subset is given, and neither is blank.
     *
     * @param host the destination host, {@code null} for any
     * @param subset the DestinationRule subset, {@code null} for none
     */
    public IstioDestination {
        if (host == null && subset == null) {
            throw new IllegalArgumentException("destination needs a host or a subset (both null)");
        }
        if (host != null && host.isBlank()) {
            throw new IllegalArgumentException("destination host must not be blank: '" + host + "'");
        }
        if (subset != null && subset.isBlank()) {
            throw new IllegalArgumentException("destination subset must not be blank: '" + subset + "'");
        }
    }

    /**
     * A subset of a host.
     *
     * @param host the destination host
     * @param subset the subset
     * @return the destination
     */
    public static IstioDestination of(String host, String subset) {
        return new IstioDestination(Objects.requireNonNull(host, "host"), Objects.requireNonNull(subset, "subset"));
    }

    /**
     * A subset on any host.
     *
     * @param subset the subset
     * @return the destination
     */
    public static IstioDestination subset(String subset) {
        return new IstioDestination(null, Objects.requireNonNull(subset, "subset"));
    }

    /**
     * A host without subset, for example a separate Service.
     *
     * @param host the destination host
     * @return the destination
     */
    public static IstioDestination host(String host) {
        return new IstioDestination(Objects.requireNonNull(host, "host"), null);
    }

    /**
     * Whether an Istio {@code destination} object ({@code host}, {@code subset}, {@code port}) is this one.
     *
     * @param destination the object as read from a VirtualService, or {@code null}
     * @return {@code true} when host (if this one names one) and subset match
     */
    public boolean matches(Map<?, ?> destination) {
        if (destination == null) {
            return false;
        }
        return (host == null || host.equals(destination.get("host"))) && Objects.equals(subset, destination.get("subset"));
    }

    @Override
    public String toString() {
        return (host == null ? "*" : host) + (subset == null ? "" : "/" + subset);
    }
}
