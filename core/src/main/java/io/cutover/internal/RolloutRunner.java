package io.cutover.internal;

import io.cutover.CutoverException;
import io.cutover.Phase;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.plan.Plan;
import io.cutover.plan.Step;
import io.cutover.spi.StateStore;
import io.cutover.spi.TrafficSplit;
import io.cutover.state.RolloutState;
import io.cutover.state.StateConflictException;
import io.cutover.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one rollout: runs the current step on every tick, saves the state after every transition
 * (compare-and-set), and schedules the next tick.
 *
 * <p>Ticks hold this runner's lock; nothing else waits for it. The state is read without the lock, and
 * a person's operation ({@link #abort}, {@link #pause}, {@link #promote}...) is queued and applied by
 * whoever holds the lock next, after the step in flight has saved: called from a listener inside a
 * tick, from another thread while a call hangs, it is never lost and never overwritten. A read, gate
 * or hook in flight is abandoned for it.
 */
public final class RolloutRunner {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutRunner.class);

    private final String name;
    private final Plan plan;
    private final EngineContext ctx;
    private final PlatformCalls shared;
    private final RunnerCalls calls;
    private final StepExecutor executor;
    private final List<Step> rollbackSteps;
    private final Serializer serializer;
    private final Consumer<RolloutRunner> onRestart;
    private final Failures failures;
    private final ChangeWake wake;

    private volatile CompletableFuture<RolloutResult> done = new CompletableFuture<>();
    private volatile RolloutState state;
    private volatile boolean stopped;
    private final StateKeeper keeper;
    private long generation;
    private Scheduler.Cancellable pending;
    private String pauseKey;
    private boolean pauseOver;
    private Scheduler.Cancellable pauseTimer;

    public RolloutRunner(String name, Plan plan, Target target, EngineContext ctx, PlatformCalls calls,
                         RolloutState state, String version, Consumer<RolloutRunner> onRestart) {
        this.name = name;
        this.plan = plan;
        this.ctx = ctx;
        this.shared = calls;
        this.state = state;
        this.onRestart = onRestart;
        this.serializer = new Serializer(name, this::lostOwnership);
        this.calls = new RunnerCalls(calls, ctx, this::checkOwnership, () -> serializer.operationsWaiting() || stopped);
        this.executor = new StepExecutor(name, plan, target, this.calls, ctx);
        this.rollbackSteps = plan.rollbackSteps();
        this.failures = new Failures(name, ctx);
        this.wake = new ChangeWake(target.changes(), ctx.scheduler());
        failures.resumeFrom(state.attempts());
        this.keeper = new StateKeeper(name, ctx, failures, version, this.calls);
        if (state.phase().isTerminal()) {
            done.complete(RolloutResult.of(state));
        }
    }

    public String name() {
        return name;
    }

    /** The state as last made: saved, or (when the store is down) held here with the reason. */
    public RolloutState state() {
        return state;
    }

    public CompletableFuture<RolloutResult> result() {
        return done;
    }

    public PlatformCalls calls() {
        return shared;
    }

    /** Whether this runner has stopped driving its rollout (ended, lost ownership, or shut down). */
    public boolean stopped() {
        return stopped;
    }

    // ---------------------------------------------------------------- operations

    /**
     * Claims the rollout (its epoch advanced by compare-and-set: an older engine's next save or
     * platform write is refused), starts it if it is new, then runs it.
     */
    public void start() {
        serializer.locked(() -> {
            Instant now = now();
            long claimed = state.epoch() + 1;
            boolean fresh = state.phase() == Phase.PENDING;
            transition(b -> {
                b.claim(ctx.owner(), claimed);
                if (fresh) {
                    b.phase(Phase.PROGRESSING, null).step(0, now).note(now, "started");
                } else if (!state.phase().isTerminal()) {
                    b.note(now, "resumed by engine " + ctx.owner());
                }
            });
            if (fresh) {
                ctx.publish(new RolloutEvent.PhaseChanged(name, now, Phase.PROGRESSING, null));
                ctx.publish(new RolloutEvent.StepStarted(name, now, 0, plan.steps().get(0).describe()));
            }
            kick();
        });
    }

    /** Skips the current pause or analysis; resumes a paused rollout. */
    public void promote() {
        requireActive("promote");
        submit(() -> {
            if (!active()) {
                LOG.warn("rollout {}: promote came after it ended ({})", name, state.phase());
                return;
            }
            Instant now = now();
            Step current = currentStep();
            transition(b -> {
                if (current instanceof Step.Pause || current instanceof Step.Analyze) {
                    b.step(state.stepIndex() + 1, now);
                }
                b.phase(Phase.PROGRESSING, null).attempts(0).background(b.background().forgiveInconclusive())
                        .note(now, "promoted by a person");
            });
            failures.reset();
            kick();
        });
    }

    /** Skips every remaining pause and analysis. */
    public void promoteFully() {
        requireActive("promote fully");
        submit(() -> {
            if (!active()) {
                LOG.warn("rollout {}: full promotion came after it ended ({})", name, state.phase());
                return;
            }
            Instant now = now();
            transition(b -> b.fullPromotion(true).phase(Phase.PROGRESSING, null).attempts(0).note(now, "fully promoted by a person"));
            failures.reset();
            kick();
        });
    }

    /**
     * Rolls back. Idempotent while aborting or aborted; on a FAILED rollout it runs the rollback again
     * (the platform may have recovered); refused once the candidate has been promoted.
     */
    public void abort(String reason) {
        RolloutState s = state;
        if (s.phase() == Phase.ABORTED || s.phase() == Phase.ABORTING || s.phase() == Phase.NOT_PROMOTED) {
            return;
        }
        if (s.promoted() || s.phase() == Phase.SUCCEEDED) {
            throw new IllegalStateException("rollout '" + name + "' is past promotion: nothing to roll back to");
        }
        submit(() -> {
            Phase phase = state.phase();
            if (phase == Phase.ABORTED || phase == Phase.ABORTING || phase == Phase.NOT_PROMOTED) {
                return;
            }
            if (state.promoted() || phase == Phase.SUCCEEDED) {
                LOG.warn("rollout {}: abort came after the candidate was promoted; nothing rolled back", name);
                return;
            }
            restartIfEnded();
            startAbort("aborted by a person: " + reason);
            kick();
        });
    }

    /**
     * Rolls back because a new revision takes over ({@code RolloutEngine.update}): as {@link #abort}, with
     * {@code reason} as it is, and {@code next} (when not {@code null}) saved with the abort in one
     * transition, so that whichever engine ends the rollback starts it. Already rolling back, only
     * {@code next} is recorded.
     */
    public void supersede(String reason, io.cutover.spi.Revision next) {
        RolloutState s = state;
        if (s.promoted() || s.phase() == Phase.SUCCEEDED) {
            throw new IllegalStateException("rollout '" + name + "' is past promotion: nothing to roll back to");
        }
        submit(() -> {
            Phase phase = state.phase();
            if (state.promoted() || phase == Phase.SUCCEEDED || (phase.isTerminal() && phase != Phase.FAILED)) {
                LOG.warn("rollout {}: superseded after it was {}; nothing rolled back", name, phase);
                return;
            }
            Instant now = now();
            if (phase == Phase.ABORTING) {
                tolerant(b -> b.supersededBy(next).note(now, reason));
                return;
            }
            restartIfEnded();
            startAbort(reason, next);
            kick();
        });
    }

    /** Starts an aborted rollout again from its first step. */
    public void retry() {
        if (state.phase() != Phase.ABORTED) {
            throw new IllegalStateException("only an aborted rollout can be retried; '" + name + "' is " + state.phase());
        }
        submit(() -> {
            if (state.phase() != Phase.ABORTED) {
                return;
            }
            restartIfEnded();
            Instant now = now();
            transition(b -> b.phase(Phase.PROGRESSING, null).step(0, now).fullPromotion(false).supersededBy(null)
                    .background(io.cutover.state.AnalysisProgress.NONE).note(now, "retried"));
            failures.reset();
            kick();
        });
    }

    public void pause(String reason) {
        if (state.phase() != Phase.PROGRESSING) {
            throw new IllegalStateException("only a progressing rollout can be paused; '" + name + "' is " + state.phase());
        }
        submit(() -> {
            if (state.phase() != Phase.PROGRESSING) {
                LOG.warn("rollout {}: pause came when it was already {}", name, state.phase());
                return;
            }
            enterPause("paused by a person: " + reason);
        });
    }

    public void resume() {
        if (state.phase() != Phase.PAUSED) {
            throw new IllegalStateException("only a paused rollout can be resumed; '" + name + "' is " + state.phase());
        }
        submit(() -> {
            if (state.phase() != Phase.PAUSED) {
                return;
            }
            Instant now = now();
            Step current = currentStep();
            // a wait for the platform gets a fresh progress deadline; a timed pause or analysis keeps its time
            boolean restartClock = !(current instanceof Step.Pause || current instanceof Step.Analyze);
            transition(b -> {
                if (restartClock) {
                    b.step(state.stepIndex(), now);
                }
                b.phase(Phase.PROGRESSING, null).attempts(0).analysis(b.analysis().forgiveInconclusive())
                        .background(b.background().forgiveInconclusive()).note(now, "resumed");
            });
            failures.reset();
            ctx.publish(new RolloutEvent.Resumed(name, now));
            kick();
        });
    }

    /** Stops driving this rollout without touching it (the engine shuts down or lost ownership). */
    public void stop() {
        stopped = true;
        wake.disarm();
        calls.abandon("the engine stopped driving rollout " + name);
        serializer.tryLocked(this::cancelPending);
    }

    private void cancelPending() {
        generation++;
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    private void submit(Runnable operation) {
        serializer.submit(operation, () -> calls.abandon("a person's operation on rollout " + name + " is waiting"));
    }

    private void restartIfEnded() {
        if (done.isDone()) {
            done = new CompletableFuture<>();
            stopped = false;
            onRestart.accept(this);
        }
    }

    // ---------------------------------------------------------------- ticks

    private void kick() {
        schedule(Duration.ZERO);
    }

    private void schedule(Duration delay) {
        if (stopped) {
            return;
        }
        cancelPending();
        long gen = generation;
        pending = ctx.scheduler().schedule(() -> dispatch(gen), delay.isNegative() ? Duration.ZERO : delay);
    }

    /** Runs the tick on the call executor when there is one: the scheduler's threads never wait on a call. */
    private void dispatch(long gen) {
        if (ctx.callExecutor() == null) {
            tick(gen);
            return;
        }
        try {
            ctx.callExecutor().execute(() -> tick(gen));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("rollout {}: engine is shutting down; tick dropped", name);
        }
    }

    void tick(long gen) {
        serializer.locked(() -> {
            if (gen != generation || stopped) {
                return;
            }
            try {
                tickLocked();
            } catch (StateConflictException e) {
                lostOwnership(e);
            } catch (RunnerCalls.Abandoned e) {
                LOG.debug("rollout {}: step left for an operation: {}", name, e.getMessage());
                kick();
            } catch (io.cutover.sim.SimulatedCrash crash) {
                throw crash;
            } catch (Throwable e) {
                lastResort(e);
            }
        });
    }

    private void tickLocked() {
        Phase phase = state.phase();
        boolean holding = holding();
        if (phase != Phase.PROGRESSING && phase != Phase.ABORTING && !holding) {
            return;
        }
        boolean aborting = phase == Phase.ABORTING;
        RolloutState.Builder b = state.toBuilder();
        Instant now = now();
        try {
            Outcome outcome = aborting ? rollbackTick(b) : holding ? holdTick(b, now) : progressTick(b, now);
            b.attempts(0); // the budget counts failures in a row
            handle(outcome, b, aborting, now);
            failures.reset();
        } catch (StateConflictException | RunnerCalls.Abandoned | io.cutover.sim.SimulatedCrash e) {
            throw e;
        } catch (Throwable e) {
            onError(PlatformCalls.translate("step " + (state.stepIndex() + 1), e), aborting);
        }
    }

    private Outcome progressTick(RolloutState.Builder b, Instant now) {
        if (state.stepIndex() >= plan.steps().size()) {
            return Outcome.DONE;
        }
        Step step = plan.steps().get(state.stepIndex());
        if (state.fullPromotion() && step.skippedOnFullPromotion()) {
            return Outcome.DONE;
        }
        if (backgroundActive()) {
            Outcome bg = executor.background(b, state, now);
            if (bg != null) {
                return bg;
            }
        }
        if (step instanceof Step.Pause p && !p.untilPromotedOnly()) {
            return timedPause(p, now);
        }
        return executor.run(step, b, state, false);
    }

    /**
     * A timed pause is measured on the scheduler, not by re-reading a clock that can jump: the first time
     * this engine sees the pause it takes the remaining time from the state (within 0 and the pause's
     * length) and sets a timer; the pause ends when the timer fires.
     */
    private Outcome timedPause(Step.Pause p, Instant now) {
        String key = state.phase() + ":" + state.stepIndex() + ":" + state.stepStartedAt();
        if (!key.equals(pauseKey)) {
            if (pauseTimer != null) {
                pauseTimer.cancel();
            }
            Duration left = Duration.between(now, state.stepStartedAt().plus(p.duration()));
            left = left.isNegative() ? Duration.ZERO : left.compareTo(p.duration()) > 0 ? p.duration() : left;
            pauseKey = key;
            pauseOver = false;
            pauseTimer = ctx.scheduler().schedule(() -> submit(() -> {
                if (key.equals(pauseKey)) {
                    pauseOver = true;
                    kick();
                }
            }), left);
        }
        return pauseOver ? Outcome.DONE : Outcome.HOLD;
    }

    /** Waiting for a person to promote: only background gates run. */
    private Outcome holdTick(RolloutState.Builder b, Instant now) {
        if (backgroundActive()) {
            Outcome bg = executor.background(b, state, now);
            if (bg != null) {
                return bg;
            }
        }
        return Outcome.HOLD;
    }

    /** A pause until promoted: PAUSED, with its reason, while background gates (if any) go on measuring. */
    private boolean holding() {
        return state.phase() == Phase.PAUSED && currentStep() instanceof Step.Pause p && p.untilPromotedOnly()
                && state.reason() != null && state.reason().startsWith(HOLD);
    }

    static final String HOLD = "waiting for a person to promote";

    private boolean backgroundActive() {
        return (state.phase() == Phase.PROGRESSING || holding()) && !plan.backgroundGates().isEmpty() && !state.promoted()
                && !state.fullPromotion() && state.stepIndex() >= plan.backgroundFrom() && !(currentStep() instanceof Step.Promote);
    }

    private Outcome rollbackTick(RolloutState.Builder b) {
        if (state.stepIndex() >= rollbackSteps.size()) {
            return Outcome.DONE;
        }
        Step step = rollbackSteps.get(state.stepIndex());
        if (step instanceof Step.Pause p && !p.untilPromotedOnly()) {
            return timedPause(p, ctx.clock().instant());
        }
        return executor.run(step, b, state, true);
    }

    private void handle(Outcome outcome, RolloutState.Builder b, boolean aborting, Instant now) {
        if (outcome instanceof Outcome.Done) {
            int next = state.stepIndex() + 1;
            List<Step> steps = aborting ? rollbackSteps : plan.steps();
            if (state.stepIndex() >= steps.size()) {
                if (aborting) {
                    finishAbort(b, now);
                } else {
                    if (!state.promoted() && plan.steps().stream().noneMatch(s -> s instanceof Step.Promote)) {
                        String why = "the plan ends without promotion: candidate retired, stable unchanged";
                        b.phase(Phase.NOT_PROMOTED, why).note(now, "ended without promotion");
                        commit(b);
                        ctx.publish(new RolloutEvent.PhaseChanged(name, now, Phase.NOT_PROMOTED, why));
                        finish();
                        return;
                    }
                    b.phase(Phase.SUCCEEDED, null).note(now, "succeeded");
                    commit(b);
                    ctx.publish(new RolloutEvent.Succeeded(name, now));
                    ctx.publish(new RolloutEvent.PhaseChanged(name, now, Phase.SUCCEEDED, null));
                    finish();
                }
                return;
            }
            b.step(next, now);
            commit(b);
            if (next < steps.size()) {
                ctx.publish(new RolloutEvent.StepStarted(name, now, next, steps.get(next).describe()));
            }
            kick();
        } else if (outcome instanceof Outcome.WaitFor w) {
            commitIfChanged(b);
            schedule(nextWake(w.duration(), b, now));
            long waiting = generation;
            wake.arm(() -> dispatch(waiting)); // a change the target signals looks at once; the poll stays as the fallback
        } else if (outcome instanceof Outcome.Hold) {
            commitIfChanged(b);
            if (state.phase() == Phase.PROGRESSING && currentStep() instanceof Step.Pause p && p.untilPromotedOnly()) {
                enterPause(HOLD + ": step " + (state.stepIndex() + 1) + " (" + currentStep().describe() + "); promote() goes on, abort() rolls back");
            }
            if (backgroundActive() && b.background().nextAt() != null) {
                schedule(Duration.between(now, b.background().nextAt()));
            }
        } else if (outcome instanceof Outcome.Abort a) {
            commitIfChanged(b);
            if (state.promoted()) {
                enterPause("after promotion, cannot roll back: " + a.reason());
            } else {
                startAbort(a.reason());
                kick();
            }
        } else if (outcome instanceof Outcome.Pause p) {
            commitIfChanged(b);
            enterPause(p.reason());
        } else if (outcome instanceof Outcome.Fail f) {
            commitIfChanged(b);
            fail(f.reason());
        }
    }

    private Duration nextWake(Duration wait, RolloutState.Builder b, Instant now) {
        if (backgroundActive() && b.background().nextAt() != null) {
            Duration bg = Duration.between(now, b.background().nextAt());
            if (bg.compareTo(wait) < 0) {
                return bg.isNegative() ? Duration.ZERO : bg;
            }
        }
        return wait;
    }

    /**
     * Ends the abort only on the platform's word: all traffic on stable (read back) and stable the
     * revision the rollout started from, at full capacity.
     */
    private void finishAbort(RolloutState.Builder b, Instant now) {
        TrafficSplit read = executor.readTraffic();
        if (!read.isStableOnly()) {
            b.split(read);
            commit(b);
            throw CutoverException.transientFailure("read traffic", "traffic read back as " + read + " at the end of rollback", null);
        }
        io.cutover.spi.WorkloadStatus candidate = executor.status(io.cutover.spi.Role.CANDIDATE);
        if (candidate.exists() && candidate.desired() > 0) {
            // a read-back that lied let the scale-down pass: go back to it
            int scaleDown = 0;
            for (int i = 0; i < rollbackSteps.size(); i++) {
                if (rollbackSteps.get(i) instanceof Step.Scale sc && sc.role() == io.cutover.spi.Role.CANDIDATE) {
                    scaleDown = i;
                }
            }
            b.split(read).step(scaleDown, now).note(now, "candidate still wants " + candidate.desired() + " replicas; scaling it down again");
            commit(b);
            throw CutoverException.transientFailure("scale CANDIDATE to 0", "candidate still wants " + candidate.desired()
                    + " replicas at the end of rollback", null);
        }
        String wrong = executor.stableIsNotPrevious(state);
        if (wrong != null) {
            b.split(read);
            commit(b);
            fail(wrong);
            return;
        }
        String reason = state.reason();
        b.split(read).phase(Phase.ABORTED, reason).note(now, "rolled back: " + reason);
        commit(b);
        ctx.publish(new RolloutEvent.RolledBack(name, now, reason));
        ctx.publish(new RolloutEvent.PhaseChanged(name, now, Phase.ABORTED, reason));
        finish();
    }

    private void onError(CutoverException e, boolean aborting) {
        int budget = aborting ? ctx.retry().abortBudget() : ctx.retry().budget();
        int attempts = failures.failed(e, budget, now());
        // rolling back, traffic safety comes first: every failure is tried again within the abort budget
        boolean retryable = e.isRetryable() || aborting;
        if (retryable && attempts <= budget) {
            tolerant(b -> b.attempts(attempts));
            schedule(shared.backoff(attempts));
            return;
        }
        String reason = (retryable ? "retry budget of " + budget + " spent: " : "") + e.getMessage();
        LOG.warn("rollout {} {}: {}", name, aborting ? "could not roll back" : "stopped", reason);
        if (aborting) {
            fail(reason);
        } else if (e.isRetryable() || state.promoted()) {
            enterPause(reason);
        } else {
            startAbort(reason);
            kick();
        }
    }

    /** Something escaped every other handler: count it, say it, and keep the rollout moving or stopped for a person. */
    private void lastResort(Throwable e) {
        LOG.error("rollout {}: unexpected failure in the engine; counted as a failed attempt: {}", name, e.toString(), e);
        boolean aborting = state.phase() == Phase.ABORTING;
        try {
            onError(PlatformCalls.translate("engine", e), aborting);
        } catch (StateConflictException conflict) {
            throw conflict;
        } catch (io.cutover.sim.SimulatedCrash crash) {
            throw crash;
        } catch (Throwable again) {
            LOG.error("rollout {}: could not record the failure ({}); trying again in {}", name, again.toString(), ctx.retry().maxBackoff());
            schedule(ctx.retry().maxBackoff());
        }
    }

    private void startAbort(String reason) {
        startAbort(reason, state.supersededBy());
    }

    private void startAbort(String reason, io.cutover.spi.Revision next) {
        Instant now = now();
        tolerant(b -> b.phase(Phase.ABORTING, reason).step(0, now).supersededBy(next).note(now, "abort: " + reason));
        failures.reset();
        ctx.publish(new RolloutEvent.AbortStarted(name, now, reason));
        ctx.publish(new RolloutEvent.PhaseChanged(name, now, Phase.ABORTING, reason));
    }

    private void enterPause(String reason) {
        Instant now = now();
        tolerant(b -> b.phase(Phase.PAUSED, reason).note(now, "paused: " + reason));
        LOG.info("rollout {} paused: {}", name, reason);
        ctx.publish(new RolloutEvent.Paused(name, now, reason));
        ctx.publish(new RolloutEvent.PhaseChanged(name, now, Phase.PAUSED, reason));
    }

    /** Ends the rollout as FAILED with the traffic the platform holds, read if it can be. */
    private void fail(String reason) {
        Instant now = now();
        TrafficSplit split;
        try {
            split = executor.readTraffic();
        } catch (StateConflictException | io.cutover.sim.SimulatedCrash e) {
            throw e;
        } catch (Throwable e) {
            split = state.split();
            reason = reason + " (traffic could not be read; last confirmed " + split + ")";
        }
        TrafficSplit last = split;
        String why = reason;
        tolerant(b -> b.split(last).phase(Phase.FAILED, why).note(now, "failed: " + why + "; traffic " + last));
        LOG.error("rollout {} FAILED with traffic {}: {}", name, last, why);
        ctx.publish(new RolloutEvent.Failed(name, now, why, last));
        ctx.publish(new RolloutEvent.PhaseChanged(name, now, Phase.FAILED, why));
        finish();
    }

    private void finish() {
        stopped = true;
        cancelPending();
        wake.disarm();
        if (pauseTimer != null) {
            pauseTimer.cancel();
        }
        done.complete(RolloutResult.of(state));
    }

    private void lostOwnership(StateConflictException e) {
        LOG.error("rollout {}: another engine claimed it ({}); this engine stops driving it and writes nothing more", name, e.getMessage());
        stopped = true;
        cancelPending(); // a retry waiting in its backoff never runs
        wake.disarm();
        if (pauseTimer != null) {
            pauseTimer.cancel();
        }
        ctx.publish(new RolloutEvent.OwnershipLost(name, now(), e.getMessage()));
        done.completeExceptionally(e);
    }

    /**
     * Before every platform write: fenced once stopped, or once another engine claimed the rollout. While
     * rolling back, a store that cannot be read does not stop the way back to stable (traffic safety first).
     */
    private void checkOwnership() {
        if (stopped) {
            throw new StateConflictException(name, "epoch " + state.epoch(), "an engine that stopped driving the rollout");
        }
        try {
            keeper.checkOwnership(state);
        } catch (StateConflictException e) {
            throw e;
        } catch (CutoverException unreadable) {
            if (state.phase() != Phase.ABORTING) {
                throw unreadable;
            }
            LOG.warn("rollout {}: {}; rolling back regardless (traffic safety first)", name, unreadable.getMessage());
        }
    }

    // ---------------------------------------------------------------- persistence

    private void transition(Consumer<RolloutState.Builder> change) {
        RolloutState.Builder b = state.toBuilder();
        change.accept(b);
        commit(b);
    }

    /**
     * A transition towards safety (abort, pause, fail) that must not wait for the store: when the save
     * fails it is held here (status() shows it) and the failure is counted and logged.
     */
    private void tolerant(Consumer<RolloutState.Builder> change) {
        RolloutState.Builder b = state.toBuilder();
        change.accept(b);
        RolloutState next = b.updatedAt(now()).build();
        keeper.saveOrHold(next);
        state = next;
    }

    private void commitIfChanged(RolloutState.Builder b) {
        if (b.changed()) {
            commit(b);
        }
    }

    /** Saves; while rolling back a failed save is counted and the rollback goes on (traffic safety first). */
    private void commit(RolloutState.Builder b) {
        RolloutState next = b.updatedAt(now()).build();
        if (state.phase() == Phase.ABORTING) {
            keeper.saveOrHold(next);
        } else {
            keeper.save(next);
        }
        state = next;
    }

    private Step currentStep() {
        List<Step> steps = state.phase() == Phase.ABORTING ? rollbackSteps : plan.steps();
        return state.stepIndex() < steps.size() ? steps.get(state.stepIndex()) : null;
    }

    private boolean active() {
        return state.phase() == Phase.PROGRESSING || state.phase() == Phase.PAUSED;
    }

    private void requireActive(String operation) {
        if (!active()) {
            throw new IllegalStateException("cannot " + operation + " rollout '" + name + "': it is " + state.phase());
        }
    }

    private Instant now() {
        return ctx.clock().instant();
    }
}
