package io.cutover.sim;

import io.cutover.CutoverException;
import io.cutover.Target;
import io.cutover.spi.Health;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.Measure;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricSamples;
import io.cutover.spi.MetricSource;
import io.cutover.spi.MetricValue;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Every SPI in memory, on an injected clock: two workloads whose replicas become ready after their
 * revision's startup time, a router, and a traffic model that turns the split into served requests
 * and metrics. It checks, as requests flow, that no traffic reaches a role without ready replicas and
 * that serving capacity never drops below what the plan allows.
 *
 * <pre>{@code
 * var platform = SimulatedPlatform.builder(time.clock())
 *         .stable(Revision.of("v1", "app:v1"), 5, Behaviour.healthy())
 *         .behaviour("v2", Behaviour.healthy().withErrorRate(0.2))
 *         .build();
 * Target target = platform.target("app");
 * }</pre>
 */
public final class SimulatedPlatform implements Workloads, TrafficRouter, HealthProbe, MetricSource {

    private static final Duration BUCKET = Duration.ofSeconds(10);

    /** One of the two physical workloads. */
    private static final class Slot {
        final String id;
        Revision revision;
        final List<Instant> starts = new ArrayList<>();

        Slot(String id) {
            this.id = id;
        }
    }

    /** Requests and errors a revision served, per bucket since the platform was built. */
    private static final class Series {
        double[] requests = new double[256];
        double[] errors = new double[256];

        void add(int bucket, double n, double e) {
            if (bucket >= requests.length) {
                int size = Math.max(requests.length * 2, bucket + 1);
                requests = java.util.Arrays.copyOf(requests, size);
                errors = java.util.Arrays.copyOf(errors, size);
            }
            requests[bucket] += n;
            errors[bucket] += e;
        }
    }

    private final Clock clock;
    private final SplittableRandom random;
    private final long seed;
    private final Set<RouterCapability> capabilities;
    private final double requestsPerSecond;
    private final double headerShare;
    private final double transientFailureRate;
    private final Map<String, Behaviour> behaviours;
    private final Slot a = new Slot("a");
    private final Slot b = new Slot("b");
    private Slot stableSlot = a;
    private Slot candidateSlot = b;

    // router state, physical: which slot gets what
    private final Map<Slot, Integer> weight = new HashMap<>();
    private List<HeaderMatch> matches = List.of();
    private Slot matchSlot;
    private int mirrorPercent;
    private Slot mirrorSlot;

    private final Map<String, Series> served = new HashMap<>();
    private final long firstBucket;
    private final Map<String, double[]> totals = new HashMap<>();
    private double userFailures;
    private double releaseFailures;
    private final String initialStable;
    private Instant integratedTo;
    private final int baseline;
    private int capacityAllowance;
    private final List<String> violations = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private int writes;
    private int reads;
    private int crashAfter = -1;

    private SimulatedPlatform(Builder builder) {
        this.clock = builder.clock;
        this.random = new SplittableRandom(builder.seed);
        this.seed = builder.seed;
        this.capabilities = Set.copyOf(builder.capabilities);
        this.requestsPerSecond = builder.requestsPerSecond;
        this.headerShare = builder.headerShare;
        this.transientFailureRate = builder.transientFailureRate;
        this.behaviours = new HashMap<>(builder.behaviours);
        this.baseline = builder.stableReplicas;
        a.revision = builder.stable;
        this.initialStable = builder.stable.name();
        Instant longAgo = clock.instant().minus(Duration.ofDays(1));
        for (int i = 0; i < builder.stableReplicas; i++) {
            a.starts.add(longAgo);
        }
        weight.put(a, 100);
        weight.put(b, 0);
        integratedTo = clock.instant();
        firstBucket = Math.floorDiv(integratedTo.getEpochSecond(), BUCKET.getSeconds());
    }

