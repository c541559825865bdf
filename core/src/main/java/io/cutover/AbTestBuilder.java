package io.cutover;

import io.cutover.gate.Gate;
import io.cutover.internal.Checks;
import io.cutover.plan.Replicas;
import io.cutover.plan.Step;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.HookStage;
import io.cutover.spi.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A/B test: requests matching a header or cookie go to the variant for a while, with gates; then the
 * variant is promoted, or, with {@link #thenRollBack()}, the experiment ends and the variant is removed.
 *
 * <pre>{@code
 * Deployment.abTest().match(HeaderMatch.exact("x-canary", "true")).duration(Duration.ofHours(1))
 *         .gate(successRate(0.99)).build();
 * }</pre>
 *
 * Defaults: one variant replica; gates measured in the background through the test. Needs a router
 * with header routes.
 */
public final class AbTestBuilder extends StrategyBuilder<AbTestBuilder> {

    private final List<HeaderMatch> matches = new ArrayList<>();
    private Duration duration;
    private final List<Gate> gates = new ArrayList<>();
    private int variantReplicas = 1;
    private boolean promote = true;

    AbTestBuilder() { }

    /**
     * Requests matching this go to the variant; several matches are alternatives.
     *
     * @param match a header match
     * @return this builder
     */
    public AbTestBuilder match(HeaderMatch match) {
        matches.add(Checks.notNull("match", match));
        return this;
    }

    /**
     * How long the test runs.
     *
     * @param duration above zero
     * @return this builder
     */
    public AbTestBuilder duration(Duration duration) {
        this.duration = Checks.positive("duration", duration);
        return this;
    }

    /**
     * Gates the variant must pass while the test runs.
     *
     * @param gates one gate or more
     * @return this builder
     */
    public AbTestBuilder gate(Gate... gates) {
        this.gates.addAll(gates("gate", gates));
        return this;
    }

    /**
     * Replicas of the variant while the test runs. Default 1.
     *
     * @param replicas 1 or more
     * @return this builder
     */
    public AbTestBuilder variantReplicas(int replicas) {
        this.variantReplicas = Checks.atLeast("variantReplicas", replicas, 1);
        return this;
    }

    /**
     * End the test by removing the variant even when its gates pass.
     *
     * @return this builder
     */
    public AbTestBuilder thenRollBack() {
        this.promote = false;
        return this;
    }

    @Override
    public Deployment build() {
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("match must be set: an A/B test needs a header or cookie match");
        }
        if (duration == null) {
            throw new IllegalArgumentException("duration must be set for an A/B test");
        }
        List<HeaderMatch> routes = List.copyOf(matches);
        List<Gate> checks = List.copyOf(gates);
        Duration length = duration;
        int replicas = variantReplicas;
        boolean promoteAfter = promote;
        return new Deployment("ab-test", ctx -> {
            List<Step> plan = new ArrayList<>();
            hooksAt(plan, HookStage.BEFORE_INSTALL);
            plan.add(new Step.Deploy(Replicas.exactly(replicas)));
            plan.add(new Step.AwaitReady(Role.CANDIDATE));
            hooksAt(plan, HookStage.AFTER_INSTALL);
            hooksAt(plan, HookStage.BEFORE_TRAFFIC);
            plan.add(new Step.SetHeaderRoutes(routes));
            int from = plan.size();
            plan.add(new Step.Pause(length));
            if (promoteAfter) {
                promotion(plan, false);
                plan.add(new Step.SetHeaderRoutes(List.of()));
                finish(plan);
            } else {
                plan.add(new Step.SetHeaderRoutes(List.of()));
                plan.add(new Step.Retire(Role.CANDIDATE, false));
                hooksAt(plan, HookStage.ON_COMPLETE);
            }
            return plan("ab-test", plan, checks, from, Replicas.exactly(0));
        });
    }
}
