package io.cutover.sim;

import io.cutover.internal.Checks;
import java.time.Duration;

/**
 * How a simulated revision behaves: the share of requests it fails, its latency (log-normal from a
 * median and a 99th percentile), how long a replica takes to become ready, or that it never does.
 *
 * <pre>{@code Behaviour.healthy().withErrorRate(0.2).withStartup(Duration.ofSeconds(20))}</pre>
 */
public record Behaviour(double errorRate, Duration latencyMedian, Duration latencyP99, Duration startup, boolean neverReady) {

    /**
     * Checks the error rate is a fraction, both latencies are positive with p99 not below the median,
     * and the startup is not negative.
     *
     * @param errorRate     the share of requests it fails, 0 to 1
     * @param latencyMedian its median latency
     * @param latencyP99    its 99th percentile latency
     * @param startup       how long a replica takes to become ready
     * @param neverReady    whether replicas never pass readiness
     */
    public Behaviour {
        Checks.fraction("errorRate", errorRate);
        Checks.positive("latencyMedian", latencyMedian);
        Checks.positive("latencyP99", latencyP99);
        if (latencyP99.compareTo(latencyMedian) < 0) {
            throw new IllegalArgumentException("latencyP99 " + latencyP99 + " is below latencyMedian " + latencyMedian);
        }
        Checks.notNegative("startup", startup);
    }

    /**
     * 0.5% errors, 40 ms median, 200 ms p99, ready 10 seconds after start.
     *
     * @return the healthy behaviour
     */
    public static Behaviour healthy() {
        return new Behaviour(0.005, Duration.ofMillis(40), Duration.ofMillis(200), Duration.ofSeconds(10), false);
    }

    /**
     * The same behaviour failing a share {@code rate} of its requests.
     *
     * @param rate 0 to 1
     * @return a new behaviour
     */
    public Behaviour withErrorRate(double rate) {
        return new Behaviour(rate, latencyMedian, latencyP99, startup, neverReady);
    }

    /**
     * The same behaviour with other latencies.
     *
     * @param median the median latency, above zero
     * @param p99    the 99th percentile, not below the median
     * @return a new behaviour
     */
    public Behaviour withLatency(Duration median, Duration p99) {
        return new Behaviour(errorRate, median, p99, startup, neverReady);
    }

    /**
     * The same behaviour with replicas ready {@code startup} after they start.
     *
     * @param startup zero or more
     * @return a new behaviour
     */
    public Behaviour withStartup(Duration startup) {
        return new Behaviour(errorRate, latencyMedian, latencyP99, startup, neverReady);
    }

    /**
     * Replicas start but never pass readiness.
     *
     * @return a new behaviour
     */
    public Behaviour neverReadyReplicas() {
        return new Behaviour(errorRate, latencyMedian, latencyP99, startup, true);
    }

    /**
     * The latency quantile {@code q} in seconds.
     *
     * @param q a quantile strictly between 0 and 1
     * @return the latency at that quantile, from the log-normal model
     */
    public double latencyQuantile(double q) {
        double median = latencyMedian.toNanos() / 1e9;
        double p99 = latencyP99.toNanos() / 1e9;
        double sigma = Math.log(p99 / median) / 2.3263478740408408;
        return median * Math.exp(sigma * NormalQuantile.of(q));
    }
}
