package io.cutover.kubernetes;

import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.kubernetes.internal.Kube;
import io.cutover.spi.Revision;
import io.cutover.state.RolloutState;
import io.cutover.state.StateIntegrity;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Findings: "Anyone who can write the state ConfigMap decides what ships" and "Kubernetes error
 * messages carry what the server echoed". On the fabric8 mock API server in CRUD mode.
 */
@EnableKubernetesMockClient(crud = true)
class ForgedConfigMapStateTest {

    KubernetesClient mock;

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final RolloutState STATE = RolloutState.initial("myapp", "myapp", Revision.of("v2.0.0", "myapp:v2.0.0"),
            "0123456789abcdef", 4, "v1.0.0", Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aStateEditedInItsConfigMapByAnyoneWithoutTheKeyIsRefusedAsAltered() {
        ConfigMapStateStore store = new ConfigMapStateStore(mock, NS, StateIntegrity.hmacSha256(KEY));
        store.save("myapp", STATE, null);
        assertThat(store.load("myapp")).get().extracting(s -> s.state().candidate().artifact()).isEqualTo("myapp:v2.0.0");
        String name = store.configMapName("myapp");

        mock.configMaps().inNamespace(NS).withName(name).edit(cm -> {
            cm.getData().put(ConfigMapStateStore.KEY,
                    cm.getData().get(ConfigMapStateStore.KEY).replace("myapp:v2.0.0", "attacker.example/miner:latest"));
            return cm;
        });

        assertThatThrownBy(() -> store.load("myapp")).isInstanceOf(CutoverException.class)
                .hasMessageContaining("configmap shop/" + name + " was altered")
                .hasMessageContaining("seal does not match");
        assertThat(store.integrityProtected()).isTrue();
        assertThat(new ConfigMapStateStore(mock, NS).withIntegrity(StateIntegrity.hmacSha256(KEY)).integrityProtected()).isTrue();
    }

    @Test
    void anApiErrorEchoingATokenOrForgingALogLineIsCleanedInTheMessage() {
        KubernetesClientException echoed = new KubernetesClientException(new StatusBuilder().withCode(403)
                .withMessage("forbidden: Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.s3cret\n2026-01-01 INFO rollout SUCCEEDED").build());

        CutoverException e = Kube.translate("patch", "deployment shop/myapp", echoed);

        assertThat(e).hasMessageContaining("forbidden (403)").hasMessageContaining("[redacted]");
        assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("eyJ").doesNotContain("\n");
    }
}
