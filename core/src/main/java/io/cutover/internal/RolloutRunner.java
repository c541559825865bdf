package io.cutover.internal;

import io.cutover.CutoverException;
import io.cutover.Phase;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.plan.Plan;
import io.cutover.plan.Replicas;
import io.cutover.plan.Step;
import io.cutover.spi.HookStage;
import io.cutover.spi.Role;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.WorkloadStatus;
import io.cutover.state.RolloutState;
import io.cutover.state.StateConflictException;
import io.cutover.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Drives one rollout: runs the current step on every tick, saves the state after every transition
 * (compare-and-set), and schedules the next tick. Ticks and operations are serialized on this
 * object; a stale scheduled tick is ignored by generation.
 */
public final class RolloutRunner {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutRunner.class);

    /** What an abort runs, in order: traffic back to stable before anything is scaled down. */
    private final List<Step> rollbackSteps;

    private final String name;
    private final Plan plan;
    private final Target target;
    private final EngineContext ctx;
    private final PlatformCalls calls;
    private final StepExecutor executor;
    private CompletableFuture<RolloutResult> done = new CompletableFuture<>();

    private RolloutState state;
    private String version;
    private long generation;
    private Scheduler.Cancellable pending;
    private boolean stopped;

    public RolloutRunner(String name, Plan plan, Target target, EngineContext ctx, PlatformCalls calls,
                         RolloutState state, String version) {
        this.name = name;
        this.plan = plan;
        this.target = target;
        this.ctx = ctx;
        this.calls = calls;
        this.state = state;
        this.version = version;
        this.executor = new StepExecutor(name, plan, target, calls, ctx);
        List<Step> rollback = new java.util.ArrayList<>(List.of(
                new Step.RunHooks(HookStage.BEFORE_ROLLBACK),
                new Step.Scale(Role.STABLE, Replicas.full()),
                new Step.AwaitReady(Role.STABLE),
                new Step.ResetTraffic()));
        if (!plan.drainDelay().isZero()) {
            rollback.add(new Step.Pause(plan.drainDelay()));
        }
        rollback.add(new Step.Scale(Role.CANDIDATE, Replicas.exactly(0)));
        rollback.add(new Step.RunHooks(HookStage.AFTER_ROLLBACK));
        this.rollbackSteps = List.copyOf(rollback);
        if (state.phase().isTerminal()) {
            done.complete(RolloutResult.of(state));
        }
    }

    public String name() {
        return name;
    }

    public synchronized RolloutState state() {
        return state;
    }

    public synchronized CompletableFuture<RolloutResult> result() {
        return done;
    }

    public PlatformCalls calls() {
        return calls;
    }

    // ---------------------------------------------------------------- operations

    /** Starts, or (for a state loaded from the store) claims the rollout by saving it, then runs it. */
    public synchronized void start() {
        if (state.phase() != Phase.PENDING && !state.phase().isTerminal()) {
            Instant now = now();
            transition(b -> b.note(now, "resumed by this engine")); // bumps the version: an older engine's next save fails
        }
        if (state.phase() == Phase.PENDING) {
            Instant now = now();
            transition(b -> b.phase(Phase.PROGRESSING, null).step(0, now).note(now, "started"));
            ctx.publish(new RolloutEvent.PhaseChanged(name, now, Phase.PROGRESSING, null));
            ctx.publish(new RolloutEvent.StepStarted(name, now, 0, plan.steps().get(0).describe()));
        }
        kick();
    }

    /** Skips the current pause or analysis; resumes a paused rollout. */
    public synchronized void promote() {
        requireActive("promote");
        Instant now = now();
        Step current = currentStep();
        transition(b -> {
            if (current instanceof Step.Pause || current instanceof Step.Analyze) {
                b.step(state.stepIndex() + 1, now);
            }
            b.phase(Phase.PROGRESSING, null).attempts(0).background(b.background().forgiveInconclusive())
                    .note(now, "promoted by a person");
        });
        kick();
    }

    /** Skips every remaining pause and analysis. */
    public synchronized void promoteFully() {
        requireActive("promote fully");
        Instant now = now();
        transition(b -> b.fullPromotion(true).phase(Phase.PROGRESSING, null).attempts(0).note(now, "fully promoted by a person"));
        kick();
    }

    /**
     * Rolls back. Idempotent while aborting or aborted; on a FAILED rollout it runs the rollback again
     * (the platform may have recovered); refused once the candidate has been promoted.
     */
    public synchronized void abort(String reason) {
        if (state.phase() == Phase.ABORTED || state.phase() == Phase.ABORTING || state.phase() == Phase.NOT_PROMOTED) {
            return;
        }
        if (state.promoted() || state.phase() == Phase.SUCCEEDED) {
            throw new IllegalStateException("rollout '" + name + "' is past promotion: nothing to roll back to");
        }
        if (state.phase() == Phase.FAILED) {
            done = new CompletableFuture<>();
            stopped = false;
        }
        startAbort("aborted by a person: " + reason);
        kick();
    }

    /** Starts an aborted rollout again from its first step. */
    public synchronized void retry() {
        if (state.phase() != Phase.ABORTED) {
            throw new IllegalStateException("only an aborted rollout can be retried; '" + name + "' is " + state.phase());
        }
        Instant now = now();
        done = new CompletableFuture<>();
        stopped = false;
        transition(b -> b.phase(Phase.PROGRESSING, null).step(0, now).fullPromotion(false)
                .background(io.cutover.state.AnalysisProgress.NONE).note(now, "retried"));
        kick();
    }

    public synchronized void pause(String reason) {
        if (state.phase() != Phase.PROGRESSING) {
            throw new IllegalStateException("only a progressing rollout can be paused; '" + name + "' is " + state.phase());
        }
        enterPause("paused by a person: " + reason);
    }

    public synchronized void resume() {
        if (state.phase() != Phase.PAUSED) {
            throw new IllegalStateException("only a paused rollout can be resumed; '" + name + "' is " + state.phase());
        }
        Instant now = now();
        Step current = currentStep();
        boolean restartClock = current instanceof Step.AwaitReady || current instanceof Step.SetWeight;
        transition(b -> {
            if (restartClock) {
                b.step(state.stepIndex(), now);
            }
            b.phase(Phase.PROGRESSING, null).attempts(0).analysis(b.analysis().forgiveInconclusive())
                    .background(b.background().forgiveInconclusive()).note(now, "resumed");
        });
        ctx.publish(new RolloutEvent.Resumed(name, now));
        kick();
    }

    /** Stops driving this rollout without touching it (the engine shuts down or lost ownership). */
    public synchronized void stop() {
        stopped = true;
        generation++;
        if (pending != null) {
            pending.cancel();
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
        if (pending != null) {
            pending.cancel();
        }
        long gen = ++generation;
        pending = ctx.scheduler().schedule(() -> tick(gen), delay);
    }

    void tick(long gen) {
        synchronized (this) {
            if (gen != generation || stopped) {
                return;
            }
            MDC.put("rollout", name);
            try {
                tickLocked();
            } catch (StateConflictException e) {
                lostOwnership(e);
            } finally {
                MDC.remove("rollout");
            }
        }
    }

    private void tickLocked() {
        Phase phase = state.phase();
        if (phase != Phase.PROGRESSING && phase != Phase.ABORTING) {
            return;
        }
        boolean aborting = phase == Phase.ABORTING;
        RolloutState.Builder b = state.toBuilder();
        Instant now = now();
        try {
            Outcome outcome = aborting ? rollbackTick(b, now) : progressTick(b, now);
            b.attempts(0); // the budget counts failures in a row
            handle(outcome, b, aborting, now);
        } catch (CutoverException e) {
            if (e instanceof StateConflictException sce) {
                throw sce;
            }
            onError(e, aborting, now);
            return;
        } catch (RuntimeException e) {
            onError(CutoverException.permanent("step", "unexpected failure: " + e, e), aborting, now);
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
        return executor.run(step, b, state, false);
    }

    private boolean backgroundActive() {
        return state.phase() == Phase.PROGRESSING && !plan.backgroundGates().isEmpty() && !state.promoted() && !state.fullPromotion()
                && state.stepIndex() >= plan.backgroundFrom() && !(currentStep() instanceof Step.Promote);
    }

    private Outcome rollbackTick(RolloutState.Builder b, Instant now) {
        if (state.stepIndex() >= rollbackSteps.size()) {
            return Outcome.DONE;
        }
        return executor.run(rollbackSteps.get(state.stepIndex()), b, state, true);
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
        } else if (outcome instanceof Outcome.Hold) {
            commitIfChanged(b);
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

    private void finishAbort(RolloutState.Builder b, Instant now) {
        TrafficSplit read = executor.readTraffic();
        if (!read.isStableOnly()) {
            b.split(read);
            commit(b);
            throw CutoverException.transientFailure("read traffic", "traffic read back as " + read + " at the end of rollback", null);
        }
        String reason = state.reason();
        b.split(read).phase(Phase.ABORTED, reason).note(now, "rolled back: " + reason);
        commit(b);
        ctx.publish(new RolloutEvent.RolledBack(name, now, reason));
        ctx.publish(new RolloutEvent.PhaseChanged(name, now, Phase.ABORTED, reason));
        finish();
    }

    private void onError(CutoverException e, boolean aborting, Instant now) {
        int attempts = state.attempts() + 1;
        int budget = aborting ? ctx.retry().abortBudget() : ctx.retry().budget();
        if (e.isRetryable() && attempts <= budget) {
            LOG.debug("{} failed (attempt {} of {}): {}", e.operation(), attempts, budget, e.getMessage());
            try {
                transition(b -> b.attempts(attempts));
            } catch (StateConflictException conflict) {
                throw conflict;
            } catch (CutoverException storeDown) {
                LOG.debug("could not record attempt {}: {}", attempts, storeDown.getMessage());
            }
            schedule(calls.backoff(attempts));
            return;
        }
        String reason = (e.isRetryable() ? "retry budget of " + budget + " spent: " : "") + e.getMessage();
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

    private void startAbort(String reason) {
        Instant now = now();
        transition(b -> b.phase(Phase.ABORTING, reason).step(0, now).note(now, "abort: " + reason));
        ctx.publish(new RolloutEvent.AbortStarted(name, now, reason));
        ctx.publish(new RolloutEvent.PhaseChanged(name, now, Phase.ABORTING, reason));
    }

    private void enterPause(String reason) {
        Instant now = now();
        transition(b -> b.phase(Phase.PAUSED, reason).note(now, "paused: " + reason));
        ctx.publish(new RolloutEvent.Paused(name, now, reason));
        ctx.publish(new RolloutEvent.PhaseChanged(name, now, Phase.PAUSED, reason));
    }

    /** Ends the rollout as FAILED with the traffic the platform holds, read if it can be. */
    private void fail(String reason) {
        Instant now = now();
        TrafficSplit split;
        try {
            split = executor.readTraffic();
        } catch (RuntimeException e) {
            split = state.split();
            reason = reason + " (traffic could not be read; last confirmed " + split + ")";
        }
        TrafficSplit last = split;
        String why = reason;
        transition(b -> b.split(last).phase(Phase.FAILED, why).note(now, "failed: " + why + "; traffic " + last));
        ctx.publish(new RolloutEvent.Failed(name, now, why, last));
        ctx.publish(new RolloutEvent.PhaseChanged(name, now, Phase.FAILED, why));
        finish();
    }

    private void finish() {
        stop();
        done.complete(RolloutResult.of(state));
    }

    private void lostOwnership(StateConflictException e) {
        LOG.error("rollout {}: another engine saved its state; this engine stops driving it", name);
        stop();
        done.completeExceptionally(e);
    }

    // ---------------------------------------------------------------- persistence

    private void transition(java.util.function.Consumer<RolloutState.Builder> change) {
        RolloutState.Builder b = state.toBuilder();
        change.accept(b);
        commit(b);
    }

    private void commitIfChanged(RolloutState.Builder b) {
        if (b.changed()) {
            commit(b);
        }
    }

    private void commit(RolloutState.Builder b) {
        RolloutState next = b.updatedAt(now()).build();
        version = ctx.store().save(name, next, version);
        state = next;
    }

    private Step currentStep() {
        List<Step> steps = state.phase() == Phase.ABORTING ? rollbackSteps : plan.steps();
        return state.stepIndex() < steps.size() ? steps.get(state.stepIndex()) : null;
    }

    private void requireActive(String operation) {
        if (state.phase() != Phase.PROGRESSING && state.phase() != Phase.PAUSED) {
            throw new IllegalStateException("cannot " + operation + " rollout '" + name + "': it is " + state.phase());
        }
    }

    private Instant now() {
        return ctx.clock().instant();
    }
}