    /**
     * Starts a platform on {@code clock}. Defaults: seed 1, 50 requests per second, 5% of them matching
     * header routes, a router that weighs, routes by header and mirrors, no transient failures. Stable is required.
     *
     * @param clock the clock replicas become ready on and requests are served by (a virtual scheduler's, in tests)
     * @return a new builder
     */
    public static Builder builder(Clock clock) {
        return new Builder(clock);
    }

    /**
     * A target with this platform as workloads, router, health probe and metric source.
     *
     * @param application the application's name, used in metric queries and events
     * @return the target
     */
    public Target target(String application) {
        return Target.builder(application).workloads(this).router(this).health(this).metrics(this).build();
    }

    // ------------------------------------------------------------------ Workloads

    @Override
    public synchronized void deploy(Revision revision, int replicas) {
        call("deploy", () -> {
            if (!revision.equals(candidateSlot.revision)) {
                candidateSlot.revision = revision;
                candidateSlot.starts.clear();
            }
            resize(candidateSlot, replicas);
        }, true);
    }

    @Override
    public synchronized void scale(Role role, int replicas) {
        call("scale", () -> {
            Slot slot = slot(role);
            if (slot.revision == null && replicas > 0) {
                throw CutoverException.permanent("scale " + role, "no " + role + " workload to scale", null);
            }
            resize(slot, replicas);
        }, true);
    }

    @Override
    public synchronized WorkloadStatus status(Role role) {
        return call("status", () -> {
            Slot slot = slot(role);
            if (slot.revision == null) {
                return WorkloadStatus.absent();
            }
            int ready = ready(slot, clock.instant());
            return new WorkloadStatus(slot.revision.name(), slot.starts.size(), ready, ready, slot.starts.size(), null);
        }, false);
    }

    @Override
    public synchronized void promote(Revision revision) {
        call("promote", () -> {
            if (revision.equals(stableSlot.revision)) {
                return;
            }
            if (!revision.equals(candidateSlot.revision)) {
                throw CutoverException.permanent("promote", "candidate does not run " + revision.name(), null);
            }
            Slot old = stableSlot;
            stableSlot = candidateSlot;
            candidateSlot = old;
        }, true);
    }

    @Override
    public synchronized void retire(Role role) {
        call("retire", () -> {
            Slot slot = slot(role);
            resize(slot, 0);
            slot.revision = null;
        }, true);
    }

    // ------------------------------------------------------------------ TrafficRouter

    @Override
    public Set<RouterCapability> capabilities() {
        return capabilities;
    }

    @Override
    public synchronized void apply(TrafficSplit split) {
        call("apply", () -> {
            if (!capabilities.contains(RouterCapability.WEIGHTED) && !capabilities.contains(RouterCapability.REPLICA_RATIO)
                    && split.candidateWeight() != 0 && split.candidateWeight() != 100) {
                throw CutoverException.permanent("apply", "router is all-or-nothing: " + split.candidateWeight(), null);
            }
            if (!split.candidateMatches().isEmpty() && !capabilities.contains(RouterCapability.HEADER_ROUTES)) {
                throw CutoverException.permanent("apply", "router has no header routes", null);
            }
            if (split.mirrorPercent() > 0 && !capabilities.contains(RouterCapability.MIRROR)) {
                throw CutoverException.permanent("apply", "router cannot mirror", null);
            }
            weight.put(candidateSlot, split.candidateWeight());
            weight.put(stableSlot, split.stableWeight());
            matches = split.candidateMatches();
            matchSlot = candidateSlot;
            mirrorPercent = split.mirrorPercent();
            mirrorSlot = candidateSlot;
        }, true);
    }

    @Override
    public synchronized TrafficSplit read() {
        return call("read", () -> {
            int w = replicaRatio() ? replicaWeight(candidateSlot) : weight.get(candidateSlot);
            List<HeaderMatch> m = matchSlot == candidateSlot ? matches : List.of();
            int mirror = mirrorSlot == candidateSlot ? mirrorPercent : 0;
            return new TrafficSplit(w, m, mirror);
        }, false);
    }

    // ------------------------------------------------------------------ HealthProbe and MetricSource

