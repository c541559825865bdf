package io.cutover.kubernetes;

import static io.cutover.kubernetes.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.RolloutEngine;
import io.cutover.fault.JumpingClock;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.time.VirtualScheduler;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The engine's token bucket: every request of its client waits for it, 1,000 rollouts included, and
 * urgent writes (traffic back to stable) jump the line.
 */
@EnableKubernetesMockClient(crud = true)
class ClientRequestBudgetTest {

    KubernetesClient mock;
    KubernetesMockServer server;

    @Test
    void under_a_thousand_rollouts_no_virtual_second_after_the_burst_sends_more_requests_than_the_qps() {
        VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        ReplicaTime replicaTime = new ReplicaTime(time);
        RequestBudget budget = RequestBudget.builder().qps(40).burst(80).withClock(replicaTime).withPacer(replicaTime::waitFor).build();
        List<Instant> sent = Collections.synchronizedList(new ArrayList<>());
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(mock.getConfiguration())
                        .withRequestRetryBackoffLimit(0).build())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("budget", budget.interceptor())
                        .addOrReplaceInterceptor("record", new Interceptor() {
                            @Override
                            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                                sent.add(replicaTime.instant());
                            }
                        }))
                .build();
        Deployment canary = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(1)).build();
        Fleet fleet = Fleet.builder(client, NS).identity("replica-a")
                .engine(RolloutEngine.builder().withScheduler(time).withClock(time.clock()))
                .catalog(state -> Optional.empty()).withScheduler(time).build();
        fleet.start();
        time.advance(Duration.ofSeconds(1));
        sent.clear(); // from here on: a full bucket, then 1,000 rollouts starting at once
        long grantedBefore = budget.granted();
        int before = server.getRequestCount();

        for (int i = 0; i < 1000; i++) {
            SimulatedPlatform platform = SimulatedPlatform.builder(time.clock()).seed(i)
                    .stable(Revision.of("v1", "app:v1"), 4, Behaviour.healthy()).build();
            fleet.start("app-" + i, canary, Revision.of("v2", "app:v2"), platform.target("app-" + i));
        }
        int starting = sent.size();
        time.advance(Duration.ofSeconds(10));

        assertThat(sent).as("every request passed the budget").hasSize(server.getRequestCount() - before)
                .hasSize((int) (budget.granted() - grantedBefore));
        assertThat(starting).as("requests of 1,000 starts").isGreaterThan(4000);
        Map<Long, Integer> perSecond = new TreeMap<>();
        Instant first = sent.get(0);
        sent.subList(0, starting).forEach(at -> perSecond.merge(Duration.between(first, at).toSeconds(), 1, Integer::sum));
        assertThat(perSecond.get(0L)).as("the first second: the burst and that second's tokens").isLessThanOrEqualTo(80 + 40);
        perSecond.forEach((second, count) -> {
            if (second > 0) {
                assertThat(count).as("requests in virtual second %d of the starts", second).isLessThanOrEqualTo(40);
            }
        });
        assertThat(perSecond.values().stream().filter(c -> c == 40).count()).as("seconds the bucket was the limit").isGreaterThan(90);
        for (int i = 0; i < sent.size(); i++) { // and at no point, idle gaps included, more than the bucket allows
            for (int j = i + 1; j < sent.size() && j < i + 200; j++) {
                double seconds = Duration.between(sent.get(i), sent.get(j)).toNanos() / 1e9;
                assertThat(j - i + 1).as("requests %d..%d", i, j).isLessThanOrEqualTo((int) Math.floor(80 + 40 * seconds) + 1);
            }
        }
        fleet.stop();
        client.close();
    }

    @Test
    void an_urgent_request_goes_before_every_ordinary_one_waiting_and_the_others_keep_their_order() throws Exception {
        JumpingClock clock = new JumpingClock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        RequestBudget budget = RequestBudget.builder().qps(10).burst(1).withClock(clock)
                .withPacer(d -> Thread.sleep(1)).build(); // the clock stands still until the test moves it
        budget.acquire(); // the burst is spent
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = "ordinary-" + i;
            threads.add(start(() -> take(budget, order, name)));
            int waiting = i + 1;
            await(() -> budget.waiting() == waiting);
        }
        threads.add(start(() -> RequestBudget.urgently(() -> take(budget, order, "abort-write"))));
        await(() -> budget.waiting() == 5);

        for (int token = 1; token <= 5; token++) {
            clock.jump(Duration.ofMillis(100)); // one token
            int granted = token;
            await(() -> order.size() == granted);
        }

        assertThat(order).containsExactly("abort-write", "ordinary-0", "ordinary-1", "ordinary-2", "ordinary-3");
        assertThat(budget.urgentGranted()).isEqualTo(1);
        for (Thread t : threads) {
            t.join(10_000);
        }
    }

    @Test
    void a_client_built_with_a_budget_sends_every_request_through_it_and_does_not_retry_on_its_own() {
        RequestBudget budget = RequestBudget.defaults();
        KubernetesClient client = KubernetesTarget.client(mock.getConfiguration(), budget);

        client.configMaps().inNamespace(NS).list();
        client.leases().inNamespace(NS).withName("absent").get();

        assertThat(budget.granted()).isEqualTo(2);
        assertThat(client.getConfiguration().getRequestRetryBackoffLimit()).isZero();
        client.close();
    }

    @Test
    void a_budget_refuses_settings_that_cannot_work() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RequestBudget.builder().qps(0))
                .hasMessageContaining("qps must be positive and finite: 0.0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RequestBudget.builder().qps(Double.NaN))
                .hasMessageContaining("qps");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RequestBudget.builder().burst(0))
                .hasMessageContaining("burst must be at least 1: 0");
        assertThat(RequestBudget.defaults().qps()).isEqualTo(40);
        assertThat(RequestBudget.defaults().burst()).isEqualTo(80);
    }

    /**
     * One replica's time, as a single engine thread lives it: the virtual scheduler's time, or later
     * while a request has waited for the budget (the tasks behind it run late, as they would).
     */
    private static final class ReplicaTime extends Clock {
        private final VirtualScheduler time;
        private Instant waitedUntil = Instant.MIN;

        ReplicaTime(VirtualScheduler time) {
            this.time = time;
        }

        synchronized void waitFor(Duration d) {
            waitedUntil = instant().plus(d);
        }

        @Override
        public synchronized Instant instant() {
            Instant now = time.now();
            return now.isAfter(waitedUntil) ? now : waitedUntil;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private static void take(RequestBudget budget, List<String> order, String name) {
        try {
            budget.acquire();
            order.add(name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread start(Runnable body) {
        Thread t = new Thread(body);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for a condition other threads make true (no timing is asserted; the limit only stops a broken run). */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 20_000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(1);
        }
        assertThat(condition.getAsBoolean()).as("condition reached").isTrue();
    }
}
