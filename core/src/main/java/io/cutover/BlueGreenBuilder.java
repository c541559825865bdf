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
 * Blue-green: the candidate (green) comes up beside stable (blue), is tested, then takes all traffic
 * at once; blue stays up for the scale-down delay so a failing post-promotion gate switches straight back.
 *
 * <pre>{@code
 * Deployment.blueGreen().prePromotionGate(health()).autoPromoteAfter(Duration.ofMinutes(2))
 *         .postPromotionGate(successRate(0.99)).scaleDownDelay(Duration.ofMinutes(5)).build();
 * }</pre>
 *
 * Defaults: preview at full scale; promotion right after the pre-promotion gates (no wait); no gates;
 * scale-down delay 30 seconds. Needs only an all-or-nothing router.
 */
public final class BlueGreenBuilder extends StrategyBuilder<BlueGreenBuilder> {

    private Integer previewReplicas;
    private final List<Gate> preGates = new ArrayList<>();
    private final List<Gate> postGates = new ArrayList<>();
    private Duration autoPromoteAfter;
    private boolean manual;
    private Duration scaleDownDelay = Duration.ofSeconds(30);

    BlueGreenBuilder() { }

    /**
     * Replicas of the candidate before promotion (the preview); default stable's count.
     *
     * @param replicas 1 or more
     * @return this builder
     */
    public BlueGreenBuilder previewReplicas(int replicas) {
        this.previewReplicas = Checks.atLeast("previewReplicas", replicas, 1);
        return this;
    }

    /**
     * Gates the preview must pass before traffic switches.
     *
     * @param gates one gate or more
     * @return this builder
     */
    public BlueGreenBuilder prePromotionGate(Gate... gates) {
        preGates.addAll(gates("prePromotionGate", gates));
        return this;
    }

    /**
     * Gates the candidate must pass after it takes traffic; a failure switches traffic back to stable.
     *
     * @param gates one gate or more
     * @return this builder
     */
    public BlueGreenBuilder postPromotionGate(Gate... gates) {
        postGates.addAll(gates("postPromotionGate", gates));
        return this;
    }

    /**
     * Switch traffic this long after the preview is ready and its gates passed.
     *
     * @param delay zero or more
     * @return this builder
     */
    public BlueGreenBuilder autoPromoteAfter(Duration delay) {
        this.autoPromoteAfter = Checks.positive("autoPromoteAfter", delay);
        return this;
    }

    /**
     * Switch traffic only when a person promotes.
     *
     * @return this builder
     */
    public BlueGreenBuilder manualPromotion() {
        this.manual = true;
        return this;
    }

    /**
     * How long the old colour stays up after the switch (the instant-rollback window); default 30 seconds.
     *
     * @param delay zero or more
     * @return this builder
     */
    public BlueGreenBuilder scaleDownDelay(Duration delay) {
        this.scaleDownDelay = Checks.notNegative("scaleDownDelay", delay);
        return this;
    }

    @Override
    public Deployment build() {
        if (manual && autoPromoteAfter != null) {
            throw new IllegalArgumentException("manualPromotion cannot be combined with autoPromoteAfter " + autoPromoteAfter);
        }
        Integer preview = previewReplicas;
        List<Gate> pre = List.copyOf(preGates);
        List<Gate> post = List.copyOf(postGates);
        Duration auto = autoPromoteAfter;
        boolean byPerson = manual;
        Duration keep = scaleDownDelay;
        return new Deployment("blue-green", ctx -> {
            List<Step> plan = new ArrayList<>();
            hooksAt(plan, HookStage.BEFORE_INSTALL);
            plan.add(new Step.Deploy(preview != null ? Replicas.exactly(preview) : Replicas.full()));
            plan.add(new Step.AwaitReady(Role.CANDIDATE));
            hooksAt(plan, HookStage.AFTER_INSTALL);
            hooksAt(plan, HookStage.AFTER_TEST_TRAFFIC);
            if (!pre.isEmpty()) {
                plan.add(new Step.Analyze("pre-promotion", pre, analysis));
            }
            if (byPerson) {
                plan.add(Step.Pause.untilPromoted());
            } else if (auto != null) {
                plan.add(new Step.Pause(auto));
            }
            if (preview != null) {
                plan.add(new Step.Scale(Role.CANDIDATE, Replicas.full()));
                plan.add(new Step.AwaitReady(Role.CANDIDATE));
            }
            hooksAt(plan, HookStage.BEFORE_TRAFFIC);
            promotion(plan, true);
            if (!post.isEmpty()) {
                plan.add(new Step.Analyze("post-promotion", post, analysis));
            }
            if (!keep.isZero()) {
                plan.add(Step.Pause.rollbackWindow(keep));
            }
            finish(plan);
            return plan("blue-green", plan, List.of(), 0, Replicas.exactly(0));
        });
    }
}
