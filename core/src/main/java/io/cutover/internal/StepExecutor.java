package io.cutover.internal;

import io.cutover.CutoverException;
import io.cutover.Target;
import io.cutover.event.RolloutEvent;
import io.cutover.gate.Gate;
import io.cutover.gate.GateContext;
import io.cutover.gate.GatePolicy;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.plan.Plan;
import io.cutover.plan.Replicas;
import io.cutover.plan.Step;
import io.cutover.spi.Hook;
import io.cutover.spi.HookContext;
import io.cutover.spi.HookResult;
import io.cutover.spi.HookStage;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.WorkloadStatus;
import io.cutover.state.AnalysisProgress;
import io.cutover.state.RolloutState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one step against the platform, reconciling: it reads what is there and writes only what
 * differs from what the step wants, so running a step again (after a crash, after a retry) is safe
 * and a normal run repeats no write.
 */
final class StepExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(StepExecutor.class);

    private final String name;
    private final Plan plan;
    private final Target target;
    private final RunnerCalls calls;
    private final EngineContext ctx;
    private final boolean replicaRatio;
    private final Convergence convergence;

    StepExecutor(String name, Plan plan, Target target, RunnerCalls calls, EngineContext ctx) {
        this.name = name;
        this.plan = plan;
        this.target = target;
        this.calls = calls;
        this.ctx = ctx;
        var caps = target.router().capabilities();
        this.replicaRatio = caps.contains(RouterCapability.REPLICA_RATIO) && !caps.contains(RouterCapability.WEIGHTED);
        this.convergence = new Convergence(caps);
    }

    boolean replicaRatio() {
        return replicaRatio;
    }

    Outcome run(Step step, RolloutState.Builder s, RolloutState at, boolean aborting) {
        try {
            return runStep(step, s, at, aborting);
        } catch (Convergence.NotYet n) {
            // the platform accepted the write and converges on its own schedule: look again, within the deadline
            return notYet(n.getMessage(), at, ctx.clock().instant(), aborting);
        }
    }

    private Outcome runStep(Step step, RolloutState.Builder s, RolloutState at, boolean aborting) {
        Instant now = ctx.clock().instant();
        if (step instanceof Step.Deploy d) {
            return deploy(d, s, at);
        } else if (step instanceof Step.Scale sc) {
            if (aborting && sc.role() == Role.CANDIDATE) {
                String wrong = stableIsNotPrevious(at);
                if (wrong != null) {
                    return new Outcome.Fail(wrong);
                }
            }
            scale(sc.role(), sc.replicas().resolve(at.stableReplicas()));
            return Outcome.DONE;
        } else if (step instanceof Step.AwaitReady a) {
            return awaitReady(a.role(), at, now, aborting);
        } else if (step instanceof Step.SetWeight w) {
            return replicaRatio ? weightByReplicas(w.weight(), s, at, now, aborting) : route(s, s.split().withCandidateWeight(w.weight()), at, now, aborting);
        } else if (step instanceof Step.SetHeaderRoutes r) {
            return route(s, s.split().withCandidateMatches(r.matches()), at, now, aborting);
        } else if (step instanceof Step.SetMirror m) {
            return route(s, s.split().withMirrorPercent(m.percent()), at, now, aborting);
        } else if (step instanceof Step.ResetTraffic) {
            return resetTraffic(s);
        } else if (step instanceof Step.Pause p) {
            if (p.untilPromotedOnly()) {
                return Outcome.HOLD;
            }
            Duration left = Duration.between(now, at.stepStartedAt().plus(p.duration()));
            return left.isNegative() || left.isZero() ? Outcome.DONE : Outcome.waitFor(left);
        } else if (step instanceof Step.Analyze a) {
            return analyze(a, s, at, now);
        } else if (step instanceof Step.RunHooks h) {
            return hooks(h.stage(), s, at, now, aborting);
        } else if (step instanceof Step.Promote) {
            String unproven = unprovenGate(at);
            if (unproven != null) {
                // the last round errored, or there was none: promote only on a fresh round that passes
                Judgement j = measure(plan.backgroundGates(), plan.backgroundPolicy(), s.background(), s, at, now);
                s.background(j.progress);
                if (j.outcome != null) {
                    return j.outcome;
                }
                if (j.notPassed != null) {
                    return Outcome.pause("will not promote: " + unproven + "; measured again: " + j.notPassed
                            + "; resume() measures again, promoteFully() promotes regardless");
                }
            }
            calls.write("promote " + at.candidate().name(), () -> target.workloads().promote(at.candidate()));
            WorkloadStatus stable = status(Role.STABLE);
            if (!runs(stable, at.candidate())) {
                throw convergence.notShown("promote " + at.candidate().name(), "promotion of "
                        + at.candidate().name() + " not visible: stable runs " + stable.revision());
            }
            TrafficSplit after = calls.read("read traffic", () -> target.router().read());
            s.promoted(true).split(after).note(now, "promoted " + at.candidate().name() + " to stable");
            ctx.publish(new RolloutEvent.Promoted(name, now, at.candidate().name()));
            return Outcome.DONE;
        } else if (step instanceof Step.Retire r) {
            WorkloadStatus st = status(r.role());
            if (st.exists() && st.desired() > 0) {
                calls.write("retire " + r.role(), () -> target.workloads().retire(r.role()));
                WorkloadStatus after = status(r.role());
                if (after.exists() && after.desired() > 0) {
                    throw convergence.notShown("retire " + r.role(), "retire of " + r.role()
                            + " not visible: it still wants " + after.desired() + " replicas");
                }
                ctx.publish(new RolloutEvent.ReplicasChanged(name, now, r.role().name(), 0));
            }
            return Outcome.DONE;
        }
        throw new IllegalStateException("unknown step " + step);
    }

    private Outcome deploy(Step.Deploy d, RolloutState.Builder s, RolloutState at) {
        int replicas = d.replicas().resolve(at.stableReplicas());
        WorkloadStatus st = status(Role.CANDIDATE);
        if (!runs(st, at.candidate()) || st.desired() != replicas) {
            calls.write("deploy " + at.candidate().name(), () -> target.workloads().deploy(at.candidate(), replicas));
            WorkloadStatus after = status(Role.CANDIDATE);
            // the revision proves the deploy took effect; the count is the platform's to converge on (a
            // service-wide roll or a task set ramps it) and await-ready waits for it
            if (!runs(after, at.candidate())) {
                throw convergence.notShown("deploy " + at.candidate().name(), "deploy of " + at.candidate().name()
                        + " x" + replicas + " not visible: candidate shows " + after.revision() + " x" + after.desired());
            }
            ctx.publish(new RolloutEvent.ReplicasChanged(name, ctx.clock().instant(), Role.CANDIDATE.name(), replicas));
        }
        return Outcome.DONE;
    }

    private void scale(Role role, int replicas) {
        WorkloadStatus st = status(role);
        if (st.desired() != replicas && (st.exists() || replicas > 0)) {
            calls.write("scale " + role + " to " + replicas, () -> target.workloads().scale(role, replicas));
            // the candidate is the engine's own: its count must read back (a platform's own strategy may
            // hold stable's count, as a native Recreate does until it switches)
            WorkloadStatus after = role == Role.CANDIDATE ? status(role) : null;
            // a platform may round a batch up to what its controller can honour (a native roll by maxSurge), so
            // a count above zero is visible at or above the count asked; zero (the rollback's) must read zero
            boolean visible = after == null || !(after.exists() || replicas > 0)
                    || (replicas == 0 ? after.desired() == 0 : after.desired() >= replicas);
            if (!visible) {
                throw convergence.notShown("scale " + role + " to " + replicas, "scale of " + role + " to "
                        + replicas + " not visible: it wants " + after.desired());
            }
            ctx.publish(new RolloutEvent.ReplicasChanged(name, ctx.clock().instant(), role.name(), replicas));
        }
    }

    private Outcome awaitReady(Role role, RolloutState at, Instant now, boolean aborting) {
        WorkloadStatus st = status(role);
        if (st.failure() != null) {
            return failOrAbort(role.name().toLowerCase() + " failed: " + st.failure(), aborting);
        }
        if (st.settled()) {
            return Outcome.DONE;
        }
        return notYet(role.name().toLowerCase() + " ready " + st.ready() + "/" + st.desired(), at, now, aborting);
    }

    /** A wait that has not ended: poll again, unless the progress deadline has passed. */
    private Outcome notYet(String what, RolloutState at, Instant now, boolean aborting) {
        Duration waited = Duration.between(at.stepStartedAt(), now);
        if (waited.compareTo(plan.progressDeadline()) > 0) {
            String reason = "progress deadline " + plan.progressDeadline() + " exceeded: " + what;
            if (aborting) {
                return new Outcome.Fail(reason);
            }
            return plan.onDeadline() == Plan.DeadlineAction.PAUSE ? Outcome.pause(reason) : Outcome.abort(reason);
        }
        return Outcome.waitFor(ctx.pollInterval());
    }

    private Outcome failOrAbort(String reason, boolean aborting) {
        return aborting ? new Outcome.Fail(reason) : Outcome.abort(reason);
    }

    /** A weight on a router that follows replica counts: grow one side, wait for it, then shrink the other. */
    private Outcome weightByReplicas(int weight, RolloutState.Builder s, RolloutState at, Instant now, boolean aborting) {
        int total = at.stableReplicas();
        Replicas.Split split = Replicas.replicaSplit(total, weight);
        int candidate = split.candidate();
        int stable = split.stable();
        WorkloadStatus cand = status(Role.CANDIDATE);
        WorkloadStatus stab = status(Role.STABLE);
        Role growing = candidate > cand.desired() || (candidate == cand.desired() && stable <= stab.desired()) ? Role.CANDIDATE : Role.STABLE;
        Role shrinking = growing == Role.CANDIDATE ? Role.STABLE : Role.CANDIDATE;
        int grow = growing == Role.CANDIDATE ? candidate : stable;
        int shrink = growing == Role.CANDIDATE ? stable : candidate;
        scale(growing, grow);
        WorkloadStatus grown = growing == Role.CANDIDATE ? status(Role.CANDIDATE) : status(Role.STABLE);
        if (grown.failure() != null) {
            return failOrAbort(growing.name().toLowerCase() + " failed: " + grown.failure(), aborting);
        }
        if (grow > 0 && !grown.settled()) {
            return notYet(growing.name().toLowerCase() + " ready " + grown.ready() + "/" + grown.desired(), at, now, aborting);
        }
        scale(shrinking, shrink);
        int effective = split.effectiveWeight();
        if (effective != weight) {
            s.note(now, "weight " + weight + "% approximated by " + candidate + "/" + (candidate + stable) + " replicas: " + effective + "%");
        }
        return route(s, s.split().withCandidateWeight(effective), at, now, aborting);
    }

    private Outcome route(RolloutState.Builder s, TrafficSplit desired, RolloutState at, Instant now, boolean aborting) {
        if (!desired.equals(s.split())) {
            calls.write("set traffic " + desired, () -> target.router().apply(desired));
            if (!replicaRatio) {
                TrafficSplit read = readTraffic();
                if (!read.equals(desired)) {
                    if (convergence.converging() && !read.equals(s.split())) {
                        // the platform is on its way: what it serves now is news
                        ctx.publish(new RolloutEvent.TrafficChanged(name, ctx.clock().instant(), read));
                    }
                    s.split(read);
                    throw convergence.notShown("set traffic " + desired, "traffic read back as " + read
                            + " after setting " + desired);
                }
            }
            s.split(desired);
            ctx.publish(new RolloutEvent.TrafficChanged(name, ctx.clock().instant(), desired));
        }
        return Outcome.DONE;
    }

    /** All traffic to stable, then read back: only what the platform confirms counts as safe. */
    private Outcome resetTraffic(RolloutState.Builder s) {
        TrafficSplit stableOnly = TrafficSplit.stableOnly();
        TrafficSplit read = calls.read("read traffic", () -> target.router().read());
        if (!read.isStableOnly() || !s.split().isStableOnly()) {
            calls.write("set traffic " + stableOnly, () -> target.router().apply(stableOnly));
            TrafficSplit before = s.split();
            read = calls.read("read traffic", () -> target.router().read());
            s.split(read);
            if (!convergence.converging() || !read.equals(before)) { // waiting on a converging platform repeats no event
                ctx.publish(new RolloutEvent.TrafficChanged(name, ctx.clock().instant(), read));
            }
        }
        if (!read.isStableOnly() && !replicaRatio) {
            throw convergence.notShown("read traffic", "traffic read back as " + read + " after sending all of it to stable");
        }
        return Outcome.DONE;
    }

    private Outcome analyze(Step.Analyze a, RolloutState.Builder s, RolloutState at, Instant now) {
        AnalysisProgress p = s.analysis();
        Instant due = p.nextAt() != null ? p.nextAt() : at.stepStartedAt().plus(a.policy().initialDelay()).plus(a.policy().interval());
        if (now.isBefore(due)) {
            return Outcome.waitFor(Duration.between(now, due));
        }
        Judgement j = measure(a.gates(), a.policy(), p, s, at, now);
        s.analysis(j.progress);
        if (j.outcome != null) {
            return j.outcome;
        }
        return j.progress.taken() >= a.policy().count() ? Outcome.DONE : Outcome.waitFor(a.policy().interval());
    }

    /** Takes a background round when one is due; returns an outcome only if it stops the rollout. */
    Outcome background(RolloutState.Builder s, RolloutState at, Instant now) {
        AnalysisProgress p = s.background();
        if (p.nextAt() == null) {
            s.background(p.plannedAt(now.plus(plan.backgroundPolicy().initialDelay()).plus(plan.backgroundPolicy().interval())));
            return null;
        }
        if (now.isBefore(p.nextAt())) {
            return null;
        }
        Judgement j = measure(plan.backgroundGates(), plan.backgroundPolicy(), p, s, at, now);
        s.background(j.progress);
        return j.outcome;
    }

    /** A round's counters, the outcome that stops the rollout (or null), and the first gate that did not pass (or null). */
    private record Judgement(AnalysisProgress progress, Outcome outcome, String notPassed) { }

    private Judgement measure(List<Gate> gates, GatePolicy policy, AnalysisProgress p, RolloutState.Builder s,
                              RolloutState at, Instant now) {
        GateContext gc = new GateContext(name, at.application(), at.candidate(), now, target.metrics(), target.health(),
                at.stableRevision(), target.workloads()::identity);
        Outcome outcome = null;
        String notPassed = null;
        for (Gate gate : gates) {
            Measurement m = measureOne(gate, gc, policy, now);
            if (m.verdict() != Verdict.PASSED && notPassed == null) {
                notPassed = m.gate() + " " + m.verdict() + ": " + m.detail();
            }
            s.measured(m);
            ctx.publish(new RolloutEvent.MeasurementTaken(name, now, m));
            p = p.count(m.verdict());
            if (outcome != null) {
                continue;
            }
            if (m.verdict() == Verdict.FAILED && p.failed() > policy.failureLimit()) {
                outcome = Outcome.abort("gate " + m.gate() + " failed: " + m.detail());
            } else if (m.verdict() == Verdict.ERROR && p.consecutiveErrors() > policy.consecutiveErrorLimit()) {
                outcome = Outcome.abort("gate " + m.gate() + " errored " + p.consecutiveErrors() + " times in a row: " + m.detail());
            } else if (m.verdict() == Verdict.INCONCLUSIVE && p.inconclusive() > policy.inconclusiveLimit()) {
                outcome = Outcome.pause("gate " + m.gate() + " inconclusive: " + m.detail());
            }
        }
        return new Judgement(p.roundTaken(now.plus(policy.interval())), outcome, notPassed);
    }

    private Measurement measureOne(Gate gate, GateContext gc, GatePolicy policy, Instant now) {
        Measurement m;
        String gateName = gateName(gate);
        try {
            m = calls.timed("gate " + gateName, policy.interval(), () -> gate.measure(gc));
            if (m == null) {
                m = new Measurement(gateName, Verdict.ERROR, Double.NaN, "gate returned no measurement", now);
            }
        } catch (RunnerCalls.Abandoned e) {
            throw e;
        } catch (Throwable e) {
            CutoverException c = PlatformCalls.translate("gate " + gateName, e);
            LOG.warn("rollout {}: gate {} gave no verdict, counted as ERROR: {}", name, gateName, c.getMessage());
            m = new Measurement(gateName, Verdict.ERROR, Double.NaN, "gate failed: " + c.getMessage(), now);
        }
        Verdict verdict = m.verdict() == Verdict.INCONCLUSIVE && policy.noData() == Verdict.ERROR ? Verdict.ERROR : m.verdict();
        String detail = m.detail() == null ? null : Redaction.none().apply(m.detail());
        if (verdict != m.verdict() || !java.util.Objects.equals(detail, m.detail())) {
            m = new Measurement(m.gate(), verdict, m.value(), detail, m.at());
        }
        return m;
    }

    /**
     * A background gate whose latest measurement is an ERROR: an error never promotes (INCONCLUSIVE has
     * paused for a person already, whose promote accepts it; a full promotion skips this check).
     */
    private String unprovenGate(RolloutState at) {
        if (at.fullPromotion() || plan.backgroundGates().isEmpty()) {
            return null;
        }
        if (at.background().taken() == 0) {
            // the measurements kept are of an earlier run (before a retry): none speaks for this one
            return "no background round in this run";
        }
        for (Gate gate : plan.backgroundGates()) {
            String gateName = gateName(gate);
            boolean measured = false;
            for (int i = at.measurements().size() - 1; i >= 0 && !measured; i--) {
                Measurement m = at.measurements().get(i);
                if (m.gate().equals(gateName)) {
                    if (m.verdict() == Verdict.ERROR) {
                        return "last measurement of " + gateName + " is " + m.verdict() + ": " + m.detail();
                    }
                    measured = true;
                }
            }
            if (!measured) {
                // the pauses passed without a round (the engine was stalled, or they are shorter than the interval)
                return gateName + " was never measured";
            }
        }
        return null;
    }

    private static String gateName(Gate gate) {
        try {
            String n = gate.name();
            return n == null ? gate.getClass().getSimpleName() : n;
        } catch (RuntimeException e) {
            return gate.getClass().getSimpleName();
        }
    }

    private Outcome hooks(HookStage stage, RolloutState.Builder s, RolloutState at, Instant now, boolean aborting) {
        boolean rollbackStage = stage == HookStage.BEFORE_ROLLBACK || stage == HookStage.AFTER_ROLLBACK;
        // Once promoted, the candidate is what stable runs: the context says so, not the revision we started from.
        String stable = at.promoted() ? at.candidate().name() : at.stableRevision();
        for (Hook hook : plan.hooks(stage)) {
            HookContext hc = new HookContext(name, at.application(), stage, at.candidate(), stable, s.split(), now);
            HookResult r;
            try {
                r = calls.timed(stage.name().toLowerCase() + " hook " + hook.name(), hook.timeout().plusSeconds(1), () -> hook.run(hc));
                if (r == null) {
                    r = HookResult.fail("hook returned no result");
                } else if (r.message() != null && !Redaction.none().apply(r.message()).equals(r.message())) {
                    r = new HookResult(r.passed(), Redaction.none().apply(r.message()));
                }
            } catch (RunnerCalls.Abandoned e) {
                throw e;
            } catch (Throwable e) {
                r = HookResult.fail("hook threw " + PlatformCalls.translate("hook", e).getMessage());
            }
            s.note(now, stage.name().toLowerCase() + " hook " + (r.passed() ? "passed" : "failed") + ": " + r.message());
            if (!r.passed()) {
                if (rollbackStage || aborting || at.promoted()) {
                    LOG.warn("rollout {}: {} hook failed during {}; going on: {}", name, stage, aborting ? "rollback" : "completion", r.message());
                } else {
                    return Outcome.abort(stage.name().toLowerCase().replace('_', '-') + " hook failed: " + r.message());
                }
            }
        }
        return Outcome.DONE;
    }

    WorkloadStatus status(Role role) {
        return calls.read("status " + role, () -> target.workloads().status(role));
    }

    /**
     * Why the rollback cannot end safely, or {@code null}: the stable role must run the revision the
     * rollout started from (a promotion whose answer was lost may have taken effect) at full capacity.
     */
    /** Whether {@code status} runs {@code revision}: adapters report a revision by its name or by its artifact. */
    private static boolean runs(WorkloadStatus status, io.cutover.spi.Revision revision) {
        return revision.name().equals(status.revision()) || revision.artifact().equals(status.revision());
    }

    String stableIsNotPrevious(RolloutState at) {
        WorkloadStatus stable = status(Role.STABLE);
        if (at.stableRevision() != null && !at.stableRevision().equals(stable.revision())) {
            return "stable runs " + stable.revision() + ", not " + at.stableRevision() + " that the rollout started from"
                    + " (a promotion took effect); nothing was scaled down: promote " + at.stableRevision()
                    + " again by hand or roll forward";
        }
        if (stable.ready() < at.stableReplicas()) {
            return "stable " + stable.revision() + " has " + stable.ready() + " ready replicas of " + at.stableReplicas();
        }
        return null;
    }

    TrafficSplit readTraffic() {
        return calls.read("read traffic", () -> target.router().read());
    }
}
