package io.cutover.benchmarks;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.fault.JumpingClock;
import io.cutover.Target;
import io.cutover.kubernetes.ConfigMapStateStore;
import io.cutover.kubernetes.Fleet;
import io.cutover.kubernetes.RolloutCatalog;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.time.VirtualScheduler;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * 1,000 rollouts over three engine replicas ({@link Fleet}) against one fabric8 mock API server in
 * CRUD mode, on virtual time: requests per second counted by the server while every rollout is paused
 * and while they progress, heap per rollout, and a failover (one replica frozen: how long until its
 * rollouts go on elsewhere, and what it writes when it wakes up). Workloads and traffic are the
 * in-memory platform, so the requests counted are the fleet's own (Leases, state ConfigMaps, the
 * ownership checks before writes); the adapters' platform requests per rollout are counted separately.
 *
 * <pre>{@code
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.cutover.benchmarks.FleetScale [rollouts]
 * }</pre>
 */
public final class FleetScale {

    static final String NS = "releases";
    static final int REPLICAS = 3;
    static final Deployment CANARY = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(30)).build();
    static final Revision V1 = Revision.of("v1", "app:v1");
    static final Revision V2 = Revision.of("v2", "app:v2");

    private final KubernetesMockServer server;
    private final VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    private final VirtualScheduler frozenTime = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    /** replica-0's clock: its scheduler's time, jumped forward when it wakes up as a resumed process's clock would be. */
    private final JumpingClock frozenClock = new JumpingClock(frozenTime.clock());
    private final List<Fleet> replicas = new ArrayList<>();
    private final List<KubernetesClient> clients = new ArrayList<>();
    private final Map<String, Target> targets = new HashMap<>();
    private final List<RecordedRequest> recorded = new ArrayList<>();
    private boolean frozen;

    private FleetScale() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        PrintStream out = System.out;
        FleetScale f = new FleetScale();
        try {
            f.run(n, out);
        } finally {
            f.close();
        }
    }

    private void run(int n, PrintStream out) {
        for (int i = 0; i < n; i++) {
            SimulatedPlatform platform = SimulatedPlatform.builder(time.clock()).seed(i).stable(V1, 4, Behaviour.healthy()).build();
            targets.put("app-" + i, platform.target("app-" + i));
        }
        for (int r = 0; r < REPLICAS; r++) {
            replicas.add(replica("replica-" + r, r == 0 ? frozenTime : time, r == 0 ? frozenClock : time.clock()));
        }
        replicas.forEach(Fleet::start);
        advance(Duration.ofSeconds(1));
        drain();
        long heapBefore = usedHeapAfterGc();

        Instant t0 = time.now();
        for (int i = 0; i < n; i++) {
            replicas.get(i % REPLICAS).start("app-" + i, CANARY, V2, targets.get("app-" + i));
        }
        while (!allAt(n, 10)) {
            advance(Duration.ofSeconds(1));
        }
        Counts starting = drain();
        Instant firstPauseFrom = t0;
        out.printf("%d rollouts over %d replicas: all at their first 30-minute pause %d virtual s after the first start; "
                + "%d requests (%s)%n", n, REPLICAS, Duration.between(t0, time.now()).toSeconds(), starting.total(), starting);
        long heapPaused = usedHeapAfterGc();

        Duration window = Duration.ofMinutes(10);
        advance(window);
        Counts paused = drain();
        out.printf("all paused, %d virtual s: %.2f requests/s (%.2f of them Lease renewals, %.2f Lease lists, %.2f other) %s%n",
                window.toSeconds(), paused.total() / (double) window.toSeconds(), paused.renewals / (double) window.toSeconds(),
                paused.leaseLists / (double) window.toSeconds(), paused.other() / (double) window.toSeconds(), paused);
        out.printf("heap per rollout (engines, runners, fleet; with the mock server's copy of its state ConfigMap): %.1f KiB%n",
                (heapPaused - heapBefore) / 1024.0 / n);

        // failover: replica-0 freezes (no renewal, no tick: a stopped process)
        Instant lastRenewal = time.now();
        frozen = true;
        List<String> orphans = new ArrayList<>(replicas.get(0).driving());
        Instant takenOver = null;
        while (takenOver == null && Duration.between(lastRenewal, time.now()).toSeconds() < 120) {
            advance(Duration.ofSeconds(1));
            if (orphans.stream().allMatch(name -> replicas.get(1).driving().contains(name) || replicas.get(2).driving().contains(name))) {
                takenOver = time.now();
            }
        }
        Counts failover = drain();
        out.printf("failover: replica-0 frozen with %d rollouts; all driven by replica-1 (%d) and replica-2 (%d) %s after its last tick "
                        + "(Lease 15 s, tick 5 s); requests meanwhile: %s%n", orphans.size(),
                orphans.stream().filter(o -> replicas.get(1).driving().contains(o)).count(),
                orphans.stream().filter(o -> replicas.get(2).driving().contains(o)).count(),
                takenOver == null ? "never (within 120 s)" : Duration.between(lastRenewal, takenOver).toSeconds() + " s", failover);

        // progress: the first pause ends; every rollout goes to 50% and pauses again
        Instant waitFrom = time.now();
        while (time.now().isBefore(firstPauseFrom.plus(Duration.ofMinutes(30)).minusSeconds(2))) {
            advance(Duration.ofSeconds(1));
        }
        Counts waiting = drain();
        out.printf("paused again until the first pause ends: %.2f requests/s %s%n",
                waiting.total() / (double) Math.max(1, Duration.between(waitFrom, time.now()).toSeconds()), waiting);
        Instant progressFrom = time.now();
        while (!allAt(n, 50)) {
            advance(Duration.ofSeconds(1));
        }
        Counts progressing = drain();
        long seconds = Math.max(1, Duration.between(progressFrom, time.now()).toSeconds());
        out.printf("progressing (the first pause ends, 50%%, the second pause starts), %d virtual s: %.2f requests/s %s%n",
                seconds, progressing.total() / (double) seconds, progressing);

        // the frozen replica wakes up: its clock jumps to the others' time, and it runs ten minutes along with them
        frozenClock.jump(Duration.between(frozenTime.now(), time.now()));
        frozen = false;
        advance(Duration.ofMinutes(10));
        Counts woke = drain();
        out.printf("replica-0 woke up: %d requests from it, %d writes of anything but its own Lease %n",
                woke.byAgent.getOrDefault("replica-0", 0), woke.foreignWritesOf("replica-0"));
        woke.requests.stream().filter(r -> "replica-0".equals(r.getHeader("User-Agent")) && !r.getMethod().equals("GET")
                && !r.getPath().contains("/leases/")).limit(5).forEach(r -> out.println("  " + r.getMethod() + " " + r.getPath() + " " + r.getBody().readUtf8()));
        int ended = 0;
        while (ended < n && time.now().isBefore(progressFrom.plus(Duration.ofHours(2)))) {
            advance(Duration.ofMinutes(1));
            ended = (int) new ConfigMapStateStore(clients.get(1), NS).list().stream().filter(s -> s.state().phase() == Phase.SUCCEEDED).count();
        }
        out.printf("succeeded: %d of %d%n", ended, n);
    }

    /** Whether every rollout is driven by a live replica with at least {@code weight}% on the candidate (read in memory). */
    private boolean allAt(int n, int weight) {
        long at = 0;
        for (Fleet f : replicas) {
            if (f == replicas.get(0) && frozen) {
                continue;
            }
            for (String name : f.driving()) {
                at += f.rollout(name).map(r -> r.status().split().candidateWeight() >= weight ? 1 : 0).orElse(0);
            }
        }
        return at >= n;
    }

    private void advance(Duration d) {
        for (long s = 0; s < d.toSeconds(); s++) {
            time.advance(Duration.ofSeconds(1));
            if (!frozen) {
                frozenTime.advance(Duration.ofSeconds(1));
            }
        }
    }

    private Fleet replica(String identity, VirtualScheduler scheduler, java.time.Clock clock) {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(server.createClient().getConfiguration())
                .withUserAgent(identity).withRequestRetryBackoffLimit(0).withNamespace(NS).build()).build();
        clients.add(client);
        RolloutCatalog catalog = state -> Optional.ofNullable(targets.get(state.name())).map(t -> new RolloutCatalog.Entry(CANARY, t));
        return Fleet.builder(client, NS).identity(identity)
                .engine(RolloutEngine.builder().withScheduler(scheduler).withClock(clock))
                .catalog(catalog).withScheduler(scheduler).withClock(clock).build();
    }

    /** Requests the server recorded since the last drain, by kind and by replica. */
    static final class Counts {
        int renewals;
        int leaseLists;
        int stateReads;
        int stateWrites;
        int stateLists;
        final Map<String, Integer> byAgent = new TreeMap<>();
        final List<RecordedRequest> requests = new ArrayList<>();

        int total() {
            return requests.size();
        }

        int other() {
            return total() - renewals - leaseLists;
        }

        long foreignWritesOf(String agent) {
            return requests.stream().filter(r -> agent.equals(r.getHeader("User-Agent")) && !r.getMethod().equals("GET")
                    && !r.getPath().contains("/leases/cutover-engine-" + agent)).count();
        }

        @Override
        public String toString() {
            return "[lease renewals " + renewals + ", lease lists " + leaseLists + ", state reads " + stateReads
                    + ", state writes " + stateWrites + ", state lists " + stateLists + ", by replica " + byAgent + "]";
        }
    }

    private Counts drain() {
        Counts c = new Counts();
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                c.requests.add(r);
                String path = r.getPath();
                boolean get = r.getMethod().equals("GET");
                if (path.contains("/leases")) {
                    if (get) {
                        c.leaseLists++;
                    } else {
                        c.renewals++;
                    }
                } else if (path.contains("/configmaps/")) {
                    if (get) {
                        c.stateReads++;
                    } else {
                        c.stateWrites++;
                    }
                } else if (path.contains("/configmaps")) {
                    if (get) {
                        c.stateLists++;
                    } else {
                        c.stateWrites++;
                    }
                }
                c.byAgent.merge(String.valueOf(r.getHeader("User-Agent")), 1, Integer::sum);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return c;
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private void close() {
        replicas.forEach(f -> f.engine().shutdown());
        clients.forEach(KubernetesClient::close);
        server.destroy();
    }
}
