package io.cutover.kubernetes;

import io.cutover.CutoverException;
import io.cutover.kubernetes.internal.Kube;
import io.cutover.kubernetes.internal.Names;
import io.cutover.kubernetes.internal.Raw;
import io.cutover.Target;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.StateStore;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import io.cutover.state.RolloutState;
import io.cutover.state.StateConflictException;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine drives a rollout at a time: each rollout has a {@code coordination.k8s.io/v1} Lease
 * ({@code cutover-lease-<name>}) held by an engine's identity. Another engine cannot take it until
 * it has gone unrenewed for its duration; a holder that finds the lease taken stops.
 *
 * <pre>{@code
 * LeaseOwnership leases = LeaseOwnership.builder(client, "prod").holder("deployer-7f9c").build();
 * RolloutEngine engine = RolloutEngine.builder()
 *         .withStateStore(leases.guard(new ConfigMapStateStore(client, "prod")))
 *         .build();
 * engine.start("myapp", canary, revision, leases.guard("myapp", target));
 * }</pre>
 *
 * <p>{@link #guard(StateStore)} wraps a state store: every save first makes sure this holder has the lease
 * (creating, renewing or, once expired, taking it over) and is refused with
 * {@link StateConflictException} otherwise. The engine saves after every transition, so an engine
 * that lost its lease stops at its next transition. {@link #guard(String, Target)} also checks the
 * lease before every platform write, so an engine that does not hold it changes nothing. Renewals and
 * takeovers carry the lease's {@code resourceVersion}: of two engines racing, the API server lets
 * one win. Time comes from the injected clock. Defaults: a 30-second lease, renewed when a third of
 * it has passed.
 *
 * <p><b>Expiry is measured locally</b>, as client-go's leader election does: another holder's lease
 * expires its duration after this engine last saw it change (its {@code resourceVersion}), never by
 * comparing the holder's {@code renewTime} with this engine's clock, so clocks that disagree cannot
 * hand a live lease over. {@link #keepRenewing} renews on its own schedule, so a rollout paused
 * longer than the lease (a timed pause, a wait for a human) keeps it.
 */
public final class LeaseOwnership {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseOwnership.class);

    /** Another holder's lease as this engine last saw it change, on this engine's clock. */
    private record Observed(String version, Instant at) { }

    private final Map<String, Observed> observed = new java.util.concurrent.ConcurrentHashMap<>();

    private final KubernetesClient client;
    private final String namespace;
    private final String holder;
    private final Duration duration;
    private final Clock clock;
    private final Raw raw;

    private LeaseOwnership(Builder b) {
        this.client = b.client;
        this.namespace = b.namespace;
        this.holder = b.holder;
        this.duration = b.duration;
        this.clock = b.clock;
        this.raw = new Raw(client);
    }

    /**
     * Starts the ownership of one engine replica. Defaults: a 30-second lease on the system UTC clock; a holder is required.
     *
     * @param client    the client that reads and writes the Leases
     * @param namespace the namespace of the Leases, DNS-1123
     * @return a new builder
     */
    public static Builder builder(KubernetesClient client, String namespace) {
        return new Builder(client, namespace);
    }

    /**
     * This engine's identity, written into the Leases it holds.
     *
     * @return the holder given to the builder
     */
    public String holder() {
        return holder;
    }

    /**
     * The Lease that guards {@code rollout}.
     *
     * @param rollout the rollout's name
     * @return the Lease's name, DNS-1123, derived from the rollout's name
     */
    public String leaseName(String rollout) {
        return Names.objectName("cutover-lease-", rollout);
    }

    /**
     * Makes sure this holder has {@code rollout}'s lease, renewing it when a third of its duration
     * has passed; returns false when another holder has it and it has not expired.
     *
     * @param rollout the rollout's name
     * @return {@code true} when this holder has the lease after the call
     */
    public boolean tryAcquire(String rollout) {
        String name = leaseName(rollout);
        Instant now = clock.instant();
        Lease lease = Kube.call("get", "lease " + ref(name), () -> client.leases().inNamespace(namespace).withName(name).get());
        if (lease == null) {
            Lease created = new LeaseBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                    .addToLabels(CutoverLabels.MANAGED_BY, CutoverLabels.MANAGED_BY_VALUE).endMetadata()
                    .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds((int) duration.toSeconds())
                    .withAcquireTime(at(now)).withRenewTime(at(now)).withLeaseTransitions(0).endSpec().build();
            return write(() -> Kube.run("create", "lease " + ref(name), () -> client.leases().inNamespace(namespace).resource(created).create()),
                    rollout, "acquired");
        }
        String current = lease.getSpec().getHolderIdentity();
        Instant renewed = lease.getSpec().getRenewTime() == null ? Instant.EPOCH : lease.getSpec().getRenewTime().toInstant();
        int seconds = lease.getSpec().getLeaseDurationSeconds() == null ? (int) duration.toSeconds() : lease.getSpec().getLeaseDurationSeconds();
        String version = lease.getMetadata().getResourceVersion() + "/" + current + "/" + lease.getSpec().getRenewTime();
        Observed seen = observed.compute(name, (k, o) -> o != null && o.version().equals(version) ? o : new Observed(version, now));
        Instant expires = seen.at().plusSeconds(seconds);
        Map<String, Object> spec = new LinkedHashMap<>();
        if (holder.equals(current)) {
            if (now.isBefore(renewed.plus(duration.dividedBy(3)))) {
                return true;
            }
            spec.put("renewTime", micro(now));
            spec.put("leaseDurationSeconds", duration.toSeconds());
        } else if (current != null && !current.isEmpty() && now.isBefore(expires)) {
            LOG.debug("rollout {} is held by {} until {}", rollout, current, expires);
            return false;
        } else {
            int transitions = lease.getSpec().getLeaseTransitions() == null ? 0 : lease.getSpec().getLeaseTransitions();
            spec.put("holderIdentity", holder);
            spec.put("acquireTime", micro(now));
            spec.put("renewTime", micro(now));
            spec.put("leaseDurationSeconds", duration.toSeconds());
            spec.put("leaseTransitions", transitions + 1);
        }
        Map<String, Object> patch = new LinkedHashMap<>();
        Raw.child(patch, "metadata").put("resourceVersion", lease.getMetadata().getResourceVersion());
        patch.put("spec", spec);
        String json = raw.json(patch);
        return write(() -> Kube.run("patch", "lease " + ref(name), () -> client.leases().inNamespace(namespace).resource(lease)
                .patch(PatchContext.of(PatchType.JSON_MERGE), json)), rollout, holder.equals(current) ? "renewed" : "took over");
    }

    /**
     * Renews {@code rollout}'s lease every third of its duration on {@code scheduler}, whatever the
     * rollout is doing (a long pause included), until cancelled or until the lease is found taken.
     * A failed renewal is logged and tried again at the next tick.
     *
     * @param rollout   the rollout's name
     * @param scheduler the scheduler the renewals run on (the engine's, so virtual time works too)
     * @return a handle that stops the renewals
     */
    public io.cutover.time.Scheduler.Cancellable keepRenewing(String rollout, io.cutover.time.Scheduler scheduler) {
        DeploymentWorkloads.requireName("rollout", rollout);
        Objects.requireNonNull(scheduler, "scheduler");
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<io.cutover.time.Scheduler.Cancellable> next = new java.util.concurrent.atomic.AtomicReference<>();
        Duration period = duration.dividedBy(3);
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            if (cancelled.get()) {
                return;
            }
            try {
                if (!tryAcquire(rollout)) {
                    LOG.warn("{} lost the lease of rollout {}: renewal stops", holder, rollout);
                    return;
                }
            } catch (CutoverException e) {
                LOG.warn("renewing the lease of rollout {} failed, trying again in {}: {}", rollout, period, e.getMessage());
            }
            if (!cancelled.get()) {
                next.set(scheduler.schedule(tick[0], period));
            }
        };
        next.set(scheduler.schedule(tick[0], Duration.ZERO));
        return () -> {
            cancelled.set(true);
            io.cutover.time.Scheduler.Cancellable c = next.get();
            if (c != null) {
                c.cancel();
            }
        };
    }

    /**
     * Gives {@code rollout}'s lease up, if this holder has it, so another engine may take it at once.
     *
     * @param rollout the rollout's name
     */
    public void release(String rollout) {
        String name = leaseName(rollout);
        Lease lease = Kube.call("get", "lease " + ref(name), () -> client.leases().inNamespace(namespace).withName(name).get());
        if (lease != null && holder.equals(lease.getSpec().getHolderIdentity())) {
            Map<String, Object> patch = new LinkedHashMap<>();
            Raw.child(patch, "metadata").put("resourceVersion", lease.getMetadata().getResourceVersion());
            Raw.child(patch, "spec").put("holderIdentity", null);
            String json = raw.json(patch);
            Kube.run("patch", "lease " + ref(name), () -> client.leases().inNamespace(namespace).resource(lease)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), json));
        }
    }

    /**
     * {@code store}, saving only while this holder has the rollout's lease.
     *
     * @param store the store to guard
     * @return a store whose saves fail with a conflict while another holder has the lease
     */
    public StateStore guard(StateStore store) {
        Objects.requireNonNull(store, "store");
        return new StateStore() {
            @Override
            public Optional<Stored> load(String rollout) {
                return store.load(rollout);
            }

            @Override
            public String save(String rollout, RolloutState state, String expectedVersion) {
                if (!tryAcquire(rollout)) {
                    throw new StateConflictException(rollout, expectedVersion, "a version written under another engine's lease");
                }
                return store.save(rollout, state, expectedVersion);
            }

            @Override
            public String toString() {
                return store + " guarded by leases of " + holder;
            }
        };
    }

    /**
     * {@code target} with every platform write (deploy, scale, promote, retire, traffic changes)
     * made only while this holder has {@code rollout}'s lease; otherwise the write is refused with a
     * CONFLICT naming the holder, before anything reaches the cluster. Reads are not guarded.
     *
     * @param rollout the rollout's name, whose lease guards the writes
     * @param target  the target to guard
     * @return a target with the same reads and guarded writes
     */
    public Target guard(String rollout, Target target) {
        io.cutover.internal.Checks.notBlank("rollout", rollout);
        Objects.requireNonNull(target, "target");
        Workloads w = target.workloads();
        TrafficRouter r = target.router();
        Runnable check = () -> requireHeld(rollout);
        Workloads guardedWorkloads = new Workloads() {
            @Override public void deploy(Revision revision, int replicas) { check.run(); w.deploy(revision, replicas); }
            @Override public void scale(Role role, int replicas) { check.run(); w.scale(role, replicas); }
            @Override public WorkloadStatus status(Role role) { return w.status(role); }
            @Override public void promote(Revision revision) { check.run(); w.promote(revision); }
            @Override public void retire(Role role) { check.run(); w.retire(role); }
            @Override public Optional<io.cutover.spi.WorkloadIdentity> identity(Role role) { return w.identity(role); }
        };
        TrafficRouter guardedRouter = new TrafficRouter() {
            @Override public Set<RouterCapability> capabilities() { return r.capabilities(); }
            @Override public void apply(TrafficSplit split) { check.run(); r.apply(split); }
            @Override public TrafficSplit read() { return r.read(); }
        };
        return target.toBuilder().workloads(guardedWorkloads).router(guardedRouter).build();
    }

    private void requireHeld(String rollout) {
        if (!tryAcquire(rollout)) {
            throw CutoverException.conflict("lease " + ref(leaseName(rollout)),
                    "rollout " + rollout + " is driven by another engine: " + holder + " does not hold lease " + ref(leaseName(rollout)), null);
        }
    }

    private boolean write(Runnable call, String rollout, String what) {
        try {
            call.run();
            LOG.debug("{} {} the lease of rollout {}", holder, what, rollout);
            return true;
        } catch (CutoverException e) {
            if (e.kind() == CutoverException.Kind.CONFLICT) {
                return false; // another engine wrote the lease first
            }
            throw e;
        }
    }

    private static ZonedDateTime at(Instant instant) {
        return instant.atZone(ZoneOffset.UTC);
    }

    /** A MicroTime as the API server writes it, for merge patches. */
    private static String micro(Instant instant) {
        return MICRO.format(instant.atZone(ZoneOffset.UTC));
    }

    private static final java.time.format.DateTimeFormatter MICRO = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    private String ref(String name) {
        return namespace + "/" + name;
    }

    /** Builds {@link LeaseOwnership}; holder is required, the lease lasts 30 seconds, the clock is the system UTC clock. */
    public static final class Builder {
        private final KubernetesClient client;
        private final String namespace;
        private String holder;
        private Duration duration = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();

        private Builder(KubernetesClient client, String namespace) {
            this.client = Objects.requireNonNull(client, "client");
            this.namespace = DeploymentWorkloads.requireName("namespace", namespace);
        }

        /**
         * Who holds the lease: unique per engine (a pod name, a hostname plus a random suffix).
         *
         * @param identity a non-blank identity
         * @return this builder
         */
        public Builder holder(String identity) {
            this.holder = io.cutover.internal.Checks.notBlank("holder", identity);
            return this;
        }

        /**
         * How long a lease lasts unrenewed before another engine may take it; whole seconds, at least 3.
         *
         * @param duration the lease's duration
         * @return this builder
         */
        public Builder duration(Duration duration) {
            Objects.requireNonNull(duration, "duration");
            if (duration.toSeconds() < 3 || duration.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException("lease duration must be whole seconds, at least 3: " + duration);
            }
            this.duration = duration;
            return this;
        }

        /**
         * The clock leases are measured with. Default the system UTC clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder withClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the ownership; nothing is written until {@link LeaseOwnership#tryAcquire} is called.
         *
         * @return the ownership of this holder
         * @throws IllegalArgumentException if no holder was given
         */
        public LeaseOwnership build() {
            if (holder == null) {
                throw new IllegalArgumentException("holder must be set: each engine needs its own identity");
            }
            return new LeaseOwnership(this);
        }
    }
}
