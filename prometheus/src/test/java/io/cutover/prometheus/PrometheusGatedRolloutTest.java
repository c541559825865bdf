package io.cutover.prometheus;

import static io.cutover.gate.Gates.latency;
import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.gate.Gate;
import io.cutover.gate.GatePolicy;
import io.cutover.gate.Verdict;
import io.cutover.prometheus.server.PrometheusServer;
import io.cutover.prometheus.server.RealPrometheus;
import io.cutover.prometheus.server.TrafficDataset;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A canary on the simulated platform whose gates read the real Prometheus: the bad canary is rolled
 * back, the good one promoted. Virtual time starts inside the backfilled data.
 */
@ExtendWith(RealPrometheus.class)
class PrometheusGatedRolloutTest {

    private static final Revision STABLE = Revision.of(TrafficDataset.STABLE, "myapp:v1");

    private final VirtualScheduler time = new VirtualScheduler(TrafficDataset.START.plus(Duration.ofMinutes(30)));
    private final SimulatedPlatform platform = SimulatedPlatform.builder(time.clock())
            .stable(STABLE, 5, Behaviour.healthy()).build();
    private final RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withClock(time.clock()).build();
    private final Target target;

    PrometheusGatedRolloutTest(PrometheusServer server) {
        PrometheusMetricSource prometheus = PrometheusMetricSource.builder(PrometheusClient.builder(server.uri()).build())
                .templates(Presets.httpRequestsTotal())
                .build();
        this.target = platform.target(TrafficDataset.APP).toBuilder().metrics(prometheus).build();
    }

    private static Deployment canary(Gate... gates) {
        return Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5)).gate(gates).build();
    }

    private RolloutResult roll(Deployment deployment, String revision) {
        return engine.start("myapp", deployment, Revision.of(revision, "myapp:" + revision), target).await();
    }

    @Test
    void theBadCanaryIsRolledBack() {
        RolloutResult result = roll(canary(successRate(0.95), latency(0.99, Duration.ofMillis(300))), TrafficDataset.BAD);

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("success-rate").contains("0.8");
        assertThat(platform.read()).isEqualTo(TrafficSplit.stableOnly());
        assertThat(platform.stableRevision()).isEqualTo(TrafficDataset.STABLE);
        assertThat(platform.violations()).isEmpty();
    }

    @Test
    void theGoodCanaryIsPromoted() {
        RolloutResult result = roll(canary(successRate(0.95), latency(0.99, Duration.ofMillis(300))), TrafficDataset.GOOD);

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(platform.stableRevision()).isEqualTo(TrafficDataset.GOOD);
        assertThat(result.measurements()).isNotEmpty().allSatisfy(m -> assertThat(m.verdict()).isEqualTo(Verdict.PASSED));
        assertThat(platform.violations()).isEmpty();
    }

    @Test
    void theRawSeedGateTellsThemApartToo() {
        Gate seed = PromQlGate.builder(
                "sum(rate(http_requests_total{service=\"${app}\",version=\"${revision}\",status=~\"2.*\"}[5m]))"
                        + " / sum(rate(http_requests_total{service=\"${app}\",version=\"${revision}\"}[5m]))")
                .name("seed-success-rate").atLeast(0.95).build();
        assertThat(roll(canary(seed), TrafficDataset.BAD).phase()).isEqualTo(Phase.ABORTED);
    }

    @Test
    void theRawSeedGatePromotesTheGoodCanary() {
        Gate seed = PromQlGate.builder(
                "sum(rate(http_requests_total{service=\"${app}\",version=\"${revision}\",status=~\"2.*\"}[5m]))"
                        + " / sum(rate(http_requests_total{service=\"${app}\",version=\"${revision}\"}[5m]))")
                .name("seed-success-rate").atLeast(0.95).build();
        RolloutResult result = roll(canary(seed), TrafficDataset.GOOD);
        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
    }

    @Test
    void aCanaryWithoutTrafficPausesForAPersonByDefault() {
        RolloutResult result = roll(canary(successRate(0.95)), TrafficDataset.IDLE);
        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.PAUSED);
        assertThat(result.reason()).contains("inconclusive").contains("NaN");
    }

    @Test
    void aCanaryWithoutTrafficAbortsWhenThePolicyCountsNoDataAsError() {
        Deployment strict = Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5))
                .gate(successRate(0.95))
                .analysis(GatePolicy.builder().noData(Verdict.ERROR).consecutiveErrorLimit(1).build())
                .build();
        RolloutResult result = roll(strict, TrafficDataset.IDLE);
        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.ABORTED);
        assertThat(platform.stableRevision()).isEqualTo(TrafficDataset.STABLE);
    }

    @Test
    void aQueryThePrometheusServerRefusesAbortsWithItsMessage() {
        Gate broken = PromQlGate.builder("sum(rate(http_requests_total{version=\"${revision}\"}[5m])").atLeast(1).build();
        RolloutResult result = roll(canary(broken), TrafficDataset.GOOD);
        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.ABORTED);
        assertThat(result.reason()).contains("errored").contains("bad_data").contains("parse error");
        assertThat(platform.stableRevision()).isEqualTo(TrafficDataset.STABLE);
    }
}
