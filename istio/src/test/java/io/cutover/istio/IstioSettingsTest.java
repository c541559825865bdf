package io.cutover.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Defaults and validation of the Istio adapter's settings; no API server is contacted. */
class IstioSettingsTest {

    final KubernetesClient client = new KubernetesClientBuilder().build();

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void aRouterNeedsAVirtualServiceAndDistinctDestinations() {
        assertThatThrownBy(() -> VirtualServiceRouter.builder(client).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("virtualService");
        assertThatThrownBy(() -> VirtualServiceRouter.builder(client).virtualService("shop", "myapp")
                .candidate(IstioDestination.subset("stable")).build())
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> VirtualServiceRouter.builder(client).virtualService("shop", "myapp").virtualService("shop", "myapp"))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> VirtualServiceRouter.builder(client).apiVersion("networking/v1"))
                .hasMessageContaining("networking/v1");
    }

    @Test
    void theDefaultsAreTheSeedsSubsets() {
        VirtualServiceRouter router = VirtualServiceRouter.builder(client).virtualService("shop", "myapp").build();

        assertThat(router.toString()).isEqualTo("VirtualServiceRouter[shop/myapp] */stable -> */canary");
        assertThat(router.virtualServices()).containsExactly(VirtualServiceRef.of("shop", "myapp"));
    }

    @Test
    void referencesAreKubernetesNames() {
        assertThatThrownBy(() -> VirtualServiceRef.of("Shop", "myapp")).hasMessageContaining("namespace").hasMessageContaining("Shop");
        assertThatThrownBy(() -> VirtualServiceRef.of("shop", "my_app")).hasMessageContaining("my_app");
        assertThatThrownBy(() -> new VirtualServiceRef("shop", "myapp", " ")).hasMessageContaining("routeName");
        assertThatThrownBy(() -> DestinationRuleSubsets.builder(client).destinationRule("shop", "My")).hasMessageContaining("destinationRule");
        assertThatThrownBy(() -> DestinationRuleSubsets.builder(client).build()).hasMessageContaining("destinationRule");
    }

    @Test
    void destinationsMatchByHostAndSubset() {
        assertThat(IstioDestination.subset("canary").matches(Map.of("host", "any", "subset", "canary"))).isTrue();
        assertThat(IstioDestination.subset("canary").matches(Map.of("host", "any"))).isFalse();
        assertThat(IstioDestination.of("myapp", "canary").matches(Map.of("host", "other", "subset", "canary"))).isFalse();
        assertThat(IstioDestination.host("myapp-canary").matches(Map.of("host", "myapp-canary"))).isTrue();
        assertThat(IstioDestination.host("myapp-canary").matches(Map.of("host", "myapp-canary", "subset", "x"))).isFalse();
        assertThatThrownBy(() -> new IstioDestination(null, null)).hasMessageContaining("host or a subset");
        assertThatThrownBy(() -> new IstioDestination(" ", null)).hasMessageContaining("host");
    }
}