    @Override
    public synchronized Health check(Revision revision) {
        integrate();
        for (Slot slot : List.of(a, b)) {
            if (revision.equals(slot.revision)) {
                int ready = ready(slot, clock.instant());
                return ready > 0 ? Health.ready(ready + " replicas ready") : Health.notReady("no replica ready");
            }
        }
        return Health.down("revision " + revision.name() + " is not running");
    }

    @Override
    public synchronized MetricValue successRate(MetricQuery q) {
        double[] c = window(q);
        return c[0] <= 0 ? MetricValue.noData("no requests to " + q.revision().name() + " in " + q.window())
                : MetricValue.of(1 - c[1] / c[0]);
    }

    @Override
    public synchronized MetricValue errorRate(MetricQuery q) {
        double[] c = window(q);
        return c[0] <= 0 ? MetricValue.noData("no requests to " + q.revision().name() + " in " + q.window())
                : MetricValue.of(c[1] / c[0]);
    }

    @Override
    public synchronized MetricValue latency(MetricQuery q, double quantile) {
        double[] c = window(q);
        return c[0] <= 0 ? MetricValue.noData("no requests to " + q.revision().name() + " in " + q.window())
                : MetricValue.of(behaviour(q.revision().name()).latencyQuantile(quantile));
    }

    @Override
    public synchronized MetricValue requestRate(MetricQuery q) {
        double[] c = window(q);
        return MetricValue.of(c[0] / Math.max(1, q.window().toSeconds()));
    }

    @Override
    public MetricValue query(String expression, Instant at) {
        return MetricValue.noData("the simulated platform answers no raw queries");
    }

    /**
     * Per-{@code step} values of what the revision served (whole steps only, a multiple of 10 seconds):
     * rates from its requests and errors, latency quantiles with the noise of that interval's request
     * count, drawn from the seed.
     */
    @Override
    public synchronized MetricSamples samples(MetricQuery q, Measure measure, Duration step) {
        integrate();
        Series series = served.get(q.revision().name());
        if (series == null) {
            return MetricSamples.noData("no requests to " + q.revision().name() + " yet");
        }
        return SimulatedSamples.of(series.requests, series.errors, BUCKET, firstBucket * BUCKET.getSeconds(), integratedTo,
                behaviour(q.revision().name()), seed, q.revision().name(), q.at(), q.window(), measure, step);
    }

    // ------------------------------------------------------------------ what the simulation reads

    /**
     * Makes the platform throw {@link SimulatedCrash} right after its {@code write}-th write (1-based).
     *
     * @param write the number of the write to crash after, from 1
     */
    public synchronized void crashAfterWrite(int write) {
        this.crashAfter = write;
    }

    /**
     * Replicas the plan may leave unavailable; the capacity check allows this much below stable's count.
     *
     * @param replicas how many replicas below stable's count the capacity check tolerates, 0 or more
     */
    public synchronized void allowUnavailable(int replicas) {
        this.capacityAllowance = replicas;
    }

    /**
     * Platform writes made so far: deploy, scale, promote, retire, traffic changes.
     *
     * @return the count
     */
    public synchronized int writes() {
        return writes;
    }

    /**
     * Platform reads made so far: status, split and readiness reads.
     *
     * @return the count
     */
    public synchronized int reads() {
        return reads;
    }

    /**
     * Requests served per revision so far (users' and mirrored).
     *
     * @return request counts by revision name
     */
    public synchronized Map<String, Long> requestsByRevision() {
        integrate();
        Map<String, Long> out = new java.util.TreeMap<>();
        totals.forEach((rev, t) -> out.put(rev, Math.round(t[0])));
        return out;
    }

    /**
     * Failed requests users saw so far: errors of the revisions that served them, and requests sent where no replica was ready.
     *
     * @return the count
     */
    public synchronized long userFailures() {
        integrate();
        return Math.round(userFailures);
    }

    /**
     * Failed requests users saw that the release caused: the new revision's errors above the old
     * revision's own error rate on the same requests, and every request sent where no replica was ready.
     *
     * @return the count; the report's blast radius
     */
    public synchronized long releaseFailures() {
        integrate();
        return Math.round(releaseFailures);
    }

