package io.cutover.ecs;

import static io.cutover.ecs.Fixtures.BLUE;
import static io.cutover.ecs.Fixtures.GREEN;
import static io.cutover.ecs.Fixtures.LISTENER;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.test.contract.TrafficRouterContract;
import io.cutover.spi.TrafficRouter;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core router contract, on a listener's default forward action. */
class AlbWeightedRouterContractTest extends TrafficRouterContract {

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;

    @Override
    protected TrafficRouter newRouter() {
        var elb = server.clients().elb();
        server.fake.elb().createListener(LISTENER);
        elb.modifyListener(r -> r.listenerArn(LISTENER).defaultActions(AlbWeightedRouterTest.OIDC_SEED, AlbWeightedRouterTest.forward(1, null)));
        return AlbWeightedRouter.forListener(elb, LISTENER, TargetGroupRoles.fixed(BLUE, GREEN));
    }
}
