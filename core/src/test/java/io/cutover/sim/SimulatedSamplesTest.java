package io.cutover.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cutover.spi.Measure;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSamples;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SimulatedSamplesTest {

    static final Revision V1 = Revision.of("v1", "app:v1");
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    static SimulatedPlatform platform(VirtualScheduler time, long seed) {
        return SimulatedPlatform.builder(time.clock()).seed(seed).requestsPerSecond(100)
                .stable(V1, 3, Behaviour.healthy().withErrorRate(0.02)).build();
    }

    static MetricQuery query(Instant at, Duration window) {
        return new MetricQuery("app", V1, Role.STABLE, window, at);
    }

    @Test
    void samplesAreWholeStepsOfWhatTheRevisionServedWithLatencyNoiseFromTheSeed() {
        VirtualScheduler time = new VirtualScheduler(START);
        SimulatedPlatform p = platform(time, 3);
        time.advance(Duration.ofMinutes(5).plusSeconds(15));
        Instant now = START.plus(Duration.ofMinutes(5)).plusSeconds(15);
        MetricSamples rps = p.samples(query(now, Duration.ofMinutes(5)), Measure.requestRate(), Duration.ofSeconds(30));
        // 5 minutes back from 5:15 reach 0:15; whole 30-second steps in it end at 1:00 .. 5:00
        assertThat(rps.points()).hasSize(9);
        assertThat(rps.points().get(0).at()).isEqualTo(START.plusSeconds(60));
        assertThat(rps.points().get(8).at()).isEqualTo(START.plusSeconds(300));
        assertThat(Arrays.stream(rps.values()).boxed().toList()).allSatisfy(v -> assertThat(v).isCloseTo(100, within(1e-9)));
        double[] errors = p.samples(query(now, Duration.ofMinutes(5)), Measure.errorRate(), Duration.ofSeconds(30)).values();
        assertThat(Arrays.stream(errors).average().orElseThrow()).isCloseTo(0.02, within(0.005));
        double[] p99 = p.samples(query(now, Duration.ofMinutes(5)), Measure.latency(0.99), Duration.ofSeconds(30)).values();
        assertThat(Arrays.stream(p99).distinct().count()).isEqualTo(9);
        assertThat(Arrays.stream(p99).average().orElseThrow()).isCloseTo(0.2, within(0.03));
        assertThat(p.samples(query(now, Duration.ofMinutes(5)), Measure.latency(0.99), Duration.ofSeconds(30)).values())
                .as("asked again, the same answer").containsExactly(p99);
    }

    @Test
    void theSameSeedGivesTheSameSamplesAndAskingLeavesTheRestOfTheSimulationAlone() {
        VirtualScheduler t1 = new VirtualScheduler(START);
        VirtualScheduler t2 = new VirtualScheduler(START);
        SimulatedPlatform asked = platform(t1, 5);
        SimulatedPlatform quiet = platform(t2, 5);
        for (int i = 0; i < 10; i++) {
            t1.advance(Duration.ofSeconds(30));
            t2.advance(Duration.ofSeconds(30));
            asked.samples(query(t1.clock().instant(), Duration.ofMinutes(5)), Measure.latency(0.99), Duration.ofSeconds(10));
        }
        assertThat(asked.userFailures()).isEqualTo(quiet.userFailures());
        Instant now = t1.clock().instant();
        assertThat(asked.samples(query(now, Duration.ofMinutes(5)), Measure.latency(0.99), Duration.ofSeconds(10)))
                .isEqualTo(quiet.samples(query(now, Duration.ofMinutes(5)), Measure.latency(0.99), Duration.ofSeconds(10)));
    }

    @Test
    void noTrafficIsNoDataAndAStepOffTheBucketGridIsRefused() {
        VirtualScheduler time = new VirtualScheduler(START);
        SimulatedPlatform p = platform(time, 1);
        MetricQuery other = new MetricQuery("app", Revision.of("v2", "app:v2"), Role.CANDIDATE, Duration.ofMinutes(5), START);
        assertThat(p.samples(other, Measure.errorRate(), Duration.ofSeconds(10)).noDataReason()).contains("no requests to v2");
        time.advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> p.samples(query(time.clock().instant(), Duration.ofMinutes(1)), Measure.errorRate(), Duration.ofSeconds(15)))
                .hasMessageContaining("step must be a whole multiple");
    }
}