    /**
     * Invariant violations seen so far.
     *
     * @return one line per violation, in the order seen
     */
    public synchronized List<String> violations() {
        integrate();
        return List.copyOf(violations);
    }

    /**
     * What the platform did, one line per write, for reading when a test fails.
     *
     * @return the lines, oldest first
     */
    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    /**
     * The revision stable runs now: the candidate's after a promotion.
     *
     * @return the revision's name
     */
    public synchronized String stableRevision() {
        return stableSlot.revision == null ? null : stableSlot.revision.name();
    }

    /**
     * Replicas of {@code role} that are ready now on the virtual clock.
     *
     * @param role stable or candidate
     * @return the count
     */
    public synchronized int readyReplicas(Role role) {
        return ready(slot(role), clock.instant());
    }

    /**
     * Replicas of {@code role} asked for by the last scale.
     *
     * @param role stable or candidate
     * @return the count
     */
    public synchronized int desiredReplicas(Role role) {
        return slot(role).starts.size();
    }

    // ------------------------------------------------------------------ internals

    private <T> T call(String operation, java.util.function.Supplier<T> body, boolean write) {
        integrate();
        boolean fail = transientFailureRate > 0 && random.nextDouble() < transientFailureRate;
        boolean failBefore = fail && random.nextBoolean();
        if (failBefore) {
            throw CutoverException.transientFailure(operation, "simulated transient failure before " + operation, null);
        }
        T result = body.get();
        if (write) {
            writes++;
            log.add(clock.instant() + " " + operation + " -> " + describe());
            if (writes == crashAfter) {
                throw new SimulatedCrash(writes);
            }
        } else {
            reads++;
        }
        if (fail) {
            throw CutoverException.transientFailure(operation, "simulated transient failure after " + operation + " (response lost)", null);
        }
        return result;
    }

    private void call(String operation, Runnable body, boolean write) {
        call(operation, () -> {
            body.run();
            return null;
        }, write);
    }

    private String describe() {
        return "stable " + name(stableSlot) + " x" + stableSlot.starts.size() + ", candidate " + name(candidateSlot) + " x"
                + candidateSlot.starts.size() + ", weight " + weight.get(candidateSlot) + "%"
                + (matches.isEmpty() ? "" : ", routes " + matches.size()) + (mirrorPercent == 0 ? "" : ", mirror " + mirrorPercent + "%");
    }

    private static String name(Slot s) {
        return s.revision == null ? "-" : s.revision.name();
    }

    private Slot slot(Role role) {
        return role == Role.STABLE ? stableSlot : candidateSlot;
    }

