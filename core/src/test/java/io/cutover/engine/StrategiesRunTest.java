package io.cutover.engine;

import static io.cutover.gate.Gates.health;
import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.PlanContext;
import io.cutover.Rollout;
import io.cutover.RolloutResult;
import io.cutover.event.RolloutEvent;
import io.cutover.plan.Step;
import io.cutover.sim.Behaviour;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.HookResult;
import io.cutover.spi.HookStage;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficSplit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class StrategiesRunTest {

    @Nested
    class BlueGreen {
        final Deployment bg = Deployment.blueGreen().prePromotionGate(health()).autoPromoteAfter(Duration.ofMinutes(1))
                .postPromotionGate(successRate(0.95)).scaleDownDelay(Duration.ofMinutes(5)).build();

        @Test
        void switchesAllAtOnceAndKeepsBlueForTheScaleDownDelay() {
            Fixture f = Fixture.allOrNothing();
            RolloutResult result = f.start(bg).await();
            assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
            assertThat(f.weights()).containsExactly(100);
            var switched = f.events(RolloutEvent.TrafficChanged.class).get(0).at();
            var retired = f.events(RolloutEvent.ReplicasChanged.class).stream()
                    .filter(e -> e.replicas() == 0).findFirst().orElseThrow().at();
            assertThat(Duration.between(switched, retired)).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
            assertThat(f.platform.stableRevision()).isEqualTo("v2");
            assertThat(f.platform.violations()).isEmpty();
        }

        @Test
        void failingPostPromotionGateSwitchesStraightBack() {
            Fixture f = new Fixture(Behaviour.healthy().withErrorRate(0.3), EnumSet.noneOf(RouterCapability.class));
            RolloutResult result = f.start(bg).await();
            assertThat(result.phase()).isEqualTo(Phase.ABORTED);
            assertThat(result.reason()).contains("success-rate failed");
            assertThat(f.weights()).containsExactly(100, 0);
            assertThat(f.platform.stableRevision()).isEqualTo("v1");
            assertThat(f.platform.readyReplicas(Role.STABLE)).isEqualTo(4); // blue was never scaled down
            assertThat(f.platform.violations()).isEmpty();
        }

        @Test
        void manualPromotionWaitsForAPerson() {
            Fixture f = Fixture.allOrNothing();
            Rollout r = f.start(Deployment.blueGreen().manualPromotion().previewReplicas(1).build());
            f.time.advance(Duration.ofHours(3));
            assertThat(r.phase()).isEqualTo(Phase.PAUSED);
            assertThat(r.status().reason()).startsWith("waiting for a person to promote");
            assertThat(f.platform.desiredReplicas(Role.CANDIDATE)).isEqualTo(1);
            assertThat(f.platform.read().candidateWeight()).isZero();
            r.promote();
            assertThat(r.await().phase()).isEqualTo(Phase.SUCCEEDED);
            assertThat(f.platform.desiredReplicas(Role.STABLE)).isEqualTo(4);
        }

        @Test
        void hooksRunInStageOrderAndAFailingOneAborts() {
            List<HookStage> ran = new ArrayList<>();
            Fixture f = Fixture.allOrNothing();
            var builder = Deployment.blueGreen();
            for (HookStage stage : HookStage.values()) {
                builder.hook(stage, ctx -> {
                    ran.add(ctx.stage());
                    return ctx.stage() == HookStage.AFTER_TRAFFIC ? HookResult.fail("smoke test failed") : HookResult.pass();
                });
            }
            RolloutResult result = f.start(builder.build()).await();
            assertThat(result.phase()).isEqualTo(Phase.ABORTED);
            assertThat(result.reason()).isEqualTo("after-traffic hook failed: smoke test failed");
            assertThat(ran).containsExactly(HookStage.BEFORE_INSTALL, HookStage.AFTER_INSTALL, HookStage.AFTER_TEST_TRAFFIC,
                    HookStage.BEFORE_TRAFFIC, HookStage.AFTER_TRAFFIC, HookStage.BEFORE_ROLLBACK, HookStage.AFTER_ROLLBACK);
        }
    }

    @Nested
    class Rolling {
        @Test
        void batchesFollowKubernetesRounding() {
            // 10 replicas, 25%/25%: surge rounds up to 3, unavailable down to 2; both budgets at once, as the
            // Deployment controller: 3 new while old goes to 8, then 5 + 5, 8 + 3, 10 + 0
            var plan = Deployment.rolling().build().plan(new PlanContext(10, EnumSet.of(RouterCapability.REPLICA_RATIO)));
            List<String> scales = plan.steps().stream()
                    .filter(s -> s instanceof Step.Scale || s instanceof Step.Deploy).map(Step::describe).toList();
            assertThat(scales).containsExactly("deploy candidate with 3 replicas", "scale stable to 8",
                    "scale candidate to 5", "scale stable to 5", "scale candidate to 8", "scale stable to 3",
                    "scale candidate to 10", "scale stable to 0");
            assertThat(plan.unavailableAllowed().resolve(10)).isEqualTo(2);
        }

        @Test
        void bothZeroMakesOneUnavailable() {
            var plan = Deployment.rolling().maxSurge(0).maxUnavailable("0%").build()
                    .plan(new PlanContext(3, EnumSet.of(RouterCapability.REPLICA_RATIO)));
            assertThat(plan.unavailableAllowed().resolve(3)).isEqualTo(1);
            assertThat(plan.steps().get(0).describe()).isEqualTo("scale stable to 2");
        }

        @Test
        void rollsOnAReplicaRatioRouterWithinItsAllowance() {
            Fixture f = new Fixture(Behaviour.healthy(), RouterCapability.REPLICA_RATIO);
            var d = Deployment.rolling().maxSurge(1).maxUnavailable(0).batchGate(successRate(0.9)).build();
            f.platform.allowUnavailable(0);
            RolloutResult result = f.start(d).await();
            assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
            assertThat(f.platform.violations()).isEmpty();
            assertThat(f.platform.stableRevision()).isEqualTo("v2");
            assertThat(f.platform.desiredReplicas(Role.STABLE)).isEqualTo(4);
        }

        @Test
        void rollsOnAWeightedRouterWithWeightsFollowingReplicas() {
            Fixture f = Fixture.healthy();
            f.platform.allowUnavailable(1);
            RolloutResult result = f.start(Deployment.rolling().maxSurge(1).maxUnavailable(1).build()).await();
            assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
            assertThat(f.weights()).isSorted().endsWith(100);
            assertThat(f.platform.violations()).isEmpty();
        }

        @Test
        void failingBatchGateRestoresStableCapacityBeforeMovingTraffic() {
            Fixture f = new Fixture(Behaviour.healthy().withErrorRate(0.5), RouterCapability.REPLICA_RATIO);
            f.platform.allowUnavailable(1);
            RolloutResult result = f.start(Deployment.rolling().maxSurge(1).maxUnavailable(1).batchGate(successRate(0.9)).build()).await();
            assertThat(result.phase()).isEqualTo(Phase.ABORTED);
            assertThat(f.platform.desiredReplicas(Role.STABLE)).isEqualTo(4);
            assertThat(f.platform.desiredReplicas(Role.CANDIDATE)).isZero();
            assertThat(f.platform.violations()).isEmpty();
        }
    }

    @Nested
    class Recreate {
        @Test
        void replacesEverythingWithDowntime() {
            Fixture f = Fixture.allOrNothing();
            f.platform.allowUnavailable(4);
            RolloutResult result = f.start(Deployment.recreate().build()).await();
            assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
            assertThat(f.platform.stableRevision()).isEqualTo("v2");
            assertThat(f.platform.userFailures()).isPositive(); // the downtime users saw
        }

        @Test
        void abortBringsTheOldRevisionBack() {
            Fixture f = new Fixture(Behaviour.healthy().neverReadyReplicas(), EnumSet.noneOf(RouterCapability.class));
            f.platform.allowUnavailable(4);
            RolloutResult result = f.start(Deployment.recreate().progressDeadline(Duration.ofMinutes(1)).build()).await();
            assertThat(result.phase()).isEqualTo(Phase.ABORTED);
            assertThat(f.platform.stableRevision()).isEqualTo("v1");
            assertThat(f.platform.readyReplicas(Role.STABLE)).isEqualTo(4);
            assertThat(f.platform.desiredReplicas(Role.CANDIDATE)).isZero();
        }
    }

    @Nested
    class AbTestAndShadow {
        @Test
        void abTestRoutesMatchingRequestsThenPromotes() {
            Fixture f = Fixture.healthy();
            RolloutResult result = f.start(Deployment.abTest().match(HeaderMatch.exact("x-canary", "true"))
                    .duration(Duration.ofMinutes(10)).gate(successRate(0.95)).build()).await();
            assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
            var first = f.events(RolloutEvent.TrafficChanged.class).get(0).split();
            assertThat(first.candidateWeight()).isZero();
            assertThat(first.candidateMatches()).containsExactly(HeaderMatch.exact("x-canary", "true"));
            assertThat(f.platform.read()).isEqualTo(TrafficSplit.stableOnly());
            assertThat(f.events(RolloutEvent.MeasurementTaken.class)).isNotEmpty();
        }

        @Test
        void failingVariantIsRemoved() {
            Fixture f = Fixture.failing(0.4);
            RolloutResult result = f.start(Deployment.abTest().match(HeaderMatch.cookie("beta", "1"))
                    .duration(Duration.ofMinutes(10)).gate(successRate(0.95)).build()).await();
            assertThat(result.phase()).isEqualTo(Phase.ABORTED);
            assertThat(f.platform.read()).isEqualTo(TrafficSplit.stableOnly());
            assertThat(f.platform.stableRevision()).isEqualTo("v1");
        }

        @Test
        void shadowNeverServesUsersFromTheCandidate() {
            Fixture f = Fixture.failing(0.5);
            RolloutResult result = f.start(Deployment.shadow().mirror(50).duration(Duration.ofMinutes(10))
                    .gate(successRate(0.95)).build()).await();
            assertThat(result.phase()).isEqualTo(Phase.ABORTED);
            assertThat(f.events(RolloutEvent.TrafficChanged.class))
                    .allSatisfy(e -> assertThat(e.split().candidateWeight()).isZero());
            assertThat(f.platform.requestsByRevision()).containsKey("v2");
            // users saw only stable's errors (0.5%), nothing of the candidate's 50%
            long served = f.platform.requestsByRevision().get("v1");
            assertThat(f.platform.userFailures()).isLessThan(served / 50);
        }

        @Test
        void headerRoutesNeedARouterWithThem() {
            Fixture f = new Fixture(Behaviour.healthy(), RouterCapability.WEIGHTED);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.start(Deployment.abTest()
                    .match(HeaderMatch.exact("x-canary", "true")).duration(Duration.ofMinutes(1)).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HEADER_ROUTES");
        }
    }
}
