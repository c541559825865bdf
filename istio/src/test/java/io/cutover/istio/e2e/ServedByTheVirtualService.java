package io.cutover.istio.e2e;

import io.cutover.istio.VirtualServiceRouter;
import io.cutover.sim.SimulatedCrash;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import java.util.Set;

/**
 * The real router writes the VirtualService on the API server; the simulated platform then serves
 * requests as the VirtualService, read back, says. So gates see exactly the traffic the mesh would send.
 */
final class ServedByTheVirtualService implements TrafficRouter {

    private final VirtualServiceRouter router;
    private final SimulatedPlatform platform;
    private int applies;
    private int crashAfter = -1;

    ServedByTheVirtualService(VirtualServiceRouter router, SimulatedPlatform platform) {
        this.router = router;
        this.platform = platform;
    }

    @Override
    public Set<RouterCapability> capabilities() {
        return router.capabilities();
    }

    /** The engine "dies" right after the {@code apply}-th split reached the VirtualService. */
    void crashAfterApply(int apply) {
        crashAfter = apply;
    }

    int applies() {
        return applies;
    }

    @Override
    public void apply(TrafficSplit split) {
        router.apply(split);
        platform.apply(router.read());
        if (++applies == crashAfter) {
            throw new SimulatedCrash(applies);
        }
    }

    @Override
    public TrafficSplit read() {
        return router.read();
    }
}
