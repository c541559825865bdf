package io.cutover.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Subsets move in an order that never sends traffic to missing or wrong pods. */
@EnableKubernetesMockClient(crud = true, https = false)
class SubsetAwareWorkloadsTest {

    private static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    KubernetesClient client;
    DestinationRuleSubsets subsets;
    VirtualServiceRouter router;
    RecordingWorkloads platform;
    SubsetAwareWorkloads workloads;

    @BeforeEach
    void seed() {
        IstioFixtures.installCrds(client);
        IstioFixtures.create(client, "virtualservice-seed.yaml", "shop");
        subsets = DestinationRuleSubsets.builder(client).destinationRule("shop", "myapp").host("myapp").build();
        router = VirtualServiceRouter.builder(client).virtualService("shop", "myapp").verifySubsets(subsets).build();
        // Before the first rollout the VirtualService sends everything to stable; no DestinationRule exists yet.
        VirtualServiceRouter.builder(client).virtualService("shop", "myapp").build().apply(TrafficSplit.stableOnly());
        platform = new RecordingWorkloads();
        workloads = SubsetAwareWorkloads.wrap(platform, subsets, router);
    }

    @Test
    void deployCreatesTheStableSubsetForWhatRunsAndPointsTheCandidateSubsetBeforeDeploying() {
        workloads.deploy(V2, 2);

        assertThat(platform.calls).containsExactly("deploy v2.0.0 2 [stable=v1.0.0 canary=v2.0.0 weight=0]");
    }

    @Test
    void promotionSendsAllTrafficToThePromotedPodsBeforeTheStableSubsetMoves() {
        workloads.deploy(V2, 2);
        router.apply(TrafficSplit.weighted(75));

        workloads.promote(V2);

        assertThat(platform.calls).last().isEqualTo("promote v2.0.0 [stable=v1.0.0 canary=v2.0.0 weight=100]");
        assertThat(subsets.labelValue(Role.STABLE)).contains("v2.0.0");

        // The engine then returns all traffic to stable, which now selects the promoted pods.
        router.apply(TrafficSplit.stableOnly());
        assertThat(router.read()).isEqualTo(TrafficSplit.stableOnly());
    }

    @Test
    void promotingAgainAfterACrashDoesNotShiftTrafficAgain() {
        workloads.deploy(V2, 2);
        workloads.promote(V2);
        router.apply(TrafficSplit.stableOnly());

        workloads.promote(V2);

        assertThat(router.read().candidateWeight()).isZero();
        assertThat(platform.calls).last().isEqualTo("promote v2.0.0 [stable=v2.0.0 canary=v2.0.0 weight=0]");
    }

    @Test
    void theCandidateSubsetDoesNotMoveWhileItCarriesTraffic() {
        workloads.deploy(V2, 2);
        router.apply(TrafficSplit.weighted(10));

        assertThatThrownBy(() -> workloads.deploy(Revision.of("v3.0.0", "myapp:v3.0.0"), 2))
                .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.kind()).isEqualTo(CutoverException.Kind.PERMANENT))
                .hasMessageContaining("carries traffic");
        assertThat(subsets.labelValue(Role.CANDIDATE)).contains("v2.0.0");
    }

    @Test
    void aRevisionTheCandidateSubsetDoesNotSelectIsNotPromoted() {
        workloads.deploy(V2, 2);

        assertThatThrownBy(() -> workloads.promote(Revision.of("v3.0.0", "myapp:v3.0.0")))
                .isInstanceOf(CutoverException.class)
                .hasMessageContaining("does not select v3.0.0");
        assertThat(router.read().candidateWeight()).isZero();
    }

    /** Stands in for a Deployments adapter and records what the mesh looked like at each call. */
    private final class RecordingWorkloads implements Workloads {
        final List<String> calls = new ArrayList<>();
        String stable = "v1.0.0";
        String candidate;

        @Override public void deploy(Revision revision, int replicas) {
            candidate = revision.name();
            calls.add("deploy " + revision.name() + " " + replicas + " " + mesh());
        }

        @Override public void scale(Role role, int replicas) {
            calls.add("scale " + role + " " + replicas);
        }

        @Override public WorkloadStatus status(Role role) {
            String revision = role == Role.STABLE ? stable : candidate;
            return revision == null ? WorkloadStatus.absent() : new WorkloadStatus(revision, 2, 2, 2, 2, null);
        }

        @Override public void promote(Revision revision) {
            calls.add("promote " + revision.name() + " " + mesh());
            stable = revision.name();
        }

        private String mesh() {
            return "[stable=" + subsets.labelValue(Role.STABLE).orElse("-") + " canary=" + subsets.labelValue(Role.CANDIDATE).orElse("-")
                    + " weight=" + router.read().candidateWeight() + "]";
        }
    }
}
