package io.cutover;

import io.cutover.gate.Gate;
import io.cutover.internal.Checks;
import io.cutover.plan.Replicas;
import io.cutover.plan.Step;
import io.cutover.spi.HookStage;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Rolling: the candidate replaces stable batch by batch, never more than {@code maxSurge} replicas
 * above stable's count and never more than {@code maxUnavailable} below it.
 *
 * <p>Counts or percentages of stable's replicas, rounded as Kubernetes rounds them: surge up,
 * unavailable down, and when both come to zero, one replica may be unavailable. Defaults: 25% and
 * 25%, no batch gates, no minimum ready time. Traffic follows the replicas: on a weighted router each
 * batch sets the weight to the candidate's share of replicas.
 */
public final class RollingBuilder extends StrategyBuilder<RollingBuilder> {

    private String maxSurge = "25%";
    private String maxUnavailable = "25%";
    private final List<Gate> batchGates = new ArrayList<>();
    private Duration minReady = Duration.ZERO;

    RollingBuilder() { }

    /**
     * Replicas the candidate may run above stable's count during the update. Default {@code 25%}.
     *
     * @param replicas 0 or more
     * @return this builder
     */
    public RollingBuilder maxSurge(int replicas) {
        this.maxSurge = Integer.toString(Checks.atLeast("maxSurge", replicas, 0));
        return this;
    }

    /**
     * A share of stable's replicas such as {@code "25%"}, rounded up.
     *
     * @param percent {@code 0%} to {@code 100%}
     * @return this builder
     */
    public RollingBuilder maxSurge(String percent) {
        this.maxSurge = percent("maxSurge", percent);
        return this;
    }

    /**
     * Replicas that may be unavailable during the update. Default {@code 25%}.
     *
     * @param replicas 0 or more
     * @return this builder
     */
    public RollingBuilder maxUnavailable(int replicas) {
        this.maxUnavailable = Integer.toString(Checks.atLeast("maxUnavailable", replicas, 0));
        return this;
    }

    /**
     * A share of stable's replicas such as {@code "25%"}, rounded down.
     *
     * @param percent {@code 0%} to {@code 100%}
     * @return this builder
     */
    public RollingBuilder maxUnavailable(String percent) {
        this.maxUnavailable = percent("maxUnavailable", percent);
        return this;
    }

    /**
     * Gates measured after every batch before the next.
     *
     * @param gates one gate or more
     * @return this builder
     */
    public RollingBuilder batchGate(Gate... gates) {
        batchGates.addAll(gates("batchGate", gates));
        return this;
    }

    /**
     * How long a new batch must stay ready before the next; default none.
     *
     * @param minReady zero or more
     * @return this builder
     */
    public RollingBuilder minReady(Duration minReady) {
        this.minReady = Checks.notNegative("minReady", minReady);
        return this;
    }

    private static String percent(String name, String value) {
        Checks.notNull(name, value);
        if (!value.matches("\\d{1,3}%") || Integer.parseInt(value.substring(0, value.length() - 1)) > 100) {
            throw new IllegalArgumentException(name + " must be a percentage within 0%..100%: '" + value + "'");
        }
        return value;
    }

    /** Resolves a count or percentage against {@code total}, rounding up or down. */
    static int resolve(String value, int total, boolean roundUp) {
        if (!value.endsWith("%")) {
            return Integer.parseInt(value);
        }
        int p = Integer.parseInt(value.substring(0, value.length() - 1));
        return roundUp ? (total * p + 99) / 100 : total * p / 100;
    }

    @Override
    public Deployment build() {
        String surgeSetting = maxSurge;
        String unavailableSetting = maxUnavailable;
        List<Gate> gates = List.copyOf(batchGates);
        Duration settle = minReady;
        return new Deployment("rolling", ctx -> {
            int total = ctx.stableReplicas();
            int surge = resolve(surgeSetting, total, true);
            int unavailable = resolve(unavailableSetting, total, false);
            if (surge == 0 && unavailable == 0) {
                unavailable = 1;
            }
            boolean weighted = ctx.router().contains(RouterCapability.WEIGHTED);
            List<Step> plan = new ArrayList<>();
            hooksAt(plan, HookStage.BEFORE_INSTALL);
            // As the Kubernetes Deployment controller does, both budgets are used at once: the candidate
            // surges while stable goes down to what keeps (total - maxUnavailable) replicas available,
            // counting only candidate replicas already confirmed ready.
            int candidate = 0;
            int ready = 0;
            int stable = total;
            int weight = 0;
            boolean deployed = false;
            while (candidate < total || stable > 0) {
                int up = Math.min(total, total + surge - stable);
                if (up > candidate) {
                    candidate = up;
                    plan.add(deployed ? new Step.Scale(Role.CANDIDATE, Replicas.exactly(candidate))
                            : new Step.Deploy(Replicas.exactly(candidate)));
                }
                int down = Math.max(0, total - unavailable - ready);
                int share = Replicas.effectiveWeight(ready + down, ready);
                if (weighted && down < stable && share != weight) {
                    weight = share;
                    plan.add(new Step.SetWeight(weight));
                }
                if (down < stable) {
                    stable = down;
                    plan.add(new Step.Scale(Role.STABLE, Replicas.exactly(stable)));
                }
                if (candidate > ready) {
                    ready = candidate;
                    plan.add(new Step.AwaitReady(Role.CANDIDATE));
                    if (!deployed) {
                        hooksAt(plan, HookStage.AFTER_INSTALL);
                        hooksAt(plan, HookStage.BEFORE_TRAFFIC);
                        deployed = true;
                    }
                    if (!settle.isZero()) {
                        plan.add(new Step.Pause(settle));
                    }
                    if (weighted) {
                        int now = Replicas.effectiveWeight(ready + stable, ready);
                        if (now != weight) {
                            weight = now;
                            plan.add(new Step.SetWeight(weight));
                        }
                    }
                    if (!gates.isEmpty() && candidate < total) {
                        plan.add(new Step.Analyze("batch " + candidate + "/" + total, gates, analysis));
                    }
                }
            }
            plan.add(new Step.SetWeight(100));
            hooksAt(plan, HookStage.AFTER_TRAFFIC);
            finish(plan);
            return plan("rolling", plan, List.of(), 0, Replicas.exactly(unavailable));
        });
    }
}
