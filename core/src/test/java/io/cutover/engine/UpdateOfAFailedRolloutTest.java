package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import org.junit.jupiter.api.Test;

/** An update never deploys a new candidate over a FAILED rollout, whose traffic may still be split. */
class UpdateOfAFailedRolloutTest {

    @Test
    void anUpdateOfAFailedRolloutIsRefusedSayingWhereTrafficIsAndStartsOnceTheRollbackWasRunAgain() {
        Fixture f = Fixture.failing(0.3);
        PlatformFailureTest.FlakyRouter router = new PlatformFailureTest.FlakyRouter(f.platform);
        router.refuseStableOnly = true;
        var target = PlatformFailureTest.flaky(f, router);
        Rollout r = f.engine.start("app", PlatformFailureTest.CANARY, Fixture.V2, target);
        assertThat(r.await().phase()).isEqualTo(Phase.FAILED);
        TrafficSplit left = f.platform.read();
        assertThat(left.isStableOnly()).isFalse();
        int writes = f.platform.writes();

        Revision v3 = Revision.of("v3", "app:v3");
        assertThatThrownBy(() -> f.engine.update("app", PlatformFailureTest.CANARY, v3, target))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("FAILED with traffic " + left)
                .hasMessageContaining("abort it");
        assertThat(f.platform.writes()).as("nothing written").isEqualTo(writes);
        assertThat(f.engine.status("app").orElseThrow().candidate()).isEqualTo(Fixture.V2);

        router.refuseStableOnly = false;
        r.abort("the route can be patched again");
        assertThat(r.await().phase()).isEqualTo(Phase.ABORTED);
        Rollout next = f.engine.update("app", PlatformFailureTest.CANARY, v3, target).join();
        assertThat(next.status().candidate()).isEqualTo(v3);
    }
}
