package io.cutover.kubernetes;

import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Phase;
import io.cutover.RolloutResult;
import io.cutover.examples.KubernetesBlueGreenExample;
import io.cutover.spi.Revision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

/** The blue-green example, run against the mock server with the seed's manifests. */
@EnableKubernetesMockClient(crud = true)
class KubernetesBlueGreenExampleTest {

    KubernetesClient mock;

    @Test
    void the_example_switches_the_seed_service_from_blue_to_green() {
        Harness h = new Harness(mock);
        try {
            Cluster.seedBlueGreen(mock);
            h.settle();
            RolloutResult result = KubernetesBlueGreenExample.run(h.engine(new ConfigMapStateStore(h.client, NS)),
                    h.controlled(KubernetesBlueGreenExample.target(h.client, NS)), Revision.of("v2.0.0", "myapp:v2.0.0"));

            assertThat(result.phase()).as("%s", result).isEqualTo(Phase.SUCCEEDED);
            assertThat(mock.services().inNamespace(NS).withName("myapp").get().getSpec().getSelector()).containsEntry("version", "green");
            assertThat(h.deployment("myapp-blue").getSpec().getReplicas()).isZero();
            assertThat(mock.configMaps().inNamespace(NS).withName("cutover-rollout-myapp").get().getData())
                    .containsKey(ConfigMapStateStore.KEY);
        } finally {
            h.close();
        }
    }
}
