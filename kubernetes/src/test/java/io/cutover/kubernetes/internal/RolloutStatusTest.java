package io.cutover.kubernetes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.spi.WorkloadStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

/** A Deployment reads settled exactly when {@code kubectl rollout status} would say it rolled out. */
class RolloutStatusTest {

    private static Deployment deployment(int desired, int replicas, int updated, int ready, int available) {
        return new DeploymentBuilder()
                .withNewMetadata().withName("myapp").withNamespace("shop").withGeneration(2L).endMetadata()
                .withNewSpec().withReplicas(desired).withNewTemplate().withNewSpec().addNewContainer().withName("myapp")
                .withImage("myapp:v2").endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(2L).withReplicas(replicas).withUpdatedReplicas(updated)
                .withReadyReplicas(ready).withAvailableReplicas(available).endStatus()
                .build();
    }

    @Test
    void readiness_is_not_kubectl_rollout_status_no_more_old_replicas_pending_termination_keep_it_unsettled() {
        Deployment d = deployment(3, 4, 3, 3, 3); // kubectl: "1 old replicas are pending termination..."

        WorkloadStatus s = Deployments.status(d, null);

        assertThat(s.settled()).isFalse();
        assertThat(s.available()).as("only pods certainly new count as available").isEqualTo(2);
        assertThat(Deployments.rolledOut(d)).isFalse();
    }

    @Test
    void fewer_available_than_updated_is_not_rolled_out() {
        Deployment d = deployment(3, 3, 3, 3, 2); // kubectl: "2 of 3 updated replicas are available..."

        assertThat(Deployments.status(d, null).settled()).isFalse();
        assertThat(Deployments.rolledOut(d)).isFalse();
    }

    @Test
    void every_replica_updated_and_available_with_no_old_one_left_is_rolled_out() {
        Deployment d = deployment(3, 3, 3, 3, 3);

        assertThat(Deployments.status(d, null).settled()).isTrue();
        assertThat(Deployments.rolledOut(d)).isTrue();
    }

    @Test
    void a_generation_the_controller_has_not_observed_is_not_rolled_out() {
        Deployment d = deployment(3, 3, 3, 3, 3);
        d.getMetadata().setGeneration(3L);

        assertThat(Deployments.status(d, null).settled()).isFalse();
        assertThat(Deployments.rolledOut(d)).isFalse();
    }

    @Test
    void the_rolling_step_is_max_surge_rounded_up_plus_max_unavailable_rounded_down() {
        Deployment d = deployment(10, 10, 10, 10, 10);
        d.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder().withType("RollingUpdate")
                .withNewRollingUpdate().withNewMaxSurge("25%").withNewMaxUnavailable("25%").endRollingUpdate().build());

        assertThat(Deployments.rollingStep(d)).isEqualTo(3 + 2);
    }
}
