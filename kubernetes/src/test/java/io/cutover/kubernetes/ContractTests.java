package io.cutover.kubernetes;

import static io.cutover.kubernetes.Cluster.NS;

import io.cutover.test.contract.StateStoreContract;
import io.cutover.test.contract.TrafficRouterContract;
import io.cutover.test.contract.WorkloadsContract;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.StateStore;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.Workloads;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;

/** Core's contract tests, run against each Kubernetes adapter on the CRUD mock server. */
class ContractTests {

    /** Fixtures and a controller on a clock the tests move. */
    abstract static class Env {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        FakeDeploymentController controller;
        KubernetesClient client;

        void start(KubernetesClient mock) {
            client = Cluster.adapterClient(mock);
            controller = new FakeDeploymentController(mock, NS, now::get, Duration.ofSeconds(5), image -> false);
        }

        void settle() {
            for (int i = 0; i < 30 && !controller.reconcile(); i++) {
                now.updateAndGet(t -> t.plusSeconds(10));
            }
        }
    }

    @Nested
    @EnableKubernetesMockClient(crud = true)
    class BlueGreenWorkloads extends WorkloadsContract {
        KubernetesClient mock;
        final Env env = new Env() { };

        @Override
        protected Workloads newWorkloads() {
            env.start(mock);
            Cluster.apply(mock, "seed/blue-deployment.yaml");
            Cluster.apply(mock, "seed/service.yaml");
            env.settle();
            return DeploymentWorkloads.blueGreen(env.client, NS, "myapp").activeService("myapp").build();
        }

        @Override protected String stableRevision() { return "v1.0.0"; }
        @Override protected void settle() { env.settle(); }
    }

    @Nested
    @EnableKubernetesMockClient(crud = true)
    class CanaryWorkloads extends WorkloadsContract {
        KubernetesClient mock;
        final Env env = new Env() { };

        @Override
        protected Workloads newWorkloads() {
            env.start(mock);
            Cluster.apply(mock, "seed/rolling-deployment.yaml");
            env.settle();
            return DeploymentWorkloads.canary(env.client, NS, "myapp").build();
        }

        @Override protected String stableRevision() { return "v1.0.0"; }
        @Override protected void settle() { env.settle(); }
    }

    @Nested
    @EnableKubernetesMockClient(crud = true)
    class NativeWorkloads extends WorkloadsContract {
        KubernetesClient mock;
        final Env env = new Env() { };

        @Override
        protected Workloads newWorkloads() {
            env.start(mock);
            Cluster.apply(mock, "seed/rolling-deployment.yaml");
            env.settle();
            return NativeDeploymentWorkloads.builder(env.client, NS, "myapp").pauseAtBatches(true).build();
        }

        @Override protected String stableRevision() { return "v1.0.0"; }

        @Override
        protected void settle() {
            // the engine's status polls are what pause a batch: poll while the controller works
            for (int i = 0; i < 30 && !env.controller.reconcile(); i++) {
                workloads.status(Role.CANDIDATE);
                env.now.updateAndGet(t -> t.plusSeconds(10));
            }
            workloads.status(Role.CANDIDATE);
        }
    }

    @Nested
    @EnableKubernetesMockClient(crud = true)
    class ServiceSelector extends TrafficRouterContract {
        KubernetesClient mock;
        final Env env = new Env() { };

        @Override
        protected TrafficRouter newRouter() {
            env.start(mock);
            Cluster.seedBlueGreen(mock);
            return ServiceSelectorRouter.builder(DeploymentWorkloads.blueGreen(env.client, NS, "myapp").activeService("myapp").build(), "myapp")
                    .build();
        }
    }

    @Nested
    @EnableKubernetesMockClient(crud = true)
    class ReplicaRatio extends TrafficRouterContract {
        KubernetesClient mock;
        final Env env = new Env() { };

        @Override
        protected TrafficRouter newRouter() {
            env.start(mock);
            Cluster.apply(mock, "seed/rolling-deployment.yaml");
            Cluster.apply(mock, "gateway/canary.yaml");
            DeploymentWorkloads w = DeploymentWorkloads.canary(env.client, NS, "myapp").build();
            w.deploy(Revision.of("v2", "myapp:v2"), 1);
            w.scale(Role.CANDIDATE, 0);
            env.settle();
            return ReplicaRatioRouter.of(w, "myapp");
        }
    }

    @Nested
    @EnableKubernetesMockClient(crud = true)
    class GatewayApi extends TrafficRouterContract {
        KubernetesClient mock;
        final Env env = new Env() { };

        @Override
        protected TrafficRouter newRouter() {
            env.start(mock);
            Cluster.apply(mock, "gateway/canary.yaml");
            return GatewayApiRouter.builder(env.client, NS, "myapp").backends("myapp", "myapp-canary").build();
        }
    }

    @Nested
    @EnableKubernetesMockClient(crud = true)
    class ConfigMaps extends StateStoreContract {
        KubernetesClient mock;

        @Override
        protected StateStore newStore() {
            return new ConfigMapStateStore(Cluster.adapterClient(mock), NS);
        }
    }
}
