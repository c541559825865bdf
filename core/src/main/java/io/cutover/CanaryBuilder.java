package io.cutover;

import io.cutover.gate.Gate;
import io.cutover.internal.Checks;
import io.cutover.plan.Replicas;
import io.cutover.plan.Step;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.HookStage;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A canary: the candidate takes a growing share of traffic, step by step, while gates watch it.
 *
 * <pre>{@code
 * Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5)).gate(successRate(0.95)).build();
 * }</pre>
 *
 * Defaults: no pause between steps; the candidate scaled to match its weight (stable's replicas times
 * the weight, rounded up); max weight 100; scale-down delay 30 seconds. On a weighted router, stable
 * keeps its full scale throughout, and for the scale-down delay after the candidate takes all traffic
 * (the rollback window: an abort then switches traffic straight back). On a router that follows
 * replica counts, stable keeps at least one replica for any weight below 100 (surging above its count
 * when there are too few), and there is no rollback window, since replicas left up would take traffic.
 * With {@link #dynamicStableScale}, a weighted router's stable shrinks to its share as the candidate
 * grows (off by default). Gates given with {@link #gate} are measured in the
 * background during every pause from the first step on, at the analysis policy's interval; at a step
 * without a pause they are measured {@code count} times before the next step. Without a weighted
 * router, weights are approximated by replica counts and the effective weight is reported.
 */
public final class CanaryBuilder extends StrategyBuilder<CanaryBuilder> {

    private int[] steps;
    private Duration pauseBetween;
    private Duration[] pauses;
    private final List<Integer> holdAt = new ArrayList<>();
    private final List<Gate> gates = new ArrayList<>();
    private int maxWeight = 100;
    private Integer candidateReplicas;
    private Duration scaleDownDelay = Duration.ofSeconds(30);
    private boolean scaleDownDelaySet;
    private boolean dynamicStableScale;
    private final List<HeaderMatch> testerRoutes = new ArrayList<>();

    CanaryBuilder() { }

    /**
     * The candidate's weights, in percent: strictly increasing, each within 1..100. A last step of 100
     * is the promotion's own full weight: the plan does not repeat it (its pause or analysis still runs).
     *
     * @param weights one weight or more, in percent
     * @return this builder
     */
    public CanaryBuilder steps(int... weights) {
        Checks.notNull("steps", weights);
        if (weights.length == 0) {
            throw new IllegalArgumentException("steps must name at least one weight");
        }
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] < 1 || weights[i] > 100) {
                throw new IllegalArgumentException("steps must be within 1..100: " + weights[i]);
            }
            if (i > 0 && weights[i] <= weights[i - 1]) {
                throw new IllegalArgumentException("steps must increase: " + weights[i] + " after " + weights[i - 1]);
            }
        }
        this.steps = weights.clone();
        return this;
    }

    /**
     * The same pause after every step.
     *
     * @param pause above zero
     * @return this builder
     */
    public CanaryBuilder pauseBetween(Duration pause) {
        this.pauseBetween = Checks.positive("pauseBetween", pause);
        return this;
    }

    /**
     * A pause per step, in order; as many as there are steps.
     *
     * @param pauses one per step, each above zero
     * @return this builder
     */
    public CanaryBuilder pauses(Duration... pauses) {
        Checks.notNull("pauses", pauses);
        for (Duration p : pauses) {
            Checks.positive("pauses", p);
        }
        this.pauses = pauses.clone();
        return this;
    }

    /**
     * After the step at {@code weight}, wait until a person promotes.
     *
     * @param weight one of the steps' weights
     * @return this builder
     */
    public CanaryBuilder pauseUntilPromotedAt(int weight) {
        holdAt.add(weight);
        return this;
    }

    /**
     * Gates measured through the canary (see the class comment).
     *
     * @param gates one gate or more
     * @return this builder
     */
    public CanaryBuilder gate(Gate... gates) {
        this.gates.addAll(gates("gate", gates));
        return this;
    }

    /**
     * The largest weight a step may set before promotion; default 100.
     *
     * @param maxWeight 1 to 100
     * @return this builder
     */
    public CanaryBuilder maxWeight(int maxWeight) {
        this.maxWeight = Checks.within("maxWeight", maxWeight, 1, 100);
        return this;
    }

    /**
     * Run the candidate at a fixed number of replicas until promotion instead of matching its weight.
     *
     * @param replicas 1 or more
     * @return this builder
     */
    public CanaryBuilder candidateReplicas(int replicas) {
        this.candidateReplicas = Checks.atLeast("candidateReplicas", replicas, 1);
        return this;
    }

    /**
     * How long stable stays at full scale after the candidate took all traffic, before the candidate
     * becomes stable and the old revision is scaled down: the rollback window, during which an abort
     * switches traffic straight back. Zero promotes at once. Default 30 seconds; weighted routers only.
     *
     * @param delay zero or more
     * @return this builder
     */
    public CanaryBuilder scaleDownDelay(Duration delay) {
        this.scaleDownDelay = Checks.notNegative("scaleDownDelay", delay);
        this.scaleDownDelaySet = true;
        return this;
    }

    /**
     * On a weighted router, scale stable down to its share of traffic (its replicas times 100 minus the
     * weight, rounded up, at least one) after each weight is set, saving the capacity the candidate takes,
     * as Argo Rollouts' {@code dynamicStableScale}. Stable never has less than its share needs; an abort
     * scales it back to full and waits for it to be ready before any traffic moves back. There is no
     * rollback window then (it needs stable at full scale), so a non-zero {@link #scaleDownDelay} cannot be
     * set with it. Default off. On a router that follows replica counts, stable already follows the weight.
     *
     * @param dynamic whether stable scales down with its traffic share
     * @return this builder
     */
    public CanaryBuilder dynamicStableScale(boolean dynamic) {
        this.dynamicStableScale = dynamic;
        return this;
    }

    /**
     * Requests matching this also go to the candidate from the first step on (for testers).
     *
     * @param match the header match testers send
     * @return this builder
     */
    public CanaryBuilder testerRoute(HeaderMatch match) {
        testerRoutes.add(Checks.notNull("testerRoute", match));
        return this;
    }

    @Override
    public Deployment build() {
        if (steps == null) {
            throw new IllegalArgumentException("steps must be set: a canary needs at least one weight");
        }
        if (pauses != null && pauseBetween != null) {
            throw new IllegalArgumentException("pauses and pauseBetween cannot both be set");
        }
        if (pauses != null && pauses.length != steps.length) {
            throw new IllegalArgumentException("pauses must give one pause per step: " + pauses.length + " for " + steps.length + " steps");
        }
        for (int w : steps) {
            if (w > maxWeight) {
                throw new IllegalArgumentException("steps must not exceed maxWeight " + maxWeight + ": " + w);
            }
        }
        if (dynamicStableScale && scaleDownDelaySet && !scaleDownDelay.isZero()) {
            throw new IllegalArgumentException("scaleDownDelay " + scaleDownDelay + " cannot be set with dynamicStableScale:"
                    + " a rollback window needs stable at full scale");
        }
        for (int w : holdAt) {
            if (Arrays.stream(steps).noneMatch(s -> s == w)) {
                throw new IllegalArgumentException("pauseUntilPromotedAt names no step: " + w);
            }
        }
        int[] weights = steps.clone();
        Duration[] perStep = new Duration[weights.length];
        for (int i = 0; i < weights.length; i++) {
            perStep[i] = pauses != null ? pauses[i] : pauseBetween;
        }
        List<Gate> background = List.copyOf(gates);
        List<Integer> holds = List.copyOf(holdAt);
        List<HeaderMatch> routes = List.copyOf(testerRoutes);
        Integer fixed = candidateReplicas;
        boolean dynamic = dynamicStableScale;
        Duration keep = dynamic ? Duration.ZERO : scaleDownDelay;
        return new Deployment("canary", ctx -> {
            List<Step> plan = new ArrayList<>();
            hooksAt(plan, HookStage.BEFORE_INSTALL);
            plan.add(new Step.Deploy(fixed != null ? Replicas.exactly(fixed) : Replicas.shareOfStable(weights[0])));
            plan.add(new Step.AwaitReady(Role.CANDIDATE));
            hooksAt(plan, HookStage.AFTER_INSTALL);
            if (!routes.isEmpty()) {
                plan.add(new Step.SetHeaderRoutes(routes));
                hooksAt(plan, HookStage.AFTER_TEST_TRAFFIC);
            }
            hooksAt(plan, HookStage.BEFORE_TRAFFIC);
            int backgroundFrom = -1;
            for (int i = 0; i < weights.length; i++) {
                if (fixed == null && i > 0) {
                    plan.add(new Step.Scale(Role.CANDIDATE, Replicas.shareOfStable(weights[i])));
                    plan.add(new Step.AwaitReady(Role.CANDIDATE));
                }
                plan.add(new Step.SetWeight(weights[i]));
                if (dynamic && weights[i] < 100 && ctx.router().contains(RouterCapability.WEIGHTED)) {
                    // stable's share just shrank: it keeps the replicas that share needs, rounded up
                    plan.add(new Step.Scale(Role.STABLE, Replicas.shareOfStable(100 - weights[i])));
                }
                if (backgroundFrom < 0) {
                    backgroundFrom = plan.size();
                }
                if (perStep[i] != null) {
                    plan.add(new Step.Pause(perStep[i]));
                } else if (!background.isEmpty()) {
                    plan.add(new Step.Analyze("step " + weights[i] + "%", background, analysis));
                }
                if (holds.contains(weights[i])) {
                    plan.add(Step.Pause.untilPromoted());
                }
            }
            if (!routes.isEmpty()) {
                plan.add(new Step.SetHeaderRoutes(List.of()));
            }
            if (weights[weights.length - 1] == 100) {
                // the last step already sends everything to the candidate: the promotion does not repeat it
                if (fixed != null) {
                    plan.add(new Step.Scale(Role.CANDIDATE, Replicas.full()));
                    plan.add(new Step.AwaitReady(Role.CANDIDATE));
                }
                hooksAt(plan, HookStage.AFTER_TRAFFIC);
            } else {
                promotion(plan, false);
            }
            if (!keep.isZero() && ctx.router().contains(RouterCapability.WEIGHTED)) {
                plan.add(Step.Pause.rollbackWindow(keep));
            }
            finish(plan);
            // a wait for a person is a pause too: background gates measure through it
            boolean anyPause = !holds.isEmpty() || Arrays.stream(perStep).anyMatch(Objects::nonNull);
            return plan("canary", plan, anyPause ? background : List.of(), Math.max(0, backgroundFrom), Replicas.exactly(0));
        });
    }
}
