package io.cutover.istio;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * How Cutover addresses Istio's resources through the Kubernetes API. Naming the plural here
 * spares a discovery round trip on every call.
 */
public final class IstioResources {

    /** The API version of the seed resources; {@code v1} works the same on Istio 1.22 and later. */
    public static final String DEFAULT_VERSION = "v1beta1";

    /** The API group of VirtualServices and DestinationRules. */
    public static final String GROUP = "networking.istio.io";

    private IstioResources() {
    }

    /**
     * VirtualServices at an API version.
     *
     * @param version {@code v1}, {@code v1beta1}...
     * @return the resource context for fabric8's generic client
     * @throws IllegalArgumentException when the version does not look like an API version
     */
    public static ResourceDefinitionContext virtualServices(String version) {
        return context(version, "VirtualService", "virtualservices");
    }

    /**
     * DestinationRules at an API version.
     *
     * @param version {@code v1}, {@code v1beta1}...
     * @return the resource context for fabric8's generic client
     * @throws IllegalArgumentException when the version does not look like an API version
     */
    public static ResourceDefinitionContext destinationRules(String version) {
        return context(version, "DestinationRule", "destinationrules");
    }

    private static ResourceDefinitionContext context(String version, String kind, String plural) {
        if (version == null || !version.matches("v[0-9]+((alpha|beta)[0-9]+)?")) {
            throw new IllegalArgumentException("Istio API version must look like v1 or v1beta1: '" + version + "'");
        }
        return new ResourceDefinitionContext.Builder()
                .withGroup(GROUP)
                .withVersion(version)
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }
}
