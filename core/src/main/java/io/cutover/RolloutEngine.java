package io.cutover;

import io.cutover.event.RolloutListener;
import io.cutover.internal.Checks;
import io.cutover.internal.EngineContext;
import io.cutover.internal.PlatformCalls;
import io.cutover.internal.RolloutRunner;
import io.cutover.plan.Plan;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.StateStore;
import io.cutover.state.InMemoryStateStore;
import io.cutover.state.RolloutState;
import io.cutover.state.StateIntegrity;
import io.cutover.state.StateValidator;
import io.cutover.time.Scheduler;
import io.cutover.time.VirtualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs rollouts. Time, scheduling and state storage are injected; many rollouts share a small
 * thread pool because no step ever blocks waiting: waits are scheduled.
 *
 * <pre>{@code
 * RolloutEngine engine = RolloutEngine.builder()
 *         .withStateStore(new FileStateStore(Path.of("state")))
 *         .onEvent(event -> log.info("{}", event))
 *         .build();
 * Rollout rollout = engine.start("myapp", canary, Revision.of("v2.0.0", "myapp:v2.0.0"), target);
 * RolloutResult result = rollout.await();
 * }</pre>
 *
 * Defaults: the system UTC clock, a scheduler on two daemon threads, an {@link InMemoryStateStore},
 * readiness polled every 5 seconds, a retry budget of 6 attempts per step (20 while rolling back)
 * with exponential backoff from 1 to 30 seconds with jitter, and a circuit breaker per target that
 * opens at 80% failures over 20 calls for 30 seconds.
 *
 * <p>Saved state is only as trustworthy as the store: give the engine a key with
 * {@link Builder#stateKey(byte[])} so a state altered by anyone without it is refused (the engine
 * warns once at start when its store does not authenticate what it reads).
 *
 * <p>An engine owns threads: {@link #close()} it (or use try-with-resources) when done.
 * {@code deployment.rollout(revision).on(target).start()} without {@code using(engine)} runs on
 * {@link #shared()}, the process's default engine with the defaults above.
 */
public final class RolloutEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutEngine.class);

    private final EngineContext ctx;
    private final ScheduledExecutorService ownExecutor;
    private final java.util.concurrent.ExecutorService callExecutor;
    private final Map<String, RolloutRunner> runners = new ConcurrentHashMap<>();
    private final Map<Target, PlatformCalls> callsByTarget = new ConcurrentHashMap<>();
    private volatile boolean shutdown;

    private RolloutEngine(Builder b) {
        ScheduledExecutorService own = null;
        Scheduler scheduler = b.scheduler;
        if (scheduler == null) {
            AtomicInteger n = new AtomicInteger();
            java.util.concurrent.ScheduledThreadPoolExecutor pool = new java.util.concurrent.ScheduledThreadPoolExecutor(b.threads, r -> {
                Thread t = new Thread(r, "cutover-engine-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            // a cancelled timer (an ended rollout's pause, a call's deadline) leaves the queue at once, not when it was due
            pool.setRemoveOnCancelPolicy(true);
            own = pool;
            scheduler = Scheduler.of(own);
        }
        Clock clock = b.clock != null ? b.clock
                : scheduler instanceof VirtualScheduler v ? v.clock() : Clock.systemUTC();
        this.ownExecutor = own;
        if (!b.store.integrityProtected()) {
            LOG.warn("the state store {} does not authenticate rollout state: anyone who can write it can change what "
                    + "this engine deploys, skip analyses or promote; give the engine a state key", b.store.getClass().getSimpleName());
        }
        boolean isolate = b.isolateCalls != null ? b.isolateCalls : !(scheduler instanceof VirtualScheduler);
        if (isolate) {
            AtomicInteger n = new AtomicInteger();
            this.callExecutor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "cutover-call-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        } else {
            this.callExecutor = null;
        }
        String owner = b.owner != null ? b.owner : "engine-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        this.ctx = new EngineContext(clock, scheduler, b.store, b.listeners, b.pollInterval,
                new PlatformCalls.RetrySettings(b.retryBudget, b.abortRetryBudget, b.initialBackoff, b.maxBackoff,
                        20, 80f, Duration.ofSeconds(30), b.bulkhead), callExecutor, b.callDeadline, owner);
    }

    /**
     * Starts an engine's settings. Defaults: the system UTC clock, a scheduler on two daemon threads, an
     * {@link InMemoryStateStore}, a poll interval of 5 seconds, a retry budget of 6 per step and 20 per
     * rollback, and calls under a 30-second deadline. Each setter states its own default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The process's default engine, the one {@code deployment.rollout(revision).on(target).start()} runs
     * on when no engine is given: built on first use with the defaults (system clock, two daemon
     * threads, an {@link InMemoryStateStore}, so its rollouts are forgotten when the process ends).
     * A JVM shutdown hook shuts it down; closing it earlier is allowed, and the next call builds a
     * new one. Prefer an engine of your own, built with {@link #builder()}, whenever you need
     * another clock, state store, listener or an explicit lifetime.
     *
     * @return the shared engine, built now if there was none or the last one was closed
     */
    public static RolloutEngine shared() {
        return SharedEngine.get();
    }

    /**
     * Binds {@code deployment} to {@code target} and starts rolling out {@code revision} under {@code name}.
     *
     * @throws IllegalArgumentException when the target's router cannot honour the plan (nothing is changed)
     * @throws IllegalStateException    when a rollout of that name exists in the store and has not ended,
     *                                  or this engine is shut down
     * @throws CutoverException         when stable cannot be read (nothing changed; a transient one may be tried again)
     * @param name       the rollout's name: its key in the state store, unique among the store's rollouts
     * @param deployment the strategy, compiled into a plan
     * @param revision   the candidate to roll out
     * @param target     the platform adapters to act through
     * @return the running rollout
     */
    public Rollout start(String name, Deployment deployment, Revision revision, Target target) {
        requireRunning();
        Checks.notNull("deployment", deployment);
        Checks.notNull("revision", revision);
        Checks.notNull("target", target);
        checkName(name);
        // Read (and check) what is stored before any platform call: an altered state stops here.
        Optional<StateStore.Stored> existing = load(name);
        String version = null;
        if (existing.isPresent()) {
            RolloutState s = existing.get().state();
            if (!s.phase().isTerminal()) {
                throw new IllegalStateException("rollout '" + name + "' is already " + s.phase() + "; resume it or abort it first");
            }
            version = existing.get().version();
        }
        PlatformCalls calls = calls(target);
        WorkloadStatus stable = calls.read("status STABLE", () -> target.workloads().status(Role.STABLE));
        if (stable == null || !stable.exists() || stable.desired() < 1) {
            throw new IllegalStateException("no stable workload of '" + target.application() + "' to roll out from");
        }
        Plan plan = deployment.plan(new PlanContext(stable.desired(), target.router().capabilities()));
        bind(plan, target);
        RolloutState initial = RolloutState.initial(name, target.application(), revision, plan.fingerprint(),
                stable.desired(), stable.revision(), ctx.clock().instant());
        String expected = version;
        version = store("save state " + name, () -> ctx.store().save(name, initial, expected));
        RolloutRunner runner = new RolloutRunner(name, plan, target, ctx, calls, initial, version, this::track);
        track(runner);
        runner.start();
        return new Rollout(runner, this);
    }

    /**
     * Continues a rollout from the store, where the last engine left it. A timed pause keeps only
     * its remaining time. A rollout that an {@link #update} was superseding ends its rollback, then the
     * revision that superseded it starts under the same name with {@code deployment}. The stored candidate is trusted as it is: prefer
     * {@link #resume(String, Deployment, Revision, Target)}, which checks it against the caller's.
     *
     * @throws IllegalStateException when nothing is stored under {@code name} or it was started with another plan
     * @param name       the stored rollout's name
     * @param deployment the strategy it was started with: its plan must have the stored fingerprint
     * @param target     the platform adapters to act through
     * @return the running rollout, or an ended one as it was stored
     */
    public Rollout resume(String name, Deployment deployment, Target target) {
        return resume(name, deployment, null, target);
    }

    /**
     * Continues a rollout from the store after checking the stored state against the caller's own
     * inputs: its name, the target's application, {@code candidate} (when not {@code null}) and the
     * fingerprint of the plan {@code deployment} makes. A state that fails a check is refused before
     * any platform call.
     *
     * @throws IllegalStateException when nothing is stored under {@code name}, it was started with
     *                               another plan, or the stored state does not match the caller's inputs
     * @throws CutoverException      of kind STATE when the stored state was altered or is corrupt
     * @param name       the stored rollout's name
     * @param deployment the strategy it was started with: its plan must have the stored fingerprint
     * @param candidate  the revision the caller expects in progress, or {@code null} to trust the stored one
     * @param target     the platform adapters to act through
     * @return the running rollout, or an ended one as it was stored
     */
    public Rollout resume(String name, Deployment deployment, Revision candidate, Target target) {
        requireRunning();
        Checks.notNull("deployment", deployment);
        Checks.notNull("target", target);
        checkName(name);
        StateStore.Stored stored = load(name)
                .orElseThrow(() -> new IllegalStateException("no rollout named '" + name + "' in the state store"));
        RolloutState s = StateValidator.check(stored.state(), "the state store under '" + name + "'");
        mustMatch(name, "name", s.name(), name);
        mustMatch(name, "application", s.application(), target.application());
        if (candidate != null) {
            mustMatch(name, "candidate", s.candidate().name() + " " + s.candidate().artifact(),
                    candidate.name() + " " + candidate.artifact());
        }
        Plan plan = deployment.plan(new PlanContext(s.stableReplicas(), target.router().capabilities()));
        bind(plan, target);
        if (!plan.fingerprint().equals(s.planFingerprint())) {
            throw new IllegalStateException("rollout '" + name + "' was started with plan " + s.planFingerprint()
                    + ", not " + plan.fingerprint() + "; resume it with the same deployment");
        }
        boolean forward = s.phase() == io.cutover.Phase.PENDING || s.phase() == io.cutover.Phase.PROGRESSING
                || s.phase() == io.cutover.Phase.PAUSED;
        if (forward && s.stepIndex() > plan.steps().size()) {
            throw altered(name, "its step index " + s.stepIndex() + " is past the plan's " + plan.steps().size() + " steps");
        }
        RolloutRunner previous = runners.remove(name);
        if (previous != null) {
            previous.stop();
        }
        RolloutRunner runner = new RolloutRunner(name, plan, target, ctx, calls(target), s, stored.version(), this::track);
        track(runner);
        runner.start();
        Updates.resumed(this, runner, deployment, target);
        return new Rollout(runner, this);
    }

    /**
     * Rolls out {@code revision} under {@code name}, taking over from a rollout in progress, as a
     * pipeline re-applying a spec expects. With nothing in progress it is {@link #start}. When
     * {@code revision} is the candidate in progress, that rollout goes on unchanged. When it is stable's
     * revision, the rollout in progress is rolled back at once (traffic to stable, candidate down, no
     * analysis), and its result says it was superseded. Otherwise the in-flight candidate is retired in
     * the rollback's safe order (stable at full scale and ready before traffic moves, traffic back before
     * anything is scaled down), and once it is ABORTED, {@code revision} starts from the first step.
     * A rollout past promotion finishes first. The new revision is saved with the abort, in one
     * transition ({@link RolloutState#supersededBy()}): an engine that crashes before it started leaves
     * the intent in the store, and {@code resume(name, deployment, target)} on a fresh engine ends the
     * rollback and starts it with that deployment. Each rollout's reason says what happened
     * ("superseded by revision v3: candidate v2 retired", "fast rollback: stable revision v1
     * re-applied; ..."), in its result and in its {@code AbortStarted}, {@code RolledBack} and
     * {@code PhaseChanged} events.
     *
     * @return completes with the rollout of {@code revision} once it started (or with the rolled-back
     *         rollout when {@code revision} is stable's); fails when the old candidate could not be retired
     * @throws IllegalStateException when a rollout of that name is in progress on another engine, or
     *                               FAILED (its traffic may be split: abort it first)
     * @param name       the rollout's name
     * @param deployment the strategy for {@code revision}
     * @param revision   the revision wanted
     * @param target     the platform adapters to act through
     */
    public CompletableFuture<Rollout> update(String name, Deployment deployment, Revision revision, Target target) {
        Checks.notNull("deployment", deployment);
        Checks.notNull("revision", revision);
        Checks.notNull("target", target);
        checkName(name);
        return Updates.update(this, name, deployment, revision, target);
    }

    /** The runner driving {@code name} on this engine, if any. */
    RolloutRunner runner(String name) {
        return runners.get(name);
    }

    /**
     * The stored state of a rollout, whichever engine drives it.
     *
     * @param name the rollout's name
     * @return its state as last saved, or empty when nothing is stored under that name
     */
    public Optional<RolloutState> status(String name) {
        return load(name).map(StateStore.Stored::state);
    }

    /** Loads from the store; whatever it throws (or a null answer) reaches the caller as a {@link CutoverException}. */
    private Optional<StateStore.Stored> load(String name) {
        Optional<StateStore.Stored> loaded = store("load state " + name, () -> ctx.store().load(name));
        if (loaded == null) {
            throw CutoverException.transientFailure("load state " + name, "state store returned nothing (null) for " + name, null);
        }
        return loaded;
    }

    private static <T> T store(String operation, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (Throwable e) {
            throw PlatformCalls.translate(operation, e);
        }
    }

    /**
     * Stops driving every rollout (their state stays in the store) and releases the engine's own
     * threads; calls still running are interrupted. Returns at once, even while a call hangs.
     */
    public void shutdown() {
        shutdown = true;
        runners.values().forEach(RolloutRunner::stop);
        runners.clear();
        callsByTarget.clear();
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
        if (callExecutor != null) {
            callExecutor.shutdownNow();
        }
    }

    /** The same as {@link #shutdown()}: stops driving every rollout and releases the engine's threads. */
    @Override
    public void close() {
        shutdown();
    }

    /**
     * Whether {@link #shutdown()} (or {@link #close()}) was called; a shut-down engine drives nothing.
     *
     * @return {@code true} once the engine was shut down
     */
    public boolean isShutdown() {
        return shutdown;
    }

    /**
     * Rollouts this engine drives now (ended ones are dropped).
     *
     * @return the number of rollouts in progress on this engine
     */
    public int active() {
        return runners.size();
    }

    /** Targets this engine keeps call state for (breaker, bulkhead): only those of rollouts it drives. */
    int targetsHeld() {
        return callsByTarget.size();
    }

    Scheduler scheduler() {
        return ctx.scheduler();
    }

    /**
     * Keeps a runner while it runs (again after a retry or an abort of a failed rollout); an ended one
     * is dropped with its target's call state when no other rollout uses that target.
     */
    private void track(RolloutRunner runner) {
        if (shutdown) {
            runner.stop();
            return;
        }
        runners.put(runner.name(), runner);
        runner.result().whenComplete((result, failure) -> {
            runners.remove(runner.name(), runner);
            PlatformCalls calls = runner.calls();
            if (runners.values().stream().noneMatch(r -> r.calls() == calls)) {
                callsByTarget.values().remove(calls);
            }
        });
    }

    /** Refuses, before anything changes, a plan the router cannot honour. */
    static void bind(Plan plan, Target target) {
        Set<RouterCapability> has = target.router().capabilities();
        Set<RouterCapability> missing = EnumSet.noneOf(RouterCapability.class);
        for (RouterCapability needed : plan.requiredCapabilities()) {
            boolean ok = has.contains(needed)
                    || (needed == RouterCapability.WEIGHTED && has.contains(RouterCapability.REPLICA_RATIO));
            if (!ok) {
                missing.add(needed);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the " + plan.strategy() + " plan needs router capabilities " + missing
                    + " that the router of " + target + " lacks (it has " + has + ")");
        }
    }

    private static void mustMatch(String name, String what, String stored, String given) {
        if (!Objects.equals(stored, given)) {
            throw altered(name, "its " + what + " is '" + io.cutover.internal.Redaction.none().maxChars(120).apply(stored)
                    + "', the caller's is '" + given + "'");
        }
    }

    private static IllegalStateException altered(String name, String why) {
        return new IllegalStateException("the stored state of rollout '" + name + "' was altered or belongs to another "
                + "rollout, refused before any platform call: " + why);
    }

    private PlatformCalls calls(Target target) {
        return callsByTarget.computeIfAbsent(target, t -> new PlatformCalls(t.application(), ctx.clock(), ctx.retry()));
    }

    private void requireRunning() {
        if (shutdown) {
            throw new IllegalStateException("this engine is shut down; build another one (nothing was changed)");
        }
    }

    private static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,200}")) {
            throw new IllegalArgumentException("rollout name must be letters, digits, '.', '_' or '-': '" + name + "'");
        }
    }

    /** Builds a {@link RolloutEngine}. */
    public static final class Builder {
        private Clock clock;
        private Scheduler scheduler;
        private StateStore store = new InMemoryStateStore();
        private final List<RolloutListener> listeners = new ArrayList<>();
        private Duration pollInterval = Duration.ofSeconds(5);
        private int threads = 2;
        private int retryBudget = 6;
        private int abortRetryBudget = 20;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private StateIntegrity stateKey;
        private Duration callDeadline = Duration.ofSeconds(30);
        private Boolean isolateCalls;
        private int bulkhead = 16;
        private String owner;

        private Builder() { }

        /**
         * How long a platform read or write may take before it counts as a transient failure; default 30
         * seconds. Gates get their analysis interval, hooks their own {@link io.cutover.spi.Hook#timeout()}.
         * Deadlines are measured on the engine's scheduler.
         *
         * @param deadline above zero
         * @return this builder
         */
        public Builder callDeadline(Duration deadline) {
            this.callDeadline = io.cutover.internal.Checks.positive("callDeadline", deadline);
            return this;
        }

        /**
         * Whether SPI calls run on threads of their own under deadlines (so a hung call holds no engine
         * thread and no rollout's lock). Default: yes on a real scheduler; no on a {@link VirtualScheduler},
         * where calls run on the scheduler's thread so that runs are deterministic.
         *
         * @param isolate {@code true} to run calls on their own threads
         * @return this builder
         */
        public Builder isolateCalls(boolean isolate) {
            this.isolateCalls = isolate;
            return this;
        }

        /**
         * Calls to one target that may run at once on their own threads, hung ones included; default 16.
         *
         * @param calls 1 or more
         * @return this builder
         */
        public Builder bulkhead(int calls) {
            this.bulkhead = io.cutover.internal.Checks.atLeast("bulkhead", calls, 1);
            return this;
        }

        /**
         * This engine's name in the rollouts it claims; default a random one.
         *
         * @param owner a non-blank name, unique among the engines sharing a state store
         * @return this builder
         */
        public Builder owner(String owner) {
            Checks.notNull("owner", owner);
            if (owner.isBlank()) {
                throw new IllegalArgumentException("owner must not be blank: '" + owner + "'");
            }
            this.owner = owner;
            return this;
        }

        /**
         * The clock; default the scheduler's own when it is virtual, else the system UTC clock.
         *
         * @param clock the clock every instant of this engine comes from
         * @return this builder
         */
        public Builder withClock(Clock clock) {
            this.clock = Checks.notNull("clock", clock);
            return this;
        }

        /**
         * The scheduler; default one on {@code threads} daemon threads.
         *
         * @param scheduler runs the engine's timed work; a {@link VirtualScheduler} makes time virtual
         * @return this builder
         */
        public Builder withScheduler(Scheduler scheduler) {
            this.scheduler = Checks.notNull("scheduler", scheduler);
            return this;
        }

        /**
         * Where rollouts' states are saved after every transition; default an {@link InMemoryStateStore},
         * which forgets them when the process ends. Use a durable store to resume after a crash.
         *
         * @param store the state store, shared by the engines that may take over each other's rollouts
         * @return this builder
         */
        public Builder withStateStore(StateStore store) {
            this.store = Checks.notNull("store", store);
            return this;
        }

        /**
         * Adds a listener that receives every event of every rollout of this engine, in order per rollout.
         * A listener that throws is logged and ignored. Default: none.
         *
         * @param listener the listener; may be called more than once
         * @return this builder
         */
        public Builder onEvent(RolloutListener listener) {
            listeners.add(Checks.notNull("listener", listener));
            return this;
        }

        /**
         * How often readiness is polled while waiting; default 5 seconds.
         *
         * @param pollInterval above zero
         * @return this builder
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = io.cutover.internal.Checks.positive("pollInterval", pollInterval);
            return this;
        }

        /**
         * Threads of the default scheduler; default 2.
         *
         * @param threads 1 or more; ignored when a scheduler is given
         * @return this builder
         */
        public Builder threads(int threads) {
            this.threads = io.cutover.internal.Checks.atLeast("threads", threads, 1);
            return this;
        }

        /**
         * Failed platform calls a step may retry before the rollout pauses; default 6.
         *
         * @param budget 0 or more
         * @return this builder
         */
        public Builder retryBudget(int budget) {
            this.retryBudget = io.cutover.internal.Checks.atLeast("retryBudget", budget, 0);
            return this;
        }

        /**
         * Failed platform calls a rollback may retry before the rollout fails; default 20.
         *
         * @param budget 0 or more
         * @return this builder
         */
        public Builder abortRetryBudget(int budget) {
            this.abortRetryBudget = io.cutover.internal.Checks.atLeast("abortRetryBudget", budget, 0);
            return this;
        }

        /**
         * First and largest wait between retries (exponential with jitter); default 1 s and 30 s.
         *
         * @param initial the first wait, above zero
         * @param max     the largest wait, at least {@code initial}
         * @return this builder
         */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = io.cutover.internal.Checks.positive("initial backoff", initial);
            this.maxBackoff = io.cutover.internal.Checks.positive("max backoff", max);
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max backoff " + max + " is below initial backoff " + initial);
            }
            return this;
        }

        /**
         * Seals every saved state with HMAC-SHA256 under {@code key} (at least 32 bytes; keep it out of
         * the store's reach) and refuses a loaded state whose seal does not match. The store must be able
         * to seal ({@link StateStore#withIntegrity}); default: no key, and a warning at start.
         *
         * @param key the secret key, at least 32 bytes; copied
         * @return this builder
         */
        public Builder stateKey(byte[] key) {
            this.stateKey = StateIntegrity.hmacSha256(Checks.notNull("stateKey", key));
            return this;
        }

        /**
         * {@link #stateKey(byte[])} during a key rotation: seals with {@code current} and reads states
         * sealed with it or with any of {@code previous}, so rollouts saved under an older key resume and
         * are sealed with {@code current} at their next save. Drop a previous key once no state sealed
         * with it is left.
         *
         * @param current the secret key to seal with, at least 32 bytes; copied
         * @param previous older keys still accepted when reading; copied
         * @return this builder
         */
        public Builder stateKeys(byte[] current, byte[]... previous) {
            Checks.notNull("current state key", current);
            Checks.notNull("previous state keys", previous);
            for (int i = 0; i < previous.length; i++) {
                Checks.notNull("previous state key " + (i + 1), previous[i]);
            }
            this.stateKey = StateIntegrity.hmacSha256(current, previous);
            return this;
        }

        /**
         * Builds the engine. It owns its threads until {@link RolloutEngine#close()}.
         *
         * @return a running engine
         */
        public RolloutEngine build() {
            if (stateKey != null) {
                store = store.withIntegrity(stateKey);
            }
            return new RolloutEngine(this);
        }
    }
}
