package io.cutover.istio;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Istio CRDs and the seed resources on a fabric8 mock API server, and plain-JSON reads of them. */
public final class IstioFixtures {

    private IstioFixtures() {
    }

    public static void installCrds(KubernetesClient client) {
        client.apiextensions().v1().customResourceDefinitions().resource(crd("VirtualService", "virtualservices", "vs")).create();
        client.apiextensions().v1().customResourceDefinitions().resource(crd("DestinationRule", "destinationrules", "dr")).create();
    }

    private static CustomResourceDefinition crd(String kind, String plural, String shortName) {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + IstioResources.GROUP).endMetadata()
                .withNewSpec()
                .withGroup(IstioResources.GROUP)
                .withScope("Namespaced")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).withShortNames(shortName).endNames()
                .addNewVersion().withName("v1beta1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion()
                .addNewVersion().withName("v1").withServed(true).withStorage(false)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion()
                .endSpec()
                .build();
    }

    /** Creates the resource of a YAML file under src/test/resources in a namespace and returns it as stored. */
    public static GenericKubernetesResource create(KubernetesClient client, String file, String namespace) {
        GenericKubernetesResource resource = load(client, file);
        var context = resource.getKind().equals("VirtualService")
                ? IstioResources.virtualServices("v1beta1") : IstioResources.destinationRules("v1beta1");
        return client.genericKubernetesResources(context).inNamespace(namespace).resource(resource).create();
    }

    public static GenericKubernetesResource load(KubernetesClient client, String file) {
        try (InputStream in = IstioFixtures.class.getResourceAsStream("/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + file);
            }
            return client.getKubernetesSerialization().unmarshal(in, GenericKubernetesResource.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GenericKubernetesResource virtualService(KubernetesClient client, String namespace, String name) {
        return client.genericKubernetesResources(IstioResources.virtualServices("v1beta1")).inNamespace(namespace).withName(name).get();
    }

    public static GenericKubernetesResource destinationRule(KubernetesClient client, String namespace, String name) {
        return client.genericKubernetesResources(IstioResources.destinationRules("v1beta1")).inNamespace(namespace).withName(name).get();
    }

    /** The weights of the destinations of the seed VirtualService's weighted route (its second), in order. */
    @SuppressWarnings("unchecked")
    public static List<Integer> seedWeights(KubernetesClient client, String namespace) {
        Map<String, Object> spec = spec(virtualService(client, namespace, "myapp"));
        Map<String, Object> weighted = (Map<String, Object>) ((List<?>) spec.get("http")).get(1);
        return ((List<Map<String, Object>>) weighted.get("route")).stream()
                .map(d -> ((Number) d.get("weight")).intValue()).toList();
    }

    /** The resource as plain JSON, for comparing whole resources. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> json(KubernetesClient client, GenericKubernetesResource resource) {
        return client.getKubernetesSerialization().convertValue(resource, Map.class);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }
}
