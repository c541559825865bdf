package io.cutover.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kubernetes API failures reach the engine as CutoverExceptions of the right kind, naming verb and resource. */
@EnableKubernetesMockClient(crud = true, https = false)
class VirtualServiceRouterErrorsTest {

    private static final String PATH = "/apis/networking.istio.io/v1beta1/namespaces/shop/virtualservices/myapp";

    KubernetesClient client;
    KubernetesMockServer server;
    KubernetesClient noRetries;
    VirtualServiceRouter router;

    @BeforeEach
    void seed() {
        IstioFixtures.installCrds(client);
        IstioFixtures.create(client, "virtualservice-seed.yaml", "shop");
        // The engine owns retries: a client that retries by itself would stack its retries on the engine's.
        noRetries = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build()).build();
        router = VirtualServiceRouter.builder(noRetries).virtualService("shop", "myapp").build();
    }

    @AfterEach
    void close() {
        noRetries.close();
    }

    @ParameterizedTest
    @CsvSource({"408, TRANSIENT", "429, TRANSIENT", "500, TRANSIENT", "503, TRANSIENT", "403, PERMANENT", "422, PERMANENT"})
    void aFailedUpdateIsClassifiedAsTheKubernetesModuleClassifiesIt(int code, CutoverException.Kind kind) {
        server.expect().put().withPath(PATH)
                .andReturn(code, new StatusBuilder().withCode(code).withMessage("refused by test").build()).once();

        assertThatThrownBy(() -> router.apply(TrafficSplit.weighted(25)))
                .isInstanceOfSatisfying(CutoverException.class, e -> {
                    assertThat(e.kind()).isEqualTo(kind);
                    assertThat(e.operation()).isEqualTo("update virtualservice shop/myapp");
                    assertThat(e.kind()).isEqualTo(io.cutover.kubernetes.internal.Kube.translate("update", "virtualservice shop/myapp",
                            new io.fabric8.kubernetes.client.KubernetesClientException("x", code, null)).kind());
                })
                .hasMessageContaining("update virtualservice shop/myapp").hasMessageContaining("(" + code + ")");
    }

    @Test
    void aConflictIsReadAndReappliedAsInTheKubernetesModule() {
        server.expect().put().withPath(PATH)
                .andReturn(409, new StatusBuilder().withCode(409).withMessage("the object has been modified").build()).once();

        router.apply(TrafficSplit.weighted(25));

        assertThat(router.read()).isEqualTo(TrafficSplit.weighted(25));
    }

    @Test
    void conflictsThatPersistReachTheEngineAsConflict() {
        server.expect().put().withPath(PATH)
                .andReturn(409, new StatusBuilder().withCode(409).withMessage("the object has been modified").build()).times(3);

        assertThatThrownBy(() -> router.apply(TrafficSplit.weighted(25)))
                .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.kind()).isEqualTo(CutoverException.Kind.CONFLICT));
    }

    @Test
    void aFailedReadIsTranslated() {
        server.expect().get().withPath(PATH)
                .andReturn(500, new StatusBuilder().withCode(500).withMessage("etcd unavailable").build()).once();

        assertThatThrownBy(() -> router.read())
                .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.kind()).isEqualTo(CutoverException.Kind.TRANSIENT))
                .hasMessageContaining("get virtualservice shop/myapp");
    }

    @Test
    void anUnreachableApiServerIsTransient() {
        KubernetesClient nowhere = new KubernetesClientBuilder().withConfig(new ConfigBuilder(noRetries.getConfiguration())
                .withMasterUrl("http://127.0.0.1:1").build()).build();
        try {
            VirtualServiceRouter unreachable = VirtualServiceRouter.builder(nowhere).virtualService("shop", "myapp").build();
            assertThatThrownBy(unreachable::read)
                    .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.kind()).isEqualTo(CutoverException.Kind.TRANSIENT))
                    .hasMessageContaining("get virtualservice shop/myapp");
        } finally {
            nowhere.close();
        }
    }

    @Test
    void anInterruptedCallKeepsTheInterruptFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> router.read()).isInstanceOf(CutoverException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
