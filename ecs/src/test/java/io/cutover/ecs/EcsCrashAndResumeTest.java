package io.cutover.ecs;

import static io.cutover.ecs.Fixtures.BLUE;
import static io.cutover.ecs.Fixtures.CLUSTER;
import static io.cutover.ecs.Fixtures.GREEN;
import static io.cutover.ecs.Fixtures.LISTENER;
import static io.cutover.ecs.Fixtures.SERVICE;
import static io.cutover.ecs.Fixtures.TD1;
import static io.cutover.ecs.Fixtures.TD2;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.gate.Gates;
import io.cutover.sim.SimulatedCrash;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import io.cutover.state.InMemoryStateStore;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The process dies right after the k-th write to AWS (the write applied, the engine's state not
 * saved); a fresh engine with fresh adapters resumes from the state store. Because the adapters
 * read roles back from the platform (primary task set, external ids, listener weights), every run
 * must end promoted or rolled back with the listener and the task sets where they belong.
 */
class EcsCrashAndResumeTest {

    static final Revision V2 = Revision.of("v2", TD2);
    static final String GREEN_DIM = "targetgroup/myapp-green/2453ed029918f21f";

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;

    private final Deployment canary = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(2))
            .gate(Gates.successRate(0.95)).build();

    @Test
    void aHealthyCanaryEndsPromotedWhereverItCrashed() {
        int writes = crashEverywhere(2, Phase.SUCCEEDED, "blue 0 green 100 | v1 - v2 100%*");
        assertThat(writes).isGreaterThan(6);
    }

    @Test
    void aFailingCanaryEndsRolledBackWhereverItCrashed() {
        crashEverywhere(300, Phase.ABORTED, "blue 100 green out | v1 100%* v2 0%");
    }

    private int crashEverywhere(double candidateErrors, Phase expected, String end) {
        int writes = run(candidateErrors, Integer.MAX_VALUE, expected, end);
        for (int k = 1; k <= writes; k++) {
            run(candidateErrors, k, expected, end);
        }
        return writes;
    }

    /** Runs the canary, crashing after write {@code crashAt}; returns the writes of a run that did not crash. */
    private int run(double candidateErrors, int crashAt, Phase expected, String end) {
        server.fake.reset();
        server.fake.ecs().createExternalService(CLUSTER, SERVICE, 4, TD1, "v1", BLUE);
        server.fake.elb().createListener(LISTENER);
        AwsClients seed = server.clients();
        seed.elb().modifyListener(r -> r.listenerArn(LISTENER).defaultActions(AlbWeightedRouterTest.forward(1, null)));
        server.fake.cloudWatch().metric(GREEN_DIM, "RequestCount", "Sum", 1000);
        server.fake.cloudWatch().metric(GREEN_DIM, "HTTPCode_Target_5XX_Count", "Sum", candidateErrors);
        VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        server.fake.ecs().useClock(time::now); // task sets start and stop over virtual time, as ECS's do
        InMemoryStateStore store = new InMemoryStateStore();
        AtomicInteger writes = new AtomicInteger();

        RolloutEngine first = engine(time, store);
        try {
            RolloutResult result = first.start("myapp", canary, V2, target(writes, crashAt)).await();
            assertThat(crashAt).as("a run that was to crash at write %d ended %s", crashAt, result.phase()).isEqualTo(Integer.MAX_VALUE);
            assertThat(result.phase()).isEqualTo(expected);
            assertThat(snapshot()).isEqualTo(end);
            return writes.get();
        } catch (SimulatedCrash crash) {
            first.shutdown();
        }
        RolloutResult resumed = engine(time, store).resume("myapp", canary, target(new AtomicInteger(), Integer.MAX_VALUE)).await();
        assertThat(resumed.phase()).as("resumed after a crash at write %d: %s", crashAt, resumed.reason()).isEqualTo(expected);
        assertThat(snapshot()).as("after a crash at write %d", crashAt).isEqualTo(end);
        return writes.get();
    }

    private RolloutEngine engine(VirtualScheduler time, InMemoryStateStore store) {
        return RolloutEngine.builder().withScheduler(time).withClock(time.clock()).withStateStore(store)
                .pollInterval(Duration.ofSeconds(10)).build();
    }

    /** Fresh clients and adapters, as a new process would build them. */
    private Target target(AtomicInteger writes, int crashAt) {
        AwsClients aws = server.clients();
        EcsTaskSetWorkloads workloads = EcsTaskSetWorkloads.builder(aws.ecs(), CLUSTER, SERVICE)
                .targetGroups(BLUE, GREEN).container("web", 8080).build();
        AlbWeightedRouter router = AlbWeightedRouter.forListener(aws.elb(), LISTENER, workloads.targetGroupRoles());
        Runnable wrote = () -> {
            if (writes.incrementAndGet() == crashAt) {
                throw new SimulatedCrash(crashAt);
            }
        };
        return Target.builder("myapp")
                .workloads(new Workloads() {
                    @Override public void deploy(Revision r, int n) { workloads.deploy(r, n); wrote.run(); }
                    @Override public void scale(Role role, int n) { workloads.scale(role, n); wrote.run(); }
                    @Override public WorkloadStatus status(Role role) { return workloads.status(role); }
                    @Override public void promote(Revision r) { workloads.promote(r); wrote.run(); }
                    @Override public void retire(Role role) { workloads.retire(role); wrote.run(); }
                })
                .router(new TrafficRouter() {
                    @Override public Set<RouterCapability> capabilities() { return router.capabilities(); }
                    @Override public void apply(TrafficSplit split) { router.apply(split); wrote.run(); }
                    @Override public TrafficSplit read() { return router.read(); }
                })
                .metrics(CloudWatchAlbMetrics.of(aws.cloudWatch(), Fixtures.LB + "loadbalancer/app/myapp/50dc6c495c0c9188",
                        workloads.targetGroupRoles()))
                .build();
    }

    private String snapshot() {
        Map<String, Integer> w = server.fake.elb().forwardWeights(LISTENER);
        return "blue " + (w.containsKey(BLUE) ? String.valueOf(w.get(BLUE)) : "out") + " green " + (w.containsKey(GREEN) ? String.valueOf(w.get(GREEN)) : "out")
                + " | v1 " + scale("v1") + " v2 " + scale("v2");
    }

    private String scale(String revision) {
        double s = server.fake.ecs().scaleOf(CLUSTER, SERVICE, revision);
        String status = server.fake.ecs().statusOf(CLUSTER, SERVICE, revision);
        return s < 0 ? "-" : (int) s + "%" + ("PRIMARY".equals(status) ? "*" : "");
    }
}
