package io.cutover.ecs;

import static io.cutover.ecs.Fixtures.CLUSTER;
import static io.cutover.ecs.Fixtures.TD1;
import static io.cutover.ecs.Fixtures.TD2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.gate.Gates;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSource;
import io.cutover.spi.MetricValue;
import io.cutover.spi.Revision;
import io.cutover.state.InMemoryStateStore;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * An ECS rolling service run by the {@link RolloutEngine}: ECS replaces the tasks over virtual time,
 * the engine's plan, gates, state store and rollback decide. Every rollout ends with the service
 * on one task definition, its deployment completed and the rollout's tags gone or harmless.
 */
class EcsRollingServiceTest {

    static final String WORKER = "worker";
    static final Revision V2 = Revision.of("v2", TD2);

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;
    private VirtualScheduler time;
    private InMemoryStateStore store;
    private final List<RolloutEvent> events = new ArrayList<>();

    private final Deployment rolling = Deployment.rolling().maxSurge(2).maxUnavailable(0)
            .batchGate(Gates.errorRate(0.05)).build();

    @BeforeEach
    void setUp() {
        reset();
    }

    private void reset() {
        server.fake.reset();
        server.fake.ecs().createRollingService(CLUSTER, WORKER, 4, TD1);
        time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        server.fake.ecs().useClock(time::now);
        store = InMemoryStateStore.encodingJson();
        events.clear();
    }

    private RolloutEngine engine() {
        return RolloutEngine.builder().withScheduler(time).withClock(time.clock()).withStateStore(store)
                .pollInterval(Duration.ofSeconds(15)).onEvent(events::add).build();
    }

    private Target target(MetricSource metrics, Crashing crashing) {
        EcsRollingService worker = EcsRollingService.builder(server.clients().ecs(), CLUSTER, WORKER)
                .minimumHealthyPercent(100).maximumPercent(150).build();
        return Target.builder(WORKER).workloads(crashing.workloads(worker)).router(crashing.router(worker)).metrics(metrics).build();
    }

    private Target target(MetricSource metrics) {
        return target(metrics, new Crashing(new AtomicInteger(), Integer.MAX_VALUE));
    }

    private JsonNode service() {
        return server.fake.ecs().service(CLUSTER, WORKER);
    }

    /** The task definition the service runs, and whether ECS has completed it with no other deployment left. */
    private String end() {
        JsonNode s = service();
        JsonNode d = s.path("deployments");
        return s.path("taskDefinition").asString() + (d.size() == 1 && "COMPLETED".equals(d.path(0).path("rolloutState").asString())
                ? " completed" : " rolling " + d);
    }

    @Test
    void aHealthyUpdateIsRolledByEcsAndPromotedByTheEngine() {
        RolloutResult result = engine().start(WORKER, rolling, V2, target(errors(0.001))).await();

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(end()).isEqualTo(TD2 + " completed");
        JsonNode config = service().path("deploymentConfiguration");
        assertThat(config.path("maximumPercent").asInt()).isEqualTo(150);
        assertThat(config.path("alarms").path("alarmNames").path(0).asString()).as("the user's alarms are kept").isEqualTo("worker-errors");
        assertThat(server.fake.ecs().tagsOf(service().path("serviceArn").asString())).as("rollback tag removed at promotion").isEmpty();
        assertThat(events).anyMatch(e -> e instanceof RolloutEvent.Promoted);
        assertThat(result.duration()).as("ECS took virtual time to replace the tasks").isGreaterThan(Duration.ofSeconds(50));
        assertThat(events).as("waiting for ECS spent no retry budget").noneMatch(e -> e instanceof RolloutEvent.CallFailed);
    }

    @Test
    void aFailingGatePutsThePreviousTaskDefinitionBackAndWaitsForEcs() {
        RolloutResult result = engine().start(WORKER, rolling, V2, target(errors(0.2))).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("error-rate");
        assertThat(end()).isEqualTo(TD1 + " completed");
        assertThat(result.split().isStableOnly()).isTrue();
    }

    @Test
    void aMetricSourceThatOnlyErrsAbortsInsteadOfPassing() {
        MetricSource broken = new ThrowingMetrics();
        // Three rounds, the third ERROR in a row aborts (with core's default policy, count 3 and error
        // limit 4, an analysis whose every round errs ends without a verdict and the plan goes on).
        Deployment judged = Deployment.rolling().maxSurge(2).maxUnavailable(0).batchGate(Gates.errorRate(0.05))
                .analysis(io.cutover.gate.GatePolicy.builder().count(3).consecutiveErrorLimit(2).build()).build();

        RolloutResult result = engine().start(WORKER, judged, V2, target(broken)).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("errored 3 times in a row").contains("metrics backend unreachable");
        assertThat(end()).isEqualTo(TD1 + " completed");
    }

