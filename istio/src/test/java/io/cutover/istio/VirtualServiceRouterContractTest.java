package io.cutover.istio;

import io.cutover.test.contract.TrafficRouterContract;
import io.cutover.spi.Role;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/** The core router contract on the seed VirtualService, on a mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true, https = false)
class VirtualServiceRouterContractTest extends TrafficRouterContract {

    KubernetesClient client;

    @Override
    protected TrafficRouter newRouter() {
        IstioFixtures.installCrds(client);
        IstioFixtures.create(client, "virtualservice-seed.yaml", "shop");
        IstioFixtures.create(client, "virtualservice-gateway.yaml", "shop");
        DestinationRuleSubsets subsets = DestinationRuleSubsets.builder(client).destinationRule("shop", "myapp").host("myapp").build();
        subsets.point(Role.STABLE, "v1.0.0");
        subsets.point(Role.CANDIDATE, "v2.0.0");
        VirtualServiceRouter router = VirtualServiceRouter.builder(client)
                .virtualService("shop", "myapp")
                .virtualService(VirtualServiceRef.of("shop", "myapp-public", "primary"))
                .verifySubsets(subsets)
                .build();
        router.apply(TrafficSplit.stableOnly());
        return router;
    }
}
