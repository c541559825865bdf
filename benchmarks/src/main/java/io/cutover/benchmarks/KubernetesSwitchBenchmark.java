package io.cutover.benchmarks;

import io.cutover.kubernetes.DeploymentWorkloads;
import io.cutover.kubernetes.KubernetesCache;
import io.cutover.kubernetes.ServiceSelectorRouter;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.InputStream;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The seed's blue-green switch ({@code ServiceSelectorRouter.apply}, blue to green and back) against
 * fabric8's CRUD mock API server, in-process: from a warm watch cache (one PATCH per switch) and
 * without a cache (the Deployments and the Service read, then the PATCH). The times say what the
 * adapter and its client add per switch on this machine, not how fast a real API server answers.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar KubernetesSwitchBenchmark -f 1 -wi 3 -w 3 -i 5 -r 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KubernetesSwitchBenchmark {

    private static final String NS = "shop";

    @Param({"cache", "direct"})
    public String reads;

    private KubernetesMockServer server;
    private KubernetesClient client;
    private KubernetesCache cache;
    private ServiceSelectorRouter router;
    private boolean green;

    @Setup(Level.Trial)
    public void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        KubernetesClient seeder = server.createClient();
        for (String seed : new String[] {"seed/blue-deployment.yaml", "seed/green-deployment.yaml", "seed/service.yaml"}) {
            try (InputStream in = KubernetesSwitchBenchmark.class.getResourceAsStream("/" + seed)) {
                for (HasMetadata item : seeder.load(in).items()) {
                    seeder.resource(item).inNamespace(NS).create();
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(seeder.getConfiguration())
                .withRequestRetryBackoffLimit(0).build()).build();
        DeploymentWorkloads.Builder workloads = DeploymentWorkloads.blueGreen(client, NS, "myapp").activeService("myapp");
        if (reads.equals("cache")) {
            cache = KubernetesCache.of(client);
            workloads.cache(cache);
        }
        router = ServiceSelectorRouter.builder(workloads.build(), "myapp").build();
        router.apply(TrafficSplit.weighted(100)); // marks the roles, warms the client (and the cache)
        router.apply(TrafficSplit.stableOnly());
    }

    @Benchmark
    public TrafficSplit switchOnce() {
        green = !green;
        TrafficSplit split = green ? TrafficSplit.weighted(100) : TrafficSplit.stableOnly();
        router.apply(split);
        return split;
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (cache != null) {
            cache.close();
        }
        client.close();
        server.destroy();
    }
}
