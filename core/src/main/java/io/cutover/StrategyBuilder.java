package io.cutover;

import io.cutover.gate.Gate;
import io.cutover.gate.GatePolicy;
import io.cutover.internal.Checks;
import io.cutover.plan.Plan;
import io.cutover.plan.Replicas;
import io.cutover.plan.Step;
import io.cutover.spi.Hook;
import io.cutover.spi.HookStage;
import io.cutover.spi.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings every strategy shares. Defaults: progress deadline 10 minutes then abort, drain delay
 * 10 seconds, gates measured as {@link GatePolicy#DEFAULT} says, no hooks.
 */
public abstract class StrategyBuilder<B extends StrategyBuilder<B>> {

    Duration progressDeadline = Duration.ofMinutes(10);
    Plan.DeadlineAction onDeadline = Plan.DeadlineAction.ABORT;
    Duration drainDelay = Duration.ofSeconds(10);
    GatePolicy analysis = GatePolicy.DEFAULT;
    final Map<HookStage, List<Hook>> hooks = new EnumMap<>(HookStage.class);

    StrategyBuilder() { }

    @SuppressWarnings("unchecked")
    final B self() {
        return (B) this;
    }

    /**
     * How long a wait for readiness may last before {@link #onProgressDeadline} acts; default 10 minutes.
     *
     * @param deadline above zero
     * @return this builder
     */
    public B progressDeadline(Duration deadline) {
        this.progressDeadline = Checks.positive("progressDeadline", deadline);
        return self();
    }

    /**
     * What happens when the progress deadline passes: ABORT (default) or PAUSE for a person.
     *
     * @param action ABORT or PAUSE
     * @return this builder
     */
    public B onProgressDeadline(Plan.DeadlineAction action) {
        this.onDeadline = Checks.notNull("onProgressDeadline", action);
        return self();
    }

    /**
     * On abort, the wait between moving traffic to stable and scaling the candidate down; default 10 seconds.
     *
     * @param delay zero or more
     * @return this builder
     */
    public B drainDelay(Duration delay) {
        this.drainDelay = Checks.notNegative("drainDelay", delay);
        return self();
    }

    /**
     * How gates are measured and judged; default {@link GatePolicy#DEFAULT}.
     *
     * @param policy the policy
     * @return this builder
     */
    public B analysis(GatePolicy policy) {
        this.analysis = Checks.notNull("analysis", policy);
        return self();
    }

    /**
     * Runs {@code hook} at {@code stage}; several hooks of a stage run in the order given.
     *
     * @param stage when the hook runs
     * @param hook  the hook
     * @return this builder
     */
    public B hook(HookStage stage, Hook hook) {
        Checks.notNull("stage", stage);
        Checks.notNull("hook", hook);
        hooks.computeIfAbsent(stage, s -> new ArrayList<>()).add(hook);
        return self();
    }

    /**
     * Compiles the settings into a deployment; its plan is built once now, so a setting the plan refuses
     * fails here with a message naming the parameter.
     *
     * @return an immutable deployment
     * @throws IllegalArgumentException if a setting or a combination of settings is invalid
     */
    public abstract Deployment build();

    // ------------------------------------------------------------- shared plan pieces

    static List<Gate> gates(String parameter, Gate... gates) {
        Checks.notNull(parameter, gates);
        if (gates.length == 0) {
            throw new IllegalArgumentException(parameter + " needs at least one gate");
        }
        for (Gate g : gates) {
            if (g == null) {
                throw new IllegalArgumentException(parameter + " must not contain null");
            }
        }
        return List.of(gates);
    }

    /** Hooks stages with hooks registered run; stages without hooks add no step. */
    final void hooksAt(List<Step> steps, HookStage stage) {
        if (hooks.containsKey(stage)) {
            steps.add(new Step.RunHooks(stage));
        }
    }

    /** The ending every strategy shares: all traffic on a full candidate, then the candidate becomes stable. */
    final void promotion(List<Step> steps, boolean candidateAlreadyFull) {
        if (!candidateAlreadyFull) {
            steps.add(new Step.Scale(Role.CANDIDATE, Replicas.full()));
            steps.add(new Step.AwaitReady(Role.CANDIDATE));
        }
        steps.add(new Step.SetWeight(100));
        hooksAt(steps, HookStage.AFTER_TRAFFIC);
    }

    final void finish(List<Step> steps) {
        steps.add(new Step.Promote());
        steps.add(new Step.AwaitReady(Role.STABLE));
        steps.add(new Step.ResetTraffic());
        steps.add(new Step.Retire(Role.CANDIDATE));
        hooksAt(steps, HookStage.ON_COMPLETE);
    }

    final Plan plan(String strategy, List<Step> steps, List<Gate> background, int backgroundFrom, Replicas unavailable) {
        return new Plan(strategy, steps, background, analysis, backgroundFrom, hooks, progressDeadline, onDeadline,
                drainDelay, unavailable);
    }
}
