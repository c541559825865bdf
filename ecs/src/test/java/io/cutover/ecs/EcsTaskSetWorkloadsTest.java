package io.cutover.ecs;

import static io.cutover.ecs.Fixtures.BLUE;
import static io.cutover.ecs.Fixtures.CLUSTER;
import static io.cutover.ecs.Fixtures.GREEN;
import static io.cutover.ecs.Fixtures.SERVICE;
import static io.cutover.ecs.Fixtures.TD1;
import static io.cutover.ecs.Fixtures.TD2;
import static io.cutover.ecs.Fixtures.TD3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.CutoverException;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.WorkloadStatus;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class EcsTaskSetWorkloadsTest {

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;
    private EcsTaskSetWorkloads workloads;

    static final Revision V1 = Revision.of("v1", TD1);
    static final Revision V2 = Revision.of("v2", TD2);

    @BeforeEach
    void seed() {
        server.fake.ecs().createExternalService(CLUSTER, SERVICE, 4, TD1, "v1", BLUE);
        workloads = EcsTaskSetWorkloads.builder(server.clients().ecs(), CLUSTER, SERVICE)
                .targetGroups(BLUE, GREEN).container("web", 8080).build();
    }

    private List<JsonNode> sets() {
        return server.fake.ecs().taskSets(CLUSTER, SERVICE);
    }

    @Test
    void deployCreatesTheCandidateInTheOtherTargetGroupWithThePrimarysNetwork() {
        workloads.deploy(V2, 1);

        assertThat(sets()).hasSize(2);
        JsonNode candidate = sets().get(1);
        assertThat(candidate.path("externalId").asString()).isEqualTo("v2");
        assertThat(candidate.path("taskDefinition").asString()).isEqualTo(TD2);
        assertThat(candidate.path("loadBalancers").path(0).path("targetGroupArn").asString()).isEqualTo(GREEN);
        assertThat(candidate.path("loadBalancers").path(0).path("containerPort").asInt()).isEqualTo(8080);
        assertThat(candidate.path("launchType").asString()).isEqualTo("FARGATE");
        assertThat(candidate.path("networkConfiguration")).isEqualTo(sets().get(0).path("networkConfiguration"));
        assertThat(candidate.path("scale").path("value").asDouble()).isEqualTo(25.0);
        assertThat(workloads.status(Role.CANDIDATE)).isEqualTo(new WorkloadStatus("v2", 1, 1, 1, 1, null));
        assertThat(workloads.status(Role.STABLE)).isEqualTo(new WorkloadStatus("v1", 4, 4, 4, 4, null));
        assertThat(workloads.targetGroupRoles().current()).isEqualTo(new TargetGroupRoles.Pair(BLUE, GREEN));
    }

    @Test
    void deployIsDesiredStateAndScaleFollowsTheServiceDesiredCount() {
        workloads.deploy(V2, 1);
        workloads.deploy(V2, 1);
        workloads.deploy(V2, 3);

        assertThat(sets()).hasSize(2);
        assertThat(server.fake.ecs().scaleOf(CLUSTER, SERVICE, "v2")).isEqualTo(75.0);
        workloads.scale(Role.CANDIDATE, 4);
        assertThat(workloads.status(Role.CANDIDATE).desired()).isEqualTo(4);
        workloads.scale(Role.STABLE, 2);
        assertThat(server.fake.ecs().scaleOf(CLUSTER, SERVICE, "v1")).isEqualTo(50.0);
        assertThat(workloads.status(Role.STABLE).desired()).isEqualTo(2);
    }

    @Test
    void aCandidateOfAnotherRevisionIsReplaced() {
        workloads.deploy(V2, 2);
        workloads.deploy(Revision.of("v3", TD3), 2);

        assertThat(sets()).extracting(s -> s.path("externalId").asString()).containsExactly("v1", "v3");
        assertThat(sets().get(1).path("loadBalancers").path(0).path("targetGroupArn").asString()).isEqualTo(GREEN);
    }

    @Test
    void promoteMakesTheCandidatePrimaryAndTheColoursSwap() {
        workloads.deploy(V2, 4);
        workloads.promote(V2);
        workloads.promote(V2);

        assertThat(server.fake.ecs().statusOf(CLUSTER, SERVICE, "v2")).isEqualTo("PRIMARY");
        assertThat(server.fake.ecs().statusOf(CLUSTER, SERVICE, "v1")).isEqualTo("ACTIVE");
        assertThat(workloads.status(Role.STABLE).revision()).isEqualTo("v2");
        assertThat(workloads.status(Role.CANDIDATE).revision()).isEqualTo("v1");
        assertThat(workloads.targetGroupRoles().current()).isEqualTo(new TargetGroupRoles.Pair(GREEN, BLUE));

        workloads.deploy(V2, 4);
        assertThat(sets()).as("deploying the stable revision again changes nothing").hasSize(2);

        workloads.retire(Role.CANDIDATE);
        workloads.retire(Role.CANDIDATE);
        assertThat(sets()).extracting(s -> s.path("externalId").asString()).containsExactly("v2");
        assertThat(workloads.status(Role.CANDIDATE)).isEqualTo(WorkloadStatus.absent());

        workloads.deploy(Revision.of("v3", TD3), 1);
        assertThat(sets().get(1).path("loadBalancers").path(0).path("targetGroupArn").asString()).isEqualTo(BLUE);
    }

    @Test
    void promoteScalesAPartialCandidateToTheFullService() {
        workloads.deploy(V2, 1);
        workloads.promote(V2);

        assertThat(server.fake.ecs().scaleOf(CLUSTER, SERVICE, "v2")).isEqualTo(100.0);
        assertThat(workloads.status(Role.STABLE)).isEqualTo(new WorkloadStatus("v2", 4, 4, 4, 4, null));
        assertThat(workloads.status(Role.CANDIDATE).revision()).isEqualTo("v1");
    }

    @Test
    void aCandidateThatNeverStartsIsNotSettled() {
        server.fake.ecs().breakTaskDefinition(TD2);
        workloads.deploy(V2, 2);

        WorkloadStatus status = workloads.status(Role.CANDIDATE);
        assertThat(status).isEqualTo(new WorkloadStatus("v2", 2, 0, 0, 0, null));
        assertThat(status.settled()).isFalse();
    }

    @Test
    void promotingARevisionThatIsNotDeployedIsPermanent() {
        assertThatThrownBy(() -> workloads.promote(V2))
                .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.kind()).isEqualTo(CutoverException.Kind.PERMANENT))
                .hasMessageContaining("no task set running v2");
        assertThatThrownBy(() -> workloads.scale(Role.CANDIDATE, 1))
                .isInstanceOf(CutoverException.class).hasMessageContaining("no candidate task set");
        workloads.scale(Role.CANDIDATE, 0);
    }

    @Test
    void anUnknownServiceIsPermanentAndNamesTheCall() {
        var missing = EcsTaskSetWorkloads.builder(server.clients().ecs(), CLUSTER, "nope")
                .targetGroups(BLUE, GREEN).container("web", 8080).build();

        assertThatThrownBy(() -> missing.status(Role.STABLE))
                .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.kind()).isEqualTo(CutoverException.Kind.PERMANENT))
                .hasMessageContaining("DescribeTaskSets of service nope").hasMessageContaining("ServiceNotFoundException");
    }

    @Test
    void replicasBecomeAScaleThatEcsRoundsBackToThem() {
        assertThat(EcsTaskSetWorkloads.percentOf(1, 3)).isEqualTo(33.33);
        assertThat(EcsTaskSetWorkloads.percentOf(2, 3)).isEqualTo(66.66);
        assertThat(EcsTaskSetWorkloads.percentOf(0, 3)).isZero();
        assertThat(EcsTaskSetWorkloads.percentOf(5, 3)).isEqualTo(100);
        for (int desired = 1; desired <= 50; desired++) {
            for (int r = 0; r <= desired; r++) {
                double p = EcsTaskSetWorkloads.percentOf(r, desired);
                assertThat((int) Math.ceil(desired * p / 100 - 1e-9)).as("%d of %d", r, desired).isEqualTo(r);
            }
        }
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        var ecs = server.clients().ecs();
        assertThatThrownBy(() -> EcsTaskSetWorkloads.builder(ecs, CLUSTER, SERVICE).container("web", 8080).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("targetGroups");
        assertThatThrownBy(() -> EcsTaskSetWorkloads.builder(ecs, CLUSTER, SERVICE).container("web", 70000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("containerPort").hasMessageContaining("70000");
        assertThatThrownBy(() -> EcsTaskSetWorkloads.builder(ecs, "", SERVICE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster");
        assertThatThrownBy(() -> workloads.deploy(V2, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replicas").hasMessageContaining("-1");
    }

    @Test
    void aTaskSetMadeByHandIsNeverTheCandidateNorScaledNorDeleted() {
        String byHand = server.fake.ecs().createTaskSetByHand(CLUSTER, SERVICE, TD3, GREEN, 50);

        assertThat(workloads.status(Role.CANDIDATE).exists()).isFalse();
        workloads.deploy(V2, 2);
        workloads.scale(Role.CANDIDATE, 0);
        workloads.retire(Role.CANDIDATE);

        JsonNode kept = sets().stream().filter(t -> byHand.equals(t.path("taskSetArn").asString())).findFirst().orElseThrow();
        assertThat(kept.path("status").asString()).isEqualTo("ACTIVE");
        assertThat(kept.path("scale").path("value").asDouble()).isEqualTo(50.0);
        assertThat(sets()).as("ours was created and deleted, the hand-made one stays").hasSize(2);
    }

    @Test
    void cutoverTagsTheTaskSetsItCreatesAndThePrimaryItDemotes() {
        workloads.deploy(V2, 4);
        String created = sets().get(1).path("taskSetArn").asString();
        String original = sets().get(0).path("taskSetArn").asString();
        assertThat(server.fake.ecs().tagsOf(created)).containsEntry(EcsTaskSetWorkloads.MANAGED_TAG, "cutover");
        assertThat(server.fake.ecs().tagsOf(original)).isEmpty();

        workloads.promote(V2);

        assertThat(server.fake.ecs().tagsOf(original)).containsEntry(EcsTaskSetWorkloads.MANAGED_TAG, "cutover");
        workloads.retire(Role.CANDIDATE);
        assertThat(sets()).extracting(t -> t.path("taskSetArn").asString()).containsExactly(created);
    }

    @Test
    void aTaskSetIsNotReadyUntilEcsReportsItSteadyOverTime() {
        var now = new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        server.fake.ecs().useClock(now::get);
        workloads.deploy(V2, 4);

        WorkloadStatus starting = workloads.status(Role.CANDIDATE);
        now.set(now.get().plusSeconds(30));
        WorkloadStatus half = workloads.status(Role.CANDIDATE);
        now.set(now.get().plusSeconds(30));
        WorkloadStatus done = workloads.status(Role.CANDIDATE);

        assertThat(starting).isEqualTo(new WorkloadStatus("v2", 4, 0, 0, 0, null));
        assertThat(half.updated()).isEqualTo(2);
        assertThat(half.settled()).as("STABILIZING is not ready").isFalse();
        assertThat(sets().get(1).path("stabilityStatus").asString()).isEqualTo("STEADY_STATE");
        assertThat(done).isEqualTo(new WorkloadStatus("v2", 4, 4, 4, 4, null));
    }
}
