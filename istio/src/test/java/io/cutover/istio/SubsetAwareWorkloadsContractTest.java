package io.cutover.istio;

import io.cutover.test.contract.WorkloadsContract;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.Workloads;
import io.cutover.time.VirtualScheduler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;

/** Moving subsets keeps the core workloads contract of the wrapped workloads. */
@EnableKubernetesMockClient(crud = true, https = false)
class SubsetAwareWorkloadsContractTest extends WorkloadsContract {

    KubernetesClient client;
    final VirtualScheduler time = new VirtualScheduler();

    @Override
    protected Workloads newWorkloads() {
        IstioFixtures.installCrds(client);
        IstioFixtures.create(client, "virtualservice-seed.yaml", "shop");
        VirtualServiceRouter.builder(client).virtualService("shop", "myapp").build().apply(TrafficSplit.stableOnly());
        DestinationRuleSubsets subsets = DestinationRuleSubsets.builder(client).destinationRule("shop", "myapp").host("myapp").build();
        VirtualServiceRouter router = VirtualServiceRouter.builder(client).virtualService("shop", "myapp").verifySubsets(subsets).build();
        SimulatedPlatform platform = SimulatedPlatform.builder(time.clock())
                .stable(Revision.of("v1", "app:v1"), 3, Behaviour.healthy()).build();
        return SubsetAwareWorkloads.wrap(platform, subsets, router);
    }

    @Override
    protected String stableRevision() {
        return "v1";
    }

    @Override
    protected void settle() {
        time.advance(Duration.ofMinutes(1));
    }
}
