package io.cutover.plan;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.PlanContext;
import io.cutover.gate.Gate;
import io.cutover.gate.GateContext;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.spi.HookResult;
import io.cutover.spi.HookStage;
import io.cutover.spi.RouterCapability;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** A plan's fingerprint is the same in every JVM: pinned here, and checked across JVMs by ForkedResumeTest. */
class PlanFingerprintTest {

    static final PlanContext FOUR_WEIGHTED = new PlanContext(4, EnumSet.of(RouterCapability.WEIGHTED));

    /** A custom gate whose class gives no {@code toString}: its identity hash must not reach the fingerprint. */
    static Gate custom() {
        return new Gate() {
            @Override public String name() {
                return "custom";
            }
            @Override public Measurement measure(GateContext c) {
                return new Measurement("custom", Verdict.PASSED, 1, "ok", c.now());
            }
        };
    }

    static Deployment withHooks(boolean reversed) {
        var b = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(2)).gate(successRate(0.95), custom());
        if (reversed) {
            b.hook(HookStage.ON_COMPLETE, ctx -> HookResult.pass()).hook(HookStage.BEFORE_INSTALL, ctx -> HookResult.pass());
        } else {
            b.hook(HookStage.BEFORE_INSTALL, ctx -> HookResult.pass()).hook(HookStage.ON_COMPLETE, ctx -> HookResult.pass());
        }
        return b.build();
    }

    @Test
    void theFingerprintIsPinnedAndIgnoresHookOrderAcrossStagesAndIdentityHashes() {
        String fingerprint = withHooks(false).plan(FOUR_WEIGHTED).fingerprint();
        assertThat(withHooks(true).plan(FOUR_WEIGHTED).fingerprint()).isEqualTo(fingerprint);
        assertThat(fingerprint).isEqualTo("35e8bdc9b0a32c46");
    }

    @Test
    void theCanonicalFormNamesGatesAndHooksWithoutIdentityHashes() {
        String canonical = withHooks(false).plan(FOUR_WEIGHTED).canonical();
        assertThat(canonical).contains("hook BEFORE_INSTALL hook\n").contains("hook ON_COMPLETE hook\n").contains("custom")
                .doesNotContainPattern("@[0-9a-f]{4,}").doesNotContain("$$Lambda");
    }

    @Test
    void anotherPlanHasAnotherFingerprint() {
        Deployment other = Deployment.canary().steps(10, 60).pauseBetween(Duration.ofMinutes(2)).gate(successRate(0.95), custom()).build();
        assertThat(other.plan(FOUR_WEIGHTED).fingerprint()).isNotEqualTo(withHooks(false).plan(FOUR_WEIGHTED).fingerprint());
    }

    @Test
    void describeEndsWithTheRollbackPlanTrafficFirst() {
        String text = withHooks(false).plan(FOUR_WEIGHTED).describe();
        assertThat(text).contains("on abort:\n  r1. scale stable to full\n  r2. await stable ready\n  r3. send all traffic to stable\n"
                + "  r4. run before-rollback hooks\n  r5. pause PT10S\n  r6. scale candidate to 0\n  r7. run after-rollback hooks");
    }
}
