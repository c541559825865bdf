package io.cutover.kubernetes;

import io.cutover.CutoverException;
import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.Target;
import io.cutover.internal.Checks;
import io.cutover.kubernetes.internal.FencedTarget;
import io.cutover.kubernetes.internal.Kube;
import io.cutover.kubernetes.internal.Rendezvous;
import io.cutover.kubernetes.internal.ReplicaWatch;
import io.cutover.spi.Revision;
import io.cutover.spi.StateStore;
import io.cutover.state.RolloutState;
import io.cutover.state.StateConflictException;
import io.cutover.time.Scheduler;
import io.cutover.time.VirtualScheduler;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of an engine that shares its rollouts with other replicas through Kubernetes itself:
 * each replica holds one {@link EngineLease}, each rollout's state (a {@link ConfigMapStateStore}
 * ConfigMap) records its owner and epoch, and every tick a replica renews its Lease, lists the
 * others', and takes over the rollouts of any replica whose Lease has expired.
 *
 * <pre>{@code
 * Fleet fleet = Fleet.builder(client, "prod")
 *         .identity(podName)                                   // unique per replica
 *         .engine(RolloutEngine.builder())                     // owner and state store are set by the fleet
 *         .catalog(state -> Optional.of(new RolloutCatalog.Entry(canary, targetFor(state.application()))))
 *         .build();
 * fleet.start();
 * Rollout rollout = fleet.start("myapp", canary, Revision.of("v2", "myapp:v2"), target);
 * }</pre>
 *
 * <p><b>How rollouts spread.</b> A rollout stays on the replica that started it; nothing moves while
 * its owner lives. When a replica's Lease expires (as each replica measures it: its duration after it
 * last saw it change) or is released, each of its rollouts goes to the live replica that ranks first for
 * that rollout's name by rendezvous hashing, so a dead replica's rollouts spread evenly over the
 * survivors; if that replica has not claimed it one Lease duration later, any replica may. A claim is
 * a compare-and-set on the state ConfigMap ({@code resourceVersion}) that advances the epoch: of two
 * replicas racing, one wins. The winner then resumes the rollout on its own engine, built by the
 * {@link RolloutCatalog}.
 *
 * <p><b>Fencing.</b> The engine checks the stored epoch before every platform write and saves by
 * compare-and-set, so a replica whose rollout was taken writes nothing more to it; and a replica whose
 * own Lease was not renewed within its renew deadline refuses every write and save on its own,
 * before any other replica may take over (see {@link EngineLease#held()}).
 *
 * <p>Defaults: a 15-second Lease renewed every 5 seconds (the tick), a renew deadline of 10 seconds,
 * every state ConfigMap listed again every 12 ticks as a backstop. Takeover of a dead replica's
 * rollouts happens within the Lease duration plus one tick of its last renewal.
 */
public final class Fleet {

    private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

    private final KubernetesClient client;
    private final String namespace;
    private final EngineLease lease;
    private final RolloutEngine engine;
    private final ConfigMapStateStore store;
    private final RolloutCatalog catalog;
    private final Scheduler scheduler;
    private final java.util.concurrent.ScheduledExecutorService ownExecutor;
    private final Clock clock;
    private final Duration tick;
    private final int fullScanEvery;
    private final ReplicaWatch watch;
    private final Map<String, Rollout> driving = new ConcurrentHashMap<>();
    private final Map<String, Instant> orphanSince = new ConcurrentHashMap<>();
    private final Set<String> unknown = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Scheduler.Cancellable> next = new AtomicReference<>();
    private volatile boolean running;
    private long ticks;
    private boolean rescan = true;
    private boolean wasFenced;
    private Set<String> liveBefore = Set.of();

    private Fleet(Builder b, Scheduler scheduler, java.util.concurrent.ScheduledExecutorService ownExecutor) {
        this.client = b.client;
        this.namespace = b.namespace;
        this.scheduler = scheduler;
        this.ownExecutor = ownExecutor;
        this.clock = b.clock != null ? b.clock : scheduler instanceof VirtualScheduler v ? v.clock() : Clock.systemUTC();
        this.lease = EngineLease.builder(b.client, b.namespace).identity(b.identity).duration(b.duration).withClock(clock).build();
        this.store = b.store != null ? b.store : new ConfigMapStateStore(b.client, b.namespace);
        this.catalog = b.catalog;
        this.tick = b.tick != null ? b.tick : b.duration.dividedBy(3);
        this.fullScanEvery = b.fullScanEvery;
        this.watch = new ReplicaWatch(b.duration, EngineLease::leaseName);
        this.engine = b.engine.owner(b.identity).withStateStore(FencedTarget.store(store, lease::held, b.identity)).build();
    }

    /**
     * A replica in {@code namespace}; identity, engine and catalog are required.
     *
     * @param client the client the Lease, state and watches use
     * @param namespace the namespace of the Leases and state ConfigMaps
     * @return a new builder
     */
    public static Builder builder(KubernetesClient client, String namespace) {
        return new Builder(client, namespace);
    }

    /**
     * This replica's identity, which names its Lease and owns its rollouts.
     *
     * @return the identity
     */
    public String identity() {
        return lease.identity();
    }

    /**
     * This replica's Lease.
     *
     * @return the lease
     */
    public EngineLease lease() {
        return lease;
    }

    /**
     * This replica's engine (its owner is this replica's identity).
     *
     * @return the engine
     */
    public RolloutEngine engine() {
        return engine;
    }

    /**
     * The rollouts this replica drives now.
     *
     * @return the names of the rollouts, sorted; empty when none
     */
    public Set<String> driving() {
        Set<String> names = new TreeSet<>();
        driving.forEach((name, r) -> {
            if (!r.result().isDone()) {
                names.add(name);
            }
        });
        return names;
    }

    /**
     * The rollout of that name if this replica drives it now.
     *
     * @param name the rollout's name
     * @return the rollout, or empty when this replica does not drive it now
     */
    public Optional<Rollout> rollout(String name) {
        Rollout r = driving.get(name);
        return r == null || r.result().isDone() ? Optional.empty() : Optional.of(r);
    }

    /** Renews the Lease at once and then every tick, taking over dead replicas' rollouts as they appear. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        next.set(scheduler.schedule(this::tickAndReschedule, Duration.ZERO));
    }

    /**
     * Starts a rollout on this replica, which owns it from now on.
     *
     * @throws IllegalStateException when this replica's Lease is not held (nothing is changed)
     * @param name the rollout's name
     * @param deployment what to deploy
     * @param revision the candidate revision
     * @param target the target to roll out to; its writes are fenced by this replica's Lease
     * @return the started rollout
     */
    public Rollout start(String name, Deployment deployment, Revision revision, Target target) {
        requireHeld("start " + name);
        AtomicReference<Rollout> handle = new AtomicReference<>();
        Rollout rollout = engine.start(name, deployment, revision, fenced(name, target, handle));
        handle.set(rollout);
        driving.put(name, rollout);
        return rollout;
    }

    /**
     * Stops this replica: no more renewals, its engine shuts down (rollouts stay as saved), and its
     * Lease is released so the other replicas take its rollouts at their next tick.
     */
    public synchronized void stop() {
        running = false;
        Scheduler.Cancellable c = next.getAndSet(null);
        if (c != null) {
            c.cancel();
        }
        engine.shutdown();
        lease.release();
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
    }

    private void tickAndReschedule() {
        if (!running) {
            return;
        }
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("replica {}: tick failed, trying again in {}: {}", identity(), tick, e.getMessage());
        }
        if (running) {
            next.set(scheduler.schedule(this::tickAndReschedule, tick));
        }
    }

    /** One tick: list the engine Leases, renew this one, and claim what is orphaned. Two requests, plus a list of states when needed. */
    synchronized void tick() {
        Instant now = clock.instant();
        driving.values().removeIf(r -> r.result().isDone()); // ended, or lost to another replica
        List<Lease> leases = Kube.call("list", "leases " + namespace, () -> client.leases().inNamespace(namespace)
                .withLabel(EngineLease.LABEL, EngineLease.LABEL_VALUE).list().getItems());
        watch.observe(leases, now);
        Lease mine = leases.stream().filter(l -> lease.leaseName().equals(l.getMetadata().getName())).findFirst().orElse(null);
        boolean heldBefore = lease.held();
        if (!lease.renew(mine)) {
            return;
        }
        if (!heldBefore && ticks > 0) {
            wasFenced = true; // this replica stopped writing for a while: find out what it still owns
        }
        Set<String> live = Set.copyOf(watch.live(now));
        boolean someoneLeft = !live.containsAll(liveBefore);
        liveBefore = live;
        ticks++;
        if (rescan || wasFenced || someoneLeft || ticks % fullScanEvery == 0) {
            scan(now, live);
        }
    }

    private void scan(Instant now, Set<String> live) {
        rescan = false;
        wasFenced = false;
        Set<String> candidates = new TreeSet<>(live);
        candidates.add(identity());
        Set<String> seen = new TreeSet<>();
        for (StateStore.Stored stored : store.list()) {
            RolloutState s = stored.state();
            String name = s.name();
            seen.add(name);
            if (s.phase().isTerminal()) {
                orphanSince.remove(name);
                continue;
            }
            String owner = s.owner();
            if (identity().equals(owner)) {
                if (!drivenHere(name)) {
                    take(stored, "resumed by replica " + identity() + ", which owns it");
                }
                continue;
            }
            boolean orphan = owner == null ? true : watch.gone(owner, now);
            if (!orphan) {
                orphanSince.remove(name);
                if (!live.contains(owner)) {
                    rescan = true; // its owner is not live, but not gone yet
                }
                continue;
            }
            Instant since = orphanSince.computeIfAbsent(name, k -> now);
            boolean waited = !now.isBefore(since.plus(lease.duration()));
            boolean mineByHash = owner != null && identity().equals(Rendezvous.first(name, candidates));
            if (mineByHash || waited) {
                take(stored, "claimed by replica " + identity() + " from " + (owner == null ? "no owner" : "replica " + owner)
                        + " (its engine Lease " + (owner == null ? "absent" : "expired or released") + ")");
            } else {
                rescan = true;
            }
        }
        orphanSince.keySet().retainAll(seen);
    }

    /** Claims {@code stored} (epoch + 1, by compare-and-set on its version) and resumes it on this replica's engine. */
    private void take(StateStore.Stored stored, String why) {
        RolloutState s = stored.state();
        String name = s.name();
        var entry = catalog.find(s);
        if (entry.isEmpty()) {
            if (unknown.add(name)) {
                LOG.warn("replica {}: rollout {} needs an owner but the catalog has no deployment and target for it; left to other replicas",
                        identity(), name);
            }
            rescan = true;
            return;
        }
        Instant now = clock.instant();
        try {
            if (!identity().equals(s.owner())) {
                RolloutState claimed = s.toBuilder().claim(identity(), s.epoch() + 1).note(now, why).updatedAt(now).build();
                store.save(name, claimed, stored.version());
            }
            AtomicReference<Rollout> handle = new AtomicReference<>();
            Rollout rollout = engine.resume(name, entry.get().deployment(), fenced(name, entry.get().target(), handle));
            handle.set(rollout);
            driving.put(name, rollout);
            orphanSince.remove(name);
            LOG.info("replica {}: rollout {} {}", identity(), name, why);
        } catch (StateConflictException e) {
            LOG.info("replica {}: rollout {} was claimed by another replica first", identity(), name);
        } catch (CutoverException | IllegalStateException | IllegalArgumentException e) {
            LOG.warn("replica {}: could not take rollout {}: {}", identity(), name, e.getMessage());
            rescan = true;
        }
    }

    private boolean drivenHere(String name) {
        Rollout r = driving.get(name);
        return r != null && !r.result().isDone();
    }

    private Target fenced(String name, Target target, AtomicReference<Rollout> handle) {
        return FencedTarget.of(name, target, lease::held, identity(), () -> {
            Rollout r = handle.get();
            return r == null ? Phase.PROGRESSING : r.phase();
        });
    }

    private void requireHeld(String what) {
        if (!lease.held()) {
            throw new IllegalStateException("replica " + identity() + " cannot " + what + ": its engine Lease "
                    + lease.leaseName() + " is not renewed (start the fleet first, or wait for the API server)");
        }
    }

    @Override
    public String toString() {
        return "Fleet[" + namespace + ", replica " + identity() + "]";
    }

    /**
     * Builds a {@link Fleet} replica. Required: identity, engine, catalog. Defaults: a 15-second Lease
     * with a tick of a third of it, state in {@code new ConfigMapStateStore(client, namespace)}, the
     * engine's scheduler given with {@link #withScheduler} (or one daemon thread of its own).
     */
    public static final class Builder {
        private final KubernetesClient client;
        private final String namespace;
        private String identity;
        private RolloutEngine.Builder engine;
        private RolloutCatalog catalog;
        private ConfigMapStateStore store;
        private Duration duration = Duration.ofSeconds(15);
        private Duration tick;
        private int fullScanEvery = 12;
        private Scheduler scheduler;
        private Clock clock;

        private Builder(KubernetesClient client, String namespace) {
            this.client = Objects.requireNonNull(client, "client");
            this.namespace = DeploymentWorkloads.requireName("namespace", namespace);
        }

        /**
         * This replica's identity, unique among the replicas (a pod name).
         *
         * @param identity the identity, not blank
         * @return this builder
         */
        public Builder identity(String identity) {
            this.identity = Checks.notBlank("identity", identity);
            return this;
        }

        /**
         * The engine this replica runs; the fleet sets its owner (the identity) and its state store (the
         * fenced ConfigMap store). Seal state with the key given to {@link #stateStore}, not the engine's
         * {@code stateKey}: replicas read each other's states when they claim them.
         *
         * @param engine the engine's builder
         * @return this builder
         */
        public Builder engine(RolloutEngine.Builder engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /**
         * How this replica builds the deployment and target of a rollout it takes over.
         *
         * @param catalog the catalog
         * @return this builder
         */
        public Builder catalog(RolloutCatalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        /**
         * Where rollout states are kept (default: unsealed ConfigMaps in the namespace).
         *
         * @param store the state store
         * @return this builder
         */
        public Builder stateStore(ConfigMapStateStore store) {
            this.store = Objects.requireNonNull(store, "stateStore");
            return this;
        }

        /**
         * How long a replica's Lease lasts unrenewed before its rollouts are taken over; whole seconds, at least 3.
         *
         * @param duration the lease duration (default 15 s)
         * @return this builder
         */
        public Builder leaseDuration(Duration duration) {
            EngineLease.builder(client, namespace).identity("check").duration(duration);
            this.duration = duration;
            return this;
        }

        /**
         * How often the Lease is renewed and the others' are read (default a third of the Lease duration).
         *
         * @param tick the tick, positive and shorter than two thirds of the lease duration
         * @return this builder
         */
        public Builder tick(Duration tick) {
            Objects.requireNonNull(tick, "tick");
            if (tick.isNegative() || tick.isZero()) {
                throw new IllegalArgumentException("tick must be positive: " + tick);
            }
            this.tick = tick;
            return this;
        }

        /**
         * Every how many ticks all state ConfigMaps are listed again, as a backstop (default 12); at least 1.
         *
         * @param ticks the number of ticks between full scans
         * @return this builder
         */
        public Builder fullScanEvery(int ticks) {
            if (ticks < 1) {
                throw new IllegalArgumentException("fullScanEvery must be at least 1: " + ticks);
            }
            this.fullScanEvery = ticks;
            return this;
        }

        /**
         * The scheduler ticks run on: the engine's, so tests on virtual time renew on virtual time.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder withScheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The clock the Lease's renewals and expiries are measured on (default: the virtual scheduler's clock
         * when ticks run on one, else the system UTC clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder withClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the fleet replica; it does nothing until {@link Fleet#start()}.
         *
         * @return the replica
         * @throws IllegalArgumentException if identity, engine or catalog is missing or the tick is too long
         */
        public Fleet build() {
            if (identity == null) {
                throw new IllegalArgumentException("identity must be set: each engine replica needs its own");
            }
            if (engine == null) {
                throw new IllegalArgumentException("engine must be set: the RolloutEngine.Builder of this replica's engine");
            }
            if (catalog == null) {
                throw new IllegalArgumentException("catalog must be set: how this replica resumes a rollout it takes over");
            }
            Duration t = tick != null ? tick : duration.dividedBy(3);
            if (t.compareTo(duration.multipliedBy(2).dividedBy(3)) >= 0) {
                throw new IllegalArgumentException("tick must be shorter than two thirds of the lease duration " + duration
                        + " (the renew deadline): " + t);
            }
            java.util.concurrent.ScheduledExecutorService own = null;
            if (scheduler == null) {
                own = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread th = new Thread(r, "cutover-fleet-" + identity);
                    th.setDaemon(true);
                    return th;
                });
            }
            return new Fleet(this, own == null ? scheduler : Scheduler.of(own), own);
        }
    }
}
