package io.cutover.sim;

import io.cutover.gate.Gate;
import io.cutover.plan.Plan;
import io.cutover.plan.Step;
import io.cutover.spi.Hook;
import io.cutover.spi.HookResult;
import io.cutover.spi.HookStage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Seals a plan off from the world for a simulation: every hook is replaced by one that passes without
 * calling anything (a webhook would POST to a real approval or notification service), and a gate
 * that is not {@link Gate#selfContained()} (it would query a live source) is refused.
 */
final class SimulationSeal {

    private SimulationSeal() { }

    static Plan seal(Plan plan) {
        for (Gate gate : gates(plan)) {
            if (!gate.selfContained()) {
                throw new IllegalArgumentException("gate " + gate.name() + " reads a source of its own, which a simulation "
                        + "does not query; use the target's metric source, or Simulation.runWithNetwork to allow it");
            }
        }
        Map<HookStage, List<Hook>> hooks = new EnumMap<>(HookStage.class);
        plan.hooks().forEach((stage, list) -> {
            List<Hook> simulated = new ArrayList<>();
            list.forEach(hook -> simulated.add(simulated(hook)));
            hooks.put(stage, simulated);
        });
        return new Plan(plan.strategy(), plan.steps(), plan.backgroundGates(), plan.backgroundPolicy(), plan.backgroundFrom(),
                hooks, plan.progressDeadline(), plan.onDeadline(), plan.drainDelay(), plan.unavailableAllowed());
    }

    private static List<Gate> gates(Plan plan) {
        List<Gate> gates = new ArrayList<>(plan.backgroundGates());
        for (Step step : plan.steps()) {
            if (step instanceof Step.Analyze a) {
                gates.addAll(a.gates());
            }
        }
        return gates;
    }

    private static Hook simulated(Hook hook) {
        String shown = io.cutover.internal.Redaction.none().maxChars(120).apply(String.valueOf(hook));
        return new Hook() {
            @Override
            public HookResult run(io.cutover.spi.HookContext context) {
                return HookResult.pass("simulated " + shown + ": not called");
            }

            @Override
            public String toString() {
                return "simulated " + shown;
            }
        };
    }
}
