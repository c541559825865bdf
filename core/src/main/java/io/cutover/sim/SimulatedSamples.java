package io.cutover.sim;

import io.cutover.spi.Measure;
import io.cutover.spi.MetricSamples;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Per-interval samples from what a simulated revision served: rates from its requests and errors,
 * latency quantiles drawn as the quantile of that interval's requests would come out. The noise of an
 * interval comes from the platform's seed, the revision, the interval and the measure alone, so the
 * same question always gets the same answer and asking never disturbs the rest of the simulation.
 */
final class SimulatedSamples {

    private SimulatedSamples() { }

    /**
     * @param requests     requests per bucket, bucket 0 starting at {@code firstBucket} seconds since the epoch
     * @param errors       errors per bucket
     * @param bucket       the bucket length
     * @param firstBucket  the start of bucket 0, in seconds since the epoch
     * @param integratedTo the instant up to which buckets hold what was served
     */
    static MetricSamples of(double[] requests, double[] errors, Duration bucket, long firstBucket, Instant integratedTo,
                            Behaviour behaviour, long seed, String revision, Instant at, Duration window, Measure measure,
                            Duration step) {
        long bucketSeconds = bucket.getSeconds();
        long stepSeconds = step.getSeconds();
        if (step.getNano() != 0 || stepSeconds % bucketSeconds != 0) {
            throw new IllegalArgumentException("step must be a whole multiple of the simulator's " + bucket + " buckets: " + step);
        }
        Instant end = at.isAfter(integratedTo) ? integratedTo : at;
        long lastEnd = Math.floorDiv(end.getEpochSecond(), stepSeconds) * stepSeconds;
        long firstStart = Math.floorDiv(at.minus(window).getEpochSecond() + stepSeconds - 1, stepSeconds) * stepSeconds;
        List<MetricSamples.Point> points = new ArrayList<>();
        for (long start = firstStart; start + stepSeconds <= lastEnd; start += stepSeconds) {
            double n = 0;
            double e = 0;
            for (long s = start; s < start + stepSeconds; s += bucketSeconds) {
                int i = (int) ((s - firstBucket) / bucketSeconds);
                if (s >= firstBucket && i < requests.length) {
                    n += requests[i];
                    e += errors[i];
                }
            }
            if (n <= 0) {
                continue;
            }
            double value = switch (measure.kind()) {
                case ERROR_RATE -> e / n;
                case SUCCESS_RATE -> 1 - e / n;
                case REQUEST_RATE -> n / stepSeconds;
                case LATENCY -> latency(behaviour, measure.quantile(), n, noise(seed, revision, start, measure));
            };
            points.add(new MetricSamples.Point(Instant.ofEpochSecond(start + stepSeconds), value));
        }
        return points.isEmpty() ? MetricSamples.noData("no requests to " + revision + " in a whole " + step + " interval of the last " + window)
                : MetricSamples.of(points);
    }

    /**
     * The {@code q} quantile of {@code n} log-normal latencies: the population quantile moved by the sample
     * quantile's asymptotic spread, sqrt(q(1-q)/n) / density at the quantile, in log space.
     */
    static double latency(Behaviour behaviour, double q, double n, double gaussian) {
        double median = behaviour.latencyQuantile(0.5);
        double sigma = Math.log(behaviour.latencyQuantile(0.99) / median) / 2.3263478740408408;
        double z = NormalQuantile.of(q);
        double density = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
        double spread = Math.sqrt(q * (1 - q) / Math.max(1, n)) / density;
        return median * Math.exp(sigma * (z + spread * gaussian));
    }

    private static double noise(long seed, String revision, long intervalStart, Measure measure) {
        long mixed = seed * 0x9E3779B97F4A7C15L ^ revision.hashCode() * 0xC2B2AE3D27D4EB4FL
                ^ intervalStart * 0x165667B19E3779F9L ^ measure.hashCode();
        return new SplittableRandom(mixed).nextGaussian();
    }
}