    private void resize(Slot slot, int replicas) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative: " + replicas);
        }
        Instant now = clock.instant();
        while (slot.starts.size() < replicas) {
            slot.starts.add(now);
        }
        while (slot.starts.size() > replicas) {
            slot.starts.remove(slot.starts.size() - 1);
        }
    }

    private int ready(Slot slot, Instant at) {
        if (slot.revision == null) {
            return 0;
        }
        Behaviour be = behaviour(slot.revision.name());
        if (be.neverReady()) {
            return 0;
        }
        // starts are appended as time goes on and removed from the end: the list is sorted
        Instant readyBy = at.minus(be.startup());
        int lo = 0;
        int hi = slot.starts.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (slot.starts.get(mid).isAfter(readyBy)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private boolean replicaRatio() {
        return capabilities.contains(RouterCapability.REPLICA_RATIO) && !capabilities.contains(RouterCapability.WEIGHTED);
    }

    private int replicaWeight(Slot slot) {
        Instant now = clock.instant();
        int total = ready(a, now) + ready(b, now);
        return total == 0 ? 0 : Math.round(ready(slot, now) * 100f / total);
    }

    private Behaviour behaviour(String revision) {
        return behaviours.getOrDefault(revision, Behaviour.healthy());
    }

    private double[] window(MetricQuery q) {
        integrate();
        Series series = served.get(q.revision().name());
        double[] out = new double[2];
        if (series == null) {
            return out;
        }
        // buckets that start within [at - window, at)
        long seconds = BUCKET.getSeconds();
        int from = (int) Math.max(0, Math.floorDiv(q.at().minus(q.window()).getEpochSecond() + seconds - 1, seconds) - firstBucket);
        int to = (int) Math.min(series.requests.length, Math.floorDiv(q.at().getEpochSecond() + seconds - 1, seconds) - firstBucket);
        for (int i = from; i < to; i++) {
            out[0] += series.requests[i];
            out[1] += series.errors[i];
        }
        return out;
    }

    /** Serves the requests of the time since the last call, in buckets, with the split and replicas as they stand. */
    private void integrate() {
        Instant now = clock.instant();
        while (integratedTo.isBefore(now)) {
            long bucket = Math.floorDiv(integratedTo.getEpochSecond(), BUCKET.getSeconds()) * BUCKET.getSeconds();
            Instant end = Instant.ofEpochSecond(bucket).plus(BUCKET);
            if (end.isAfter(now)) {
                end = now;
            }
            serve(integratedTo, end, bucket);
            integratedTo = end;
        }
    }

    private void serve(Instant from, Instant to, long bucket) {
        double seconds = Duration.between(from, to).toNanos() / 1e9;
        double requests = requestsPerSecond * seconds;
        if (requests <= 0) {
            return;
        }
        int readyA = ready(a, from);
        int readyB = ready(b, from);
        Map<Slot, Double> share = new HashMap<>();
        if (replicaRatio()) {
            int total = readyA + readyB;
            share.put(a, total == 0 ? 1.0 : (double) readyA / total);
            share.put(b, total == 0 ? 0.0 : (double) readyB / total);
        } else {
            share.put(a, weight.get(a) / 100.0);
            share.put(b, weight.get(b) / 100.0);
        }
        if (!matches.isEmpty() && matchSlot != null) {
            Slot other = matchSlot == a ? b : a;
            share.put(matchSlot, headerShare + (1 - headerShare) * share.get(matchSlot));
            share.put(other, (1 - headerShare) * share.get(other));
        }
        for (Slot slot : List.of(a, b)) {
            double s = share.get(slot);
            if (s <= 0) {
                continue;
            }
            int ready = slot == a ? readyA : readyB;
            double n = requests * s;
            if (ready == 0) {
                userFailures += n;
                releaseFailures += n;
                if (capacityAllowance >= baseline) {
                    continue; // a plan that accepts downtime (recreate): users see failures, no invariant is broken
                }
                violation(from, "traffic to " + (slot == stableSlot ? "stable" : "candidate") + " (" + Math.round(s * 100)
                        + "%) with no ready replica");
                continue;
            }
            double floorNeeded = Math.floor(s * (baseline - capacityAllowance));
            if (ready < floorNeeded) {
                violation(from, (slot == stableSlot ? "stable" : "candidate") + " carries " + Math.round(s * 100)
                        + "% of traffic on " + ready + " ready replicas, below " + (int) floorNeeded);
            }
            double errors = sampleErrors(n, behaviour(slot.revision.name()).errorRate());
            userFailures += errors;
            if (!slot.revision.name().equals(initialStable)) {
                double extra = behaviour(slot.revision.name()).errorRate() - behaviour(initialStable).errorRate();
                releaseFailures += n * Math.max(0, extra);
            }
            record(slot.revision.name(), bucket, n, errors);
        }
        if (mirrorPercent > 0 && mirrorSlot != null && mirrorSlot.revision != null && ready(mirrorSlot, from) > 0) {
            double n = requests * mirrorPercent / 100.0;
            record(mirrorSlot.revision.name(), bucket, n, sampleErrors(n, behaviour(mirrorSlot.revision.name()).errorRate()));
        }
    }

    private void violation(Instant at, String what) {
        String line = at + " " + what;
        if (violations.size() < 100 && (violations.isEmpty() || !violations.get(violations.size() - 1).endsWith(what))) {
            violations.add(line);
        }
    }

    private double sampleErrors(double n, double rate) {
        double mean = n * rate;
        double sd = Math.sqrt(n * rate * (1 - rate));
        double gaussian = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        return Math.max(0, Math.min(n, mean + sd * gaussian));
    }

    private void record(String revision, long bucket, double requests, double errors) {
        served.computeIfAbsent(revision, r -> new Series()).add((int) (bucket / BUCKET.getSeconds() - firstBucket), requests, errors);
        double[] t = totals.computeIfAbsent(revision, r -> new double[2]);
        t[0] += requests;
        t[1] += errors;
    }

    /** Builds a {@link SimulatedPlatform}. */
    public static final class Builder {
        private final Clock clock;
        private long seed = 1;
        private Revision stable;
        private int stableReplicas;
        private final Map<String, Behaviour> behaviours = new HashMap<>();
        private Set<RouterCapability> capabilities = EnumSet.allOf(RouterCapability.class);
        private double requestsPerSecond = 50;
        private double headerShare = 0.05;
        private double transientFailureRate;

        private Builder(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            capabilities.remove(RouterCapability.REPLICA_RATIO);
        }

        /**
         * The seed of the traffic model and of transient failures: the same seed, the same run.
         *
         * @param seed any number
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The revision stable runs at the start, ready for long.
         *
         * @param revision  the revision stable runs
         * @param replicas  its replica count, 1 or more
         * @param behaviour how it serves
         * @return this builder
         */
        public Builder stable(Revision revision, int replicas, Behaviour behaviour) {
            this.stable = Objects.requireNonNull(revision, "stable");
            this.stableReplicas = io.cutover.internal.Checks.atLeast("stable replicas", replicas, 1);
            behaviours.put(revision.name(), Objects.requireNonNull(behaviour, "behaviour"));
            return this;
        }

        /**
         * How a revision behaves when it runs; unknown revisions are {@link Behaviour#healthy()}.
         *
         * @param revision  the revision's name
         * @param behaviour how it serves
         * @return this builder
         */
        public Builder behaviour(String revision, Behaviour behaviour) {
            behaviours.put(revision, Objects.requireNonNull(behaviour, "behaviour"));
            return this;
        }

        /**
         * What the router can do; default weighted, header routes and mirror.
         *
         * @param capabilities the capabilities; none makes an all-or-nothing router
         * @return this builder
         */
        public Builder router(RouterCapability... capabilities) {
            this.capabilities = capabilities.length == 0 ? EnumSet.noneOf(RouterCapability.class) : EnumSet.copyOf(List.of(capabilities));
            return this;
        }

        /**
         * Users' requests per second, spread over the split. Default 50.
         *
         * @param rps above zero
         * @return this builder
         */
        public Builder requestsPerSecond(double rps) {
            if (!(rps > 0)) {
                throw new IllegalArgumentException("requestsPerSecond must be positive: " + rps);
            }
            this.requestsPerSecond = rps;
            return this;
        }

        /**
         * The share of requests that match header routes; default 5%.
         *
         * @param share 0 to 1
         * @return this builder
         */
        public Builder headerShare(double share) {
            this.headerShare = io.cutover.internal.Checks.fraction("headerShare", share);
            return this;
        }

        /**
         * The chance that any platform call fails transiently (half before taking effect, half after).
         *
         * @param rate 0 to 1; default 0
         * @return this builder
         */
        public Builder transientFailures(double rate) {
            this.transientFailureRate = io.cutover.internal.Checks.fraction("transientFailures", rate);
            return this;
        }

        /**
         * Builds the platform with stable running and ready.
         *
         * @return the platform
         * @throws IllegalArgumentException if stable was not set
         */
        public SimulatedPlatform build() {
            if (stable == null) {
                throw new IllegalArgumentException("stable must be set");
            }
            return new SimulatedPlatform(this);
        }
    }
}
