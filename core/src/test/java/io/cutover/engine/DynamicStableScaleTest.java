package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.PlanContext;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.event.RolloutEvent;
import io.cutover.plan.Step;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dynamic stable scale (Argo's {@code dynamicStableScale}): on a weighted router stable shrinks to its
 * share as the canary grows, never below what its share needs, and an abort brings it back to full and
 * ready before traffic moves back.
 */
class DynamicStableScaleTest {

    static final Deployment DYNAMIC = Deployment.canary().steps(25, 50, 75).pauseBetween(Duration.ofMinutes(2))
            .dynamicStableScale(true).build();

    /** What the platform held after an event. */
    record Seen(RolloutEvent event, int stableDesired, int stableReady, int candidateReady, int weight) { }

    /** A weighted platform whose stable replicas take {@code startup} to become ready, with every event recorded. */
    static final class Rig {
        final VirtualScheduler time = new VirtualScheduler();
        final SimulatedPlatform platform;
        final List<Seen> seen = new ArrayList<>();
        final RolloutEngine engine;

        Rig(int replicas, Duration startup) {
            platform = SimulatedPlatform.builder(time.clock()).stable(World.V1, replicas, Behaviour.healthy().withStartup(startup))
                    .behaviour("v2", Behaviour.healthy()).router(RouterCapability.WEIGHTED).build();
            engine = RolloutEngine.builder().withScheduler(time).onEvent(e -> seen.add(new Seen(e,
                    platform.desiredReplicas(Role.STABLE), platform.readyReplicas(Role.STABLE),
                    platform.readyReplicas(Role.CANDIDATE), platform.read().candidateWeight()))).build();
        }

        Rollout start(Deployment d) {
            return engine.start("app", d, World.V2, platform.target("app"));
        }
    }

    private static List<Integer> stableScales(Deployment d, int replicas, RouterCapability router) {
        return d.plan(new PlanContext(replicas, EnumSet.of(router))).steps().stream()
                .filter(s -> s instanceof Step.Scale sc && sc.role() == Role.STABLE)
                .map(s -> ((Step.Scale) s).replicas().resolve(replicas)).toList();
    }

    @Test
    void stableIsScaledToItsShareRoundedUpAfterEachWeightOnWeightedRoutersOnly() {
        assertThat(stableScales(DYNAMIC, 10, RouterCapability.WEIGHTED)).containsExactly(8, 5, 3);
        assertThat(stableScales(DYNAMIC, 3, RouterCapability.WEIGHTED)).containsExactly(3, 2, 1);
        assertThat(stableScales(DYNAMIC, 10, RouterCapability.REPLICA_RATIO)).as("replica counts already follow the weight").isEmpty();
        Deployment off = Deployment.canary().steps(25, 50, 75).build();
        assertThat(stableScales(off, 10, RouterCapability.WEIGHTED)).as("off by default").isEmpty();
        assertThat(DYNAMIC.plan(new PlanContext(10, EnumSet.of(RouterCapability.WEIGHTED))).steps())
                .as("no rollback window: it needs stable at full scale")
                .noneMatch(s -> s instanceof Step.Pause p && p.rollbackWindow());
    }

    @Test
    void aRollbackWindowCannotBeAskedForWithIt() {
        assertThatThrownBy(() -> Deployment.canary().steps(25).dynamicStableScale(true).scaleDownDelay(Duration.ofMinutes(1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scaleDownDelay PT1M cannot be set with dynamicStableScale: a rollback window needs stable at full scale");
        assertThat(Deployment.canary().steps(25).dynamicStableScale(true).scaleDownDelay(Duration.ZERO).build()).isNotNull();
    }

    @Test
    void stableShrinksAsTheCanaryGrowsAndAlwaysHasTheReadyReplicasForItsShare() {
        Rig rig = new Rig(10, Duration.ofSeconds(30));
        RolloutResult result = rig.start(DYNAMIC).await();

        assertThat(result.phase()).isEqualTo(Phase.SUCCEEDED);
        Instant promoted = rig.seen.stream().filter(s -> s.event() instanceof RolloutEvent.Promoted).findFirst().orElseThrow().event().at();
        List<Seen> before = rig.seen.stream().filter(s -> s.event().at().isBefore(promoted)).toList();
        assertThat(before).allSatisfy(s -> {
            int needed = (int) Math.ceil((100 - s.weight()) * 10 / 100.0);
            assertThat(s.stableReady()).as("stable ready for its %d%% at %s", 100 - s.weight(), s.event()).isGreaterThanOrEqualTo(needed);
            if (s.weight() > 0) {
                assertThat(s.candidateReady()).as("the candidate has ready replicas for its traffic").isPositive();
            }
        });
        assertThat(before).map(Seen::stableDesired).as("capacity saved as the canary grew").contains(8, 5, 3);
        assertThat(rig.platform.stableRevision()).isEqualTo("v2");
        assertThat(rig.platform.violations()).isEmpty();
    }

    @Test
    void anAbortScalesStableBackToFullAndWaitsForItBeforeTrafficMovesThenRetiresTheCandidate() {
        Rig rig = new Rig(10, Duration.ofSeconds(30));
        Rollout rollout = rig.start(DYNAMIC);
        rig.time.runUntil(() -> rig.platform.read().candidateWeight() == 75 && rig.platform.desiredReplicas(Role.STABLE) == 3,
                Duration.ofHours(1));
        assertThat(rig.platform.readyReplicas(Role.STABLE)).isEqualTo(3);
        int mark = rig.seen.size();
        Instant abortAt = rig.time.now();

        rollout.abort("users report errors");
        RolloutResult result = rollout.await();

        assertThat(result.phase()).isEqualTo(Phase.ABORTED);
        List<Seen> after = rig.seen.subList(mark, rig.seen.size());
        int stableUp = indexOf(after, e -> e instanceof RolloutEvent.ReplicasChanged r && r.role().equals("STABLE") && r.replicas() == 10);
        int toStable = indexOf(after, e -> e instanceof RolloutEvent.TrafficChanged t && t.split().isStableOnly());
        int candidateDown = indexOf(after, e -> e instanceof RolloutEvent.ReplicasChanged r && r.role().equals("CANDIDATE") && r.replicas() == 0);
        assertThat(stableUp).isLessThan(toStable);
        assertThat(toStable).isLessThan(candidateDown);
        Seen switched = after.get(toStable);
        assertThat(switched.stableReady()).as("stable at full capacity when traffic moves back").isEqualTo(10);
        assertThat(Duration.between(abortAt, switched.event().at())).as("waited for stable's replicas to start")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(after.subList(0, toStable)).as("the candidate keeps its share until stable is ready")
                .allSatisfy(s -> assertThat(s.weight()).isEqualTo(75));
        assertThat(after.get(candidateDown).stableReady()).isEqualTo(10);
        assertThat(rig.platform.read().isStableOnly()).isTrue();
        assertThat(rig.platform.readyReplicas(Role.STABLE)).isEqualTo(10);
        assertThat(rig.platform.desiredReplicas(Role.CANDIDATE)).isZero();
        assertThat(rig.platform.violations()).isEmpty();
    }

    private static int indexOf(List<Seen> seen, java.util.function.Predicate<RolloutEvent> which) {
        for (int i = 0; i < seen.size(); i++) {
            if (which.test(seen.get(i).event())) {
                return i;
            }
        }
        throw new AssertionError("no such event");
    }
}
