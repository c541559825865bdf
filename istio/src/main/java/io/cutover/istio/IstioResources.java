package io.cutover.istio;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * How Cutover addresses Istio's resources through the Kubernetes API. Naming the plural here
 * spares a discovery round trip on every call.
 */
public final class IstioResources {

    /** The API version of the seed resources; {@code v1} works the same on Istio 1.22 and later. */
    public static final String DEFAULT_VERSION = "v1beta1";

    public static final String GROUP = "networking.istio.io";

    private IstioResources() {
    }

    public static ResourceDefinitionContext virtualServices(String version) {
        return context(version, "VirtualService", "virtualservices");
    }

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
