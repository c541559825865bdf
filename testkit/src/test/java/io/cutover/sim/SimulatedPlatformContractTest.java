package io.cutover.sim;

import io.cutover.test.contract.TrafficRouterContract;
import io.cutover.test.contract.WorkloadsContract;
import io.cutover.spi.Revision;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.Workloads;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.Nested;

class SimulatedPlatformContractTest {

    static SimulatedPlatform platform(VirtualScheduler time, RouterCapability... caps) {
        return SimulatedPlatform.builder(time.clock()).stable(Revision.of("v1", "app:v1"), 3, Behaviour.healthy()).router(caps).build();
    }

    @Nested
    class AsWorkloads extends WorkloadsContract {
        final VirtualScheduler time = new VirtualScheduler();

        @Override
        protected Workloads newWorkloads() {
            return platform(time, RouterCapability.WEIGHTED);
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

    @Nested
    class AsFullRouter extends TrafficRouterContract {
        @Override
        protected TrafficRouter newRouter() {
            return platform(new VirtualScheduler(), RouterCapability.WEIGHTED, RouterCapability.HEADER_ROUTES, RouterCapability.MIRROR);
        }
    }

    @Nested
    class AsAllOrNothingRouter extends TrafficRouterContract {
        @Override
        protected TrafficRouter newRouter() {
            return platform(new VirtualScheduler());
        }
    }
}
