package io.cutover.dsl;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Deployment;
import io.cutover.PlanContext;
import io.cutover.plan.Plan;
import io.cutover.plan.Replicas;
import io.cutover.plan.Step;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.RouterCapability;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Defaults of every strategy builder and every validation message. */
class BuildersTest {

    static void fails(Executable build, String message) {
        assertThatThrownBy(build::execute).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    static List<String> steps(Deployment d) {
        return d.plan().steps().stream().map(Step::describe).toList();
    }

    @Nested
    class Canary {
        @Test
        void defaults() {
            Plan plan = Deployment.canary().steps(10, 50).build().plan();
            assertThat(plan.strategy()).isEqualTo("canary");
            assertThat(plan.progressDeadline()).isEqualTo(Duration.ofMinutes(10));
            assertThat(plan.onDeadline()).isEqualTo(Plan.DeadlineAction.ABORT);
            assertThat(plan.drainDelay()).isEqualTo(Duration.ofSeconds(10));
            assertThat(plan.backgroundGates()).isEmpty();
            assertThat(steps(Deployment.canary().steps(10, 50).build())).containsExactly(
                    "deploy candidate with 10% of stable replicas", "await candidate ready", "set candidate weight 10%",
                    "scale candidate to 50% of stable", "await candidate ready", "set candidate weight 50%",
                    "scale candidate to full", "await candidate ready", "set candidate weight 100%",
                    "rollback window PT30S: stable kept, an abort switches back at once",
                    "promote candidate to stable", "await stable ready", "send all traffic to stable", "retire previous revision");
            assertThat(plan.requiredCapabilities()).containsExactly(RouterCapability.WEIGHTED);
        }

        @Test
        void pausesAndGates() {
            Deployment d = Deployment.canary().steps(10, 25).pauses(Duration.ofMinutes(1), Duration.ofMinutes(2))
                    .pauseUntilPromotedAt(25).gate(successRate(0.9)).candidateReplicas(2).build();
            assertThat(steps(d)).contains("deploy candidate with 2 replicas", "pause PT1M", "pause PT2M", "pause until promoted")
                    .doesNotContain("scale candidate to 25% of stable");
            assertThat(d.plan().backgroundGates()).hasSize(1);
            assertThat(d.plan().steps().get(d.plan().backgroundFrom())).isInstanceOf(Step.Pause.class);
            // without pauses, gates become an analysis after every weight
            assertThat(steps(Deployment.canary().steps(10, 25).gate(successRate(0.9)).build()))
                    .filteredOn(s -> s.startsWith("analyze")).hasSize(2);
        }

        @Test
        void validation() {
            fails(() -> Deployment.canary().steps(), "steps must name at least one weight");
            fails(() -> Deployment.canary().steps(10, 50, 25), "steps must increase: 25 after 50");
            fails(() -> Deployment.canary().steps(10, 10), "steps must increase: 10 after 10");
            fails(() -> Deployment.canary().steps(0, 10), "steps must be within 1..100: 0");
            fails(() -> Deployment.canary().steps(10, 101), "steps must be within 1..100: 101");
            fails(() -> Deployment.canary().build(), "steps must be set: a canary needs at least one weight");
            fails(() -> Deployment.canary().pauseBetween(Duration.ZERO), "pauseBetween must be positive: PT0S");
            fails(() -> Deployment.canary().pauseBetween(Duration.ofSeconds(-1)), "pauseBetween must be positive: PT-1S");
            fails(() -> Deployment.canary().steps(10).pauses(Duration.ofMinutes(1), Duration.ofMinutes(2)).build(),
                    "pauses must give one pause per step: 2 for 1 steps");
            fails(() -> Deployment.canary().steps(10).pauses(Duration.ofMinutes(1)).pauseBetween(Duration.ofMinutes(1)).build(),
                    "pauses and pauseBetween cannot both be set");
            fails(() -> Deployment.canary().steps(10, 80).maxWeight(50).build(), "steps must not exceed maxWeight 50: 80");
            fails(() -> Deployment.canary().maxWeight(0), "maxWeight must be within 1..100: 0");
            fails(() -> Deployment.canary().candidateReplicas(0), "candidateReplicas must be at least 1: 0");
            fails(() -> Deployment.canary().steps(10).pauseUntilPromotedAt(20).build(), "pauseUntilPromotedAt names no step: 20");
            fails(() -> Deployment.canary().gate(), "gate needs at least one gate");
            fails(() -> Deployment.canary().progressDeadline(Duration.ZERO), "progressDeadline must be positive: PT0S");
            fails(() -> Deployment.canary().drainDelay(Duration.ofSeconds(-5)), "drainDelay must not be negative: PT-5S");
        }
    }

    @Nested
    class BlueGreen {
        @Test
        void defaults() {
            Deployment d = Deployment.blueGreen().build();
            assertThat(steps(d)).containsExactly("deploy candidate with full replicas", "await candidate ready",
                    "set candidate weight 100%", "rollback window PT30S: stable kept, an abort switches back at once", "promote candidate to stable", "await stable ready",
                    "send all traffic to stable", "retire previous revision");
            assertThat(d.plan().requiredCapabilities()).isEmpty();
        }

        @Test
        void validation() {
            fails(() -> Deployment.blueGreen().manualPromotion().autoPromoteAfter(Duration.ofMinutes(1)).build(),
                    "manualPromotion cannot be combined with autoPromoteAfter PT1M");
            fails(() -> Deployment.blueGreen().previewReplicas(0), "previewReplicas must be at least 1: 0");
            fails(() -> Deployment.blueGreen().autoPromoteAfter(Duration.ZERO), "autoPromoteAfter must be positive: PT0S");
            fails(() -> Deployment.blueGreen().scaleDownDelay(Duration.ofSeconds(-1)), "scaleDownDelay must not be negative: PT-1S");
            fails(() -> Deployment.blueGreen().prePromotionGate(), "prePromotionGate needs at least one gate");
        }
    }

    @Nested
    class Rolling {
        @Test
        void defaultsAreTwentyFivePercent() {
            Plan plan = Deployment.rolling().build().plan(new PlanContext(4, EnumSet.of(RouterCapability.REPLICA_RATIO)));
            assertThat(plan.unavailableAllowed()).isEqualTo(Replicas.exactly(1));
            assertThat(plan.steps().get(0).describe()).isEqualTo("deploy candidate with 1 replica");
        }

        @Test
        void validation() {
            fails(() -> Deployment.rolling().maxSurge(-1), "maxSurge must be at least 0: -1");
            fails(() -> Deployment.rolling().maxUnavailable("120%"), "maxUnavailable must be a percentage within 0%..100%: '120%'");
            fails(() -> Deployment.rolling().maxSurge("25"), "maxSurge must be a percentage within 0%..100%: '25'");
            fails(() -> Deployment.rolling().minReady(Duration.ofSeconds(-1)), "minReady must not be negative: PT-1S");
        }
    }

    @Nested
    class OtherStrategies {
        @Test
        void recreateScalesStableToZeroFirst() {
            assertThat(steps(Deployment.recreate().build())).startsWith("scale stable to 0", "await stable ready",
                    "deploy candidate with full replicas");
            assertThat(Deployment.recreate().build().plan().unavailableAllowed()).isEqualTo(Replicas.full());
        }

        @Test
        void abTestAndShadowNeedWhatTheyRoute() {
            Deployment ab = Deployment.abTest().match(HeaderMatch.exact("x-canary", "true")).duration(Duration.ofMinutes(5)).build();
            assertThat(ab.plan().requiredCapabilities()).containsExactly(RouterCapability.HEADER_ROUTES);
            Deployment shadow = Deployment.shadow().duration(Duration.ofMinutes(5)).build();
            assertThat(shadow.plan().requiredCapabilities()).containsExactly(RouterCapability.MIRROR);
            assertThat(steps(Deployment.abTest().match(HeaderMatch.exact("x", "1")).duration(Duration.ofMinutes(5)).thenRollBack().build()))
                    .endsWith("remove header routes", "retire candidate");
        }

        @Test
        void validation() {
            fails(() -> Deployment.abTest().duration(Duration.ofMinutes(1)).build(),
                    "match must be set: an A/B test needs a header or cookie match");
            fails(() -> Deployment.abTest().match(HeaderMatch.exact("x", "1")).build(), "duration must be set for an A/B test");
            fails(() -> Deployment.shadow().build(), "duration must be set for a shadow release");
            fails(() -> Deployment.shadow().mirror(0), "mirror must be within 1..100: 0");
            fails(() -> HeaderMatch.exact("bad header", "1"), "header must be a valid HTTP header name: 'bad header'");
            fails(() -> HeaderMatch.regex("x", "("), "header regex is invalid: Unclosed group");
        }
    }

    @Test
    void deploymentsAreValuesThatDescribeThemselves() {
        Deployment d = Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(5)).build();
        assertThat(d.describe()).startsWith("canary plan (").contains("  3. set candidate weight 10%", "pause PT5M");
        assertThat(d.plan()).isEqualTo(Deployment.canary().steps(10, 50).pauseBetween(Duration.ofMinutes(5)).build().plan());
        assertThat(d.plan().fingerprint()).isNotEqualTo(Deployment.canary().steps(10, 60).build().plan().fingerprint());
        assertThatThrownBy(() -> d.plan().steps().add(new Step.Promote())).isInstanceOf(UnsupportedOperationException.class);
    }
}
