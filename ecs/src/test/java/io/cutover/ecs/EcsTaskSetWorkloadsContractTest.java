package io.cutover.ecs;

import static io.cutover.ecs.Fixtures.BLUE;
import static io.cutover.ecs.Fixtures.CLUSTER;
import static io.cutover.ecs.Fixtures.GREEN;
import static io.cutover.ecs.Fixtures.SERVICE;
import static io.cutover.ecs.Fixtures.TD1;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.test.contract.WorkloadsContract;
import io.cutover.spi.Workloads;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core workloads contract on task sets; the fake's controller starts tasks whenever ECS is asked. */
class EcsTaskSetWorkloadsContractTest extends WorkloadsContract {

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;

    @Override
    protected Workloads newWorkloads() {
        server.fake.ecs().createExternalService(CLUSTER, SERVICE, 4, TD1, "v1", BLUE);
        return EcsTaskSetWorkloads.builder(server.clients().ecs(), CLUSTER, SERVICE).targetGroups(BLUE, GREEN).container("web", 8080).build();
    }

    @Override
    protected String stableRevision() {
        return "v1";
    }

    @Override
    protected void settle() {
        server.fake.ecs().taskSets(CLUSTER, SERVICE);
    }
}
