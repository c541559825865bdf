package io.cutover.kubernetes;

import static io.cutover.kubernetes.Cluster.NS;

import io.cutover.RolloutEngine;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.spi.StateStore;
import io.cutover.time.VirtualScheduler;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.cutover.kubernetes.traffic.EffectiveTraffic;
import io.cutover.kubernetes.traffic.TrafficCheck;

/**
 * An engine on virtual time over the CRUD mock server, the test Deployment controller on the same
 * clock, and a record of the world (Service selector, HTTPRoute weights, replicas) at every event.
 */
final class Harness {

    /** What the cluster looked like when an event was published. */
    record Snapshot(RolloutEvent event, String selectedVersion, Map<String, Integer> routeWeights,
                    Map<String, Integer> replicas, Map<String, String> images) { }

    final KubernetesClient mock;
    final KubernetesClient client;
    VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    final FakeDeploymentController controller;
    final List<Snapshot> snapshots = new ArrayList<>();
    /** The traffic the data plane really sends, from the mock server's objects and the controller's pods. */
    final EffectiveTraffic traffic;
    /** When set, compared with the router's report at every event of the rollout. */
    TrafficCheck check;
    /** More checks made at every event (a preview Service...). */
    final List<TrafficCheck> moreChecks = new ArrayList<>();
    /** The adapter's watch cache, when the test reads through one ({@link #useCache()}). */
    KubernetesCache cache;
    /** Whether the adapter reads ReplicaSets from the cache too (native rolling updates), so the catch-up waits for them. */
    boolean cacheReplicaSets;

    Harness(KubernetesClient mock) {
        this(mock, Duration.ofSeconds(10));
    }

    Harness(KubernetesClient mock, Duration startup) {
        this.mock = mock;
        this.client = Cluster.adapterClient(mock);
        this.controller = new FakeDeploymentController(mock, NS, () -> time.now(), startup, image -> image.contains("bad") && image.contains("never"));
        this.traffic = new EffectiveTraffic(mock, NS, controller::pods);
    }

    /** Lets the seeded Deployments become ready before the rollout starts. */
    void settle() {
        for (int i = 0; i < 30 && !controller.reconcile(); i++) {
            time.advance(Duration.ofSeconds(10));
        }
    }

    /** A new virtual time starting where the current one stands (the old engine's pending tasks never run). */
    void restartTime() {
        time = new VirtualScheduler(time.now());
    }

    RolloutEngine engine(StateStore store) {
        return RolloutEngine.builder().withScheduler(time).withClock(time.clock()).withStateStore(store)
                .onEvent(this::record).build();
    }

    /** Makes a watch cache on the adapter's client; {@link #controlled} then lets it catch up after every reconcile. */
    KubernetesCache useCache() {
        cache = KubernetesCache.of(client);
        return cache;
    }

    /** The target with its workloads driven by the test controller. */
    Target controlled(Target target) {
        Runnable caughtUp = cache == null ? () -> { } : () -> CacheCatchUp.await(mock, cache, NS, cacheReplicaSets);
        return target.toBuilder().workloads(new ControlledWorkloads(target.workloads(), controller, caughtUp)).metrics(new RevisionMetrics()).build();
    }

    private void record(RolloutEvent e) {
        if (check != null) {
            check.check(e.getClass().getSimpleName() + " at " + time.now());
        }
        moreChecks.forEach(c -> c.check(e.getClass().getSimpleName() + " at " + time.now()));
        if (e instanceof RolloutEvent.TrafficChanged || e instanceof RolloutEvent.ReplicasChanged || e instanceof RolloutEvent.StepStarted
                || e instanceof RolloutEvent.Promoted || e instanceof RolloutEvent.PhaseChanged) {
            snapshots.add(snapshot(e));
        }
    }

    Snapshot snapshot(RolloutEvent e) {
        Service svc = mock.services().inNamespace(NS).withName("myapp").get();
        String version = svc == null || svc.getSpec().getSelector() == null ? null : svc.getSpec().getSelector().get("version");
        Map<String, Integer> weights = new LinkedHashMap<>();
        HTTPRoute route = mock.resources(HTTPRoute.class).inNamespace(NS).withName("myapp").get();
        if (route != null) {
            route.getSpec().getRules().stream().filter(r -> !GatewayApiRouter.ROUTES_RULE.equals(r.getName()))
                    .flatMap(r -> r.getBackendRefs().stream()).filter(b -> b.getName().startsWith("myapp"))
                    .forEach(b -> weights.put(b.getName(), b.getWeight() == null ? 1 : b.getWeight()));
        }
        Map<String, Integer> replicas = new LinkedHashMap<>();
        Map<String, String> images = new LinkedHashMap<>();
        for (Deployment d : mock.apps().deployments().inNamespace(NS).list().getItems()) {
            replicas.put(d.getMetadata().getName(), d.getSpec().getReplicas());
            images.put(d.getMetadata().getName(), d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        }
        return new Snapshot(e, version, weights, replicas, images);
    }

    List<Snapshot> at(Class<? extends RolloutEvent> type) {
        return snapshots.stream().filter(s -> type.isInstance(s.event())).toList();
    }

    Deployment deployment(String name) {
        return mock.apps().deployments().inNamespace(NS).withName(name).get();
    }

    void close() {
        if (cache != null) {
            cache.close();
        }
        controller.close();
        client.close();
    }
}
