package io.cutover;

import io.cutover.gate.Gate;
import io.cutover.internal.Checks;
import io.cutover.plan.Replicas;
import io.cutover.plan.Step;
import io.cutover.spi.HookStage;
import io.cutover.spi.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Shadow: a copy of live requests goes to the candidate, whose answers are discarded; gates watch it,
 * and only then does it take traffic. With {@link #thenRollBack()} it never does: it is retired after
 * the run and the rollout ends {@link Phase#NOT_PROMOTED}. Users are never served by the candidate
 * before the switch.
 *
 * Defaults: mirror 100% of requests, candidate at full scale. Needs a router with mirroring.
 */
public final class ShadowBuilder extends StrategyBuilder<ShadowBuilder> {

    private int mirrorPercent = 100;
    private Duration duration;
    private final List<Gate> gates = new ArrayList<>();
    private boolean promote = true;

    ShadowBuilder() { }

    /**
     * The percent of requests copied to the candidate; their answers are thrown away. Default 100.
     *
     * @param percent 1 to 100
     * @return this builder
     */
    public ShadowBuilder mirror(int percent) {
        this.mirrorPercent = Checks.within("mirror", percent, 1, 100);
        return this;
    }

    /**
     * How long the candidate receives the mirror; required.
     *
     * @param duration above zero
     * @return this builder
     */
    public ShadowBuilder duration(Duration duration) {
        this.duration = Checks.positive("duration", duration);
        return this;
    }

    /**
     * Gates the candidate must pass on the mirrored traffic.
     *
     * @param gates one gate or more
     * @return this builder
     */
    public ShadowBuilder gate(Gate... gates) {
        this.gates.addAll(gates("gate", gates));
        return this;
    }

    /**
     * Measure only: after the mirrored run the candidate is retired, never promoted, and the rollout ends
     * {@link Phase#NOT_PROMOTED} (a failing gate still aborts it).
     *
     * @return this builder
     */
    public ShadowBuilder thenRollBack() {
        this.promote = false;
        return this;
    }

    @Override
    public Deployment build() {
        if (duration == null) {
            throw new IllegalArgumentException("duration must be set for a shadow release");
        }
        int percent = mirrorPercent;
        Duration length = duration;
        List<Gate> checks = List.copyOf(gates);
        boolean promoteAfter = promote;
        return new Deployment("shadow", ctx -> {
            List<Step> plan = new ArrayList<>();
            hooksAt(plan, HookStage.BEFORE_INSTALL);
            plan.add(new Step.Deploy(Replicas.full()));
            plan.add(new Step.AwaitReady(Role.CANDIDATE));
            hooksAt(plan, HookStage.AFTER_INSTALL);
            plan.add(new Step.SetMirror(percent));
            int from = plan.size();
            plan.add(new Step.Pause(length));
            plan.add(new Step.SetMirror(0));
            if (promoteAfter) {
                hooksAt(plan, HookStage.BEFORE_TRAFFIC);
                promotion(plan, true);
                finish(plan);
            } else {
                plan.add(new Step.Retire(Role.CANDIDATE, false));
                hooksAt(plan, HookStage.ON_COMPLETE);
            }
            return plan("shadow", plan, checks, from, Replicas.exactly(0));
        });
    }
}