    @Test
    void aDeploymentEcssCircuitBreakerFailsAbortsTheRollout() {
        server.fake.ecs().breakTaskDefinition(TD2);

        RolloutResult result = engine().start(WORKER, rolling, V2, target(errors(0))).await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("circuit breaker");
        assertThat(service().path("taskDefinition").asString()).isEqualTo(TD1);
        assertThat(end()).as("ECS's rollback completed, the failed deployment drained").isEqualTo(TD1 + " completed");
        assertThat(result.split().isStableOnly()).isTrue();
    }

    @Test
    void aRevisionIsKnownByItsTaskDefinitionArnAndAnotherArtifactIsRefusedBeforeAnyWrite() {
        EcsRollingService worker = EcsRollingService.builder(server.clients().ecs(), CLUSTER, WORKER).build();

        assertThat(worker.status(io.cutover.spi.Role.STABLE).revision()).as("as ECS reports it").isEqualTo(TD1);
        assertThatThrownBy(() -> worker.deploy(Revision.of("v2", "myapp:2"), 4))
                .isInstanceOf(io.cutover.CutoverException.class)
                .hasMessageContaining("revision artifact must be a task definition ARN").hasMessageContaining("'myapp:2'");
        assertThat(service().path("taskDefinition").asString()).isEqualTo(TD1);
        assertThat(server.fake.ecs().tagsOf(service().path("serviceArn").asString())).isEmpty();
    }

    @Test
    void aServicePutBackByHandMidRolloutAbortsTheRolloutInsteadOfPromotingIt() {
        var rollout = engine().start(WORKER, rolling, V2, target(errors(0)));
        time.advance(Duration.ofSeconds(20));
        assertThat(rollout.phase()).isEqualTo(Phase.PROGRESSING);

        server.clients().ecs().updateService(r -> r.cluster(CLUSTER).service(WORKER).taskDefinition(TD1));
        RolloutResult result = rollout.await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("runs " + TD1 + " again").contains("is gone (rolled back)");
        assertThat(end()).isEqualTo(TD1 + " completed");
        assertThat(events).noneMatch(e -> e instanceof RolloutEvent.Promoted);
    }

    @Test
    void theTaskDefinitionToReturnToIsOnTheServiceNotInTheCaller() {
        var rollout = engine().start(WORKER, rolling, V2, target(errors(0)));
        time.advance(Duration.ofSeconds(20));

        assertThat(server.fake.ecs().tagsOf(service().path("serviceArn").asString()))
                .containsEntry(EcsRollingService.PREVIOUS_TAG, TD1).containsEntry(EcsRollingService.REVISION_TAG, "v2");
        assertThat(rollout.phase()).isEqualTo(Phase.PROGRESSING);
    }

    @Test
    void crashAfterEveryWriteThenResumeEndsPromoted() {
        assertThat(crashEverywhere(0.001, Phase.SUCCEEDED, TD2)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void crashAfterEveryWriteThenResumeEndsRolledBack() {
        // the deploy and the rollback it ordered: a crash after each, then a resume
        assertThat(crashEverywhere(0.2, Phase.ABORTED, TD1)).isGreaterThanOrEqualTo(2);
    }

    private int crashEverywhere(double errorRate, Phase expected, String taskDefinition) {
        return Crashing.afterEveryWrite(expected, this::engine, this::reset, () -> new Crashing.Attempt(
                        (engine, crashing) -> engine.start(WORKER, rolling, V2, target(errors(errorRate), crashing)),
                        engine -> engine.resume(WORKER, rolling, target(errors(errorRate)))),
                k -> assertThat(end()).as("after a crash at write %d", k).isEqualTo(taskDefinition + " completed"));
    }

    /** A metric source where the candidate shows {@code candidate} errors and stable almost none. */
    private static MetricSource errors(double candidate) {
        return new MetricSource() {
            @Override public MetricValue errorRate(MetricQuery q) {
                return MetricValue.of(q.role() == io.cutover.spi.Role.CANDIDATE ? candidate : 0.001);
            }
            @Override public MetricValue successRate(MetricQuery q) { return MetricValue.of(1 - ((MetricValue.Sample) errorRate(q)).value()); }
            @Override public MetricValue latency(MetricQuery q, double quantile) { return MetricValue.of(0.05); }
            @Override public MetricValue requestRate(MetricQuery q) { return MetricValue.of(100); }
            @Override public MetricValue query(String expression, Instant at) { return MetricValue.noData("no raw queries here"); }
        };
    }

    /** A metrics backend that is down: every question fails. */
    static final class ThrowingMetrics implements MetricSource {
        private static RuntimeException down() { return new IllegalStateException("metrics backend unreachable"); }
        @Override public MetricValue successRate(MetricQuery q) { throw down(); }
        @Override public MetricValue errorRate(MetricQuery q) { throw down(); }
        @Override public MetricValue latency(MetricQuery q, double quantile) { throw down(); }
        @Override public MetricValue requestRate(MetricQuery q) { throw down(); }
        @Override public MetricValue query(String expression, Instant at) { throw down(); }
    }
}
