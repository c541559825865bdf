package io.cutover.hook;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.sim.Behaviour;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Hook;
import io.cutover.spi.HookContext;
import io.cutover.spi.HookResult;
import io.cutover.spi.HookStage;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The revisions a hook is told match what the platform runs, before and after promotion. */
class HookContextAfterPromotionTest {

    private static final Revision V1 = Revision.of("v1.0.0", "myapp:v1.0.0");
    private static final Revision V2 = Revision.of("v2.0.0", "myapp:v2.0.0");

    private final VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    private final RolloutEngine engine = RolloutEngine.builder().withScheduler(time).build();
    private final List<HookContext> seen = new CopyOnWriteArrayList<>();
    private final Hook recording = context -> {
        seen.add(context);
        return HookResult.pass("recorded");
    };

    @AfterEach
    void stop() {
        engine.shutdown();
    }

    @Test
    void onCompleteHookOfAPromotedCanaryReportsTheNewRevisionAsStable() {
        SimulatedPlatform platform = SimulatedPlatform.builder(time.clock()).seed(3)
                .stable(V1, 4, Behaviour.healthy()).behaviour(V2.name(), Behaviour.healthy()).build();
        Deployment canary = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(1))
                .hook(HookStage.BEFORE_TRAFFIC, recording)
                .hook(HookStage.ON_COMPLETE, recording)
                .build();

        RolloutResult result = engine.start("myapp", canary, V2, platform.target("myapp")).await();

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(seen).extracting(HookContext::stage).containsExactly(HookStage.BEFORE_TRAFFIC, HookStage.ON_COMPLETE);
        assertThat(seen.get(0).stableRevision()).isEqualTo("v1.0.0");
        HookContext complete = seen.get(1);
        String platformStable = platform.target("myapp").workloads().status(Role.STABLE).revision();
        assertThat(platformStable).isEqualTo("v2.0.0");
        assertThat(complete.stableRevision()).isEqualTo(platformStable);
        assertThat(complete.candidate()).isEqualTo(V2);
    }

    @Test
    void onCompleteHookOfAPromotedBlueGreenReportsTheNewRevisionAsStable() {
        SimulatedPlatform platform = SimulatedPlatform.builder(time.clock()).seed(5)
                .stable(V1, 3, Behaviour.healthy()).behaviour(V2.name(), Behaviour.healthy()).build();
        Deployment blueGreen = Deployment.blueGreen()
                .hook(HookStage.ON_COMPLETE, recording)
                .build();

        RolloutResult result = engine.start("myapp", blueGreen, V2, platform.target("myapp")).await();

        assertThat(result.phase()).as(result.reason()).isEqualTo(Phase.SUCCEEDED);
        assertThat(seen).singleElement().satisfies(c -> {
            assertThat(c.stage()).isEqualTo(HookStage.ON_COMPLETE);
            assertThat(c.stableRevision()).isEqualTo("v2.0.0");
        });
    }
}
