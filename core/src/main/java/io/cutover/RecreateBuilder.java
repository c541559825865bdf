package io.cutover;

import io.cutover.gate.Gate;
import io.cutover.plan.Replicas;
import io.cutover.plan.Step;
import io.cutover.spi.HookStage;
import io.cutover.spi.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * Recreate: stable goes to zero, then the candidate comes up at full scale. There is downtime in
 * between, by design. Abort brings the old revision back before the candidate is scaled down.
 * Defaults: no gates.
 */
public final class RecreateBuilder extends StrategyBuilder<RecreateBuilder> {

    private final List<Gate> gates = new ArrayList<>();

    RecreateBuilder() { }

    /**
     * Gates the new revision must pass once it serves, before the rollout completes.
     *
     * @param gates one gate or more
     * @return this builder
     */
    public RecreateBuilder gate(Gate... gates) {
        this.gates.addAll(gates("gate", gates));
        return this;
    }

    @Override
    public Deployment build() {
        List<Gate> checks = List.copyOf(gates);
        return new Deployment("recreate", ctx -> {
            List<Step> plan = new ArrayList<>();
            hooksAt(plan, HookStage.BEFORE_INSTALL);
            plan.add(new Step.Scale(Role.STABLE, Replicas.exactly(0)));
            plan.add(new Step.AwaitReady(Role.STABLE));
            plan.add(new Step.Deploy(Replicas.full()));
            plan.add(new Step.AwaitReady(Role.CANDIDATE));
            hooksAt(plan, HookStage.AFTER_INSTALL);
            hooksAt(plan, HookStage.BEFORE_TRAFFIC);
            promotion(plan, true);
            if (!checks.isEmpty()) {
                plan.add(new Step.Analyze("after recreate", checks, analysis));
            }
            finish(plan);
            return plan("recreate", plan, List.of(), 0, Replicas.full());
        });
    }
}
