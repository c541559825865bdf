package io.cutover.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helpers around the CRUD mock server: fixtures, the adapter's own client, and its recorded requests. */
final class Cluster {

    static final String NS = "shop";
    static final String ADAPTER_AGENT = "cutover-under-test";

    private Cluster() { }

    /** A client for the adapter: fabric8's own retries off (as {@link KubernetesTarget#client} makes them), a user agent to find its requests. */
    static KubernetesClient adapterClient(KubernetesClient mock) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(mock.getConfiguration())
                .withUserAgent(ADAPTER_AGENT).withRequestRetryBackoffLimit(0).build()).build();
    }

    /** Creates the objects of a fixture file under {@code src/test/resources}. */
    static void apply(KubernetesClient client, String resource) {
        try (InputStream in = Cluster.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            for (HasMetadata item : client.load(in).items()) {
                client.resource(item).inNamespace(NS).create();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void seedBlueGreen(KubernetesClient client) {
        apply(client, "seed/blue-deployment.yaml");
        apply(client, "seed/green-deployment.yaml");
        apply(client, "seed/service.yaml");
    }

    /** A request as "METHOD path" (query dropped). */
    record Call(String method, String path, String agent, boolean watch, String body) {
        @Override public String toString() { return method + " " + path; }
    }

    /** Takes every request recorded so far (the server forgets them), in order. */
    static List<Call> drain(KubernetesMockServer server) {
        List<Call> calls = new ArrayList<>();
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                String path = r.getPath();
                int q = path.indexOf('?');
                calls.add(new Call(r.getMethod(), q < 0 ? path : path.substring(0, q), r.getHeader("User-Agent"),
                        q >= 0 && path.substring(q).contains("watch=true"), r.getBody() == null ? "" : r.getBody().readUtf8()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return calls;
    }

    /** The adapter's requests among {@code calls}. */
    static List<Call> adapter(List<Call> calls) {
        return calls.stream().filter(c -> ADAPTER_AGENT.equals(c.agent())).toList();
    }
}
