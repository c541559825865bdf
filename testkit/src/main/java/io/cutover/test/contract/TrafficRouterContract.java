package io.cutover.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.spi.HeaderMatch;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TrafficRouter} must do. An adapter's test extends this and returns, for each
 * test, a router whose traffic all goes to stable. A router refuses (throws) a split it cannot honour
 * rather than approximating it silently.
 */
public abstract class TrafficRouterContract {

    /** The router under test: a new one from {@link #newRouter()} before every test. */
    protected TrafficRouter router;

    /**
     * A fresh router with all traffic on stable (and, for replica-ratio routers, ready replicas of both roles).
     *
     * @return the router, its platform objects already in place
     */
    protected abstract TrafficRouter newRouter();

    @BeforeEach
    void setUpRouter() {
        router = newRouter();
    }

    @Test
    void startsOnStable() {
        assertThat(router.read().isStableOnly()).as("read %s", router.read()).isTrue();
    }

    @Test
    void allOrNothingIsAlwaysHonoured() {
        router.apply(TrafficSplit.weighted(100));
        if (!replicaRatio()) {
            assertThat(router.read().candidateWeight()).isEqualTo(100);
        }
        router.apply(TrafficSplit.stableOnly());
        if (!replicaRatio()) {
            assertThat(router.read()).isEqualTo(TrafficSplit.stableOnly());
        }
    }

    @Test
    void weightsReadBackAsWritten() {
        if (!router.capabilities().contains(RouterCapability.WEIGHTED)) {
            if (!replicaRatio()) {
                assertThatThrownBy(() -> router.apply(TrafficSplit.weighted(25)))
                        .as("an all-or-nothing router refuses a weight rather than approximating it")
                        .isInstanceOf(RuntimeException.class);
            }
            return;
        }
        for (int w : new int[] {1, 10, 25, 50, 75, 99, 100, 0}) {
            router.apply(TrafficSplit.weighted(w));
            assertThat(router.read().candidateWeight()).as("weight %d", w).isEqualTo(w);
        }
    }

    @Test
    void applyingTheSameSplitTwiceChangesNothing() {
        TrafficSplit split = router.capabilities().contains(RouterCapability.WEIGHTED) ? TrafficSplit.weighted(25) : TrafficSplit.weighted(100);
        router.apply(split);
        TrafficSplit first = router.read();
        router.apply(split);
        assertThat(router.read()).isEqualTo(first);
    }

    @Test
    void headerRoutesComeAndGo() {
        HeaderMatch match = HeaderMatch.exact("x-canary", "true");
        if (!router.capabilities().contains(RouterCapability.HEADER_ROUTES)) {
            assertThatThrownBy(() -> router.apply(TrafficSplit.stableOnly().withCandidateMatches(List.of(match))))
                    .as("a router without header routes refuses them").isInstanceOf(RuntimeException.class);
            return;
        }
        router.apply(TrafficSplit.stableOnly().withCandidateMatches(List.of(match)));
        assertThat(router.read().candidateMatches()).containsExactly(match);
        assertThat(router.read().candidateWeight()).isZero();
        router.apply(TrafficSplit.stableOnly());
        assertThat(router.read().candidateMatches()).isEmpty();
    }

    @Test
    void mirrorComesAndGoes() {
        if (!router.capabilities().contains(RouterCapability.MIRROR)) {
            assertThatThrownBy(() -> router.apply(TrafficSplit.stableOnly().withMirrorPercent(50)))
                    .as("a router without mirroring refuses it").isInstanceOf(RuntimeException.class);
            return;
        }
        router.apply(TrafficSplit.stableOnly().withMirrorPercent(50));
        assertThat(router.read().mirrorPercent()).isEqualTo(50);
        assertThat(router.read().candidateWeight()).isZero();
        router.apply(TrafficSplit.stableOnly());
        assertThat(router.read().mirrorPercent()).isZero();
    }

    private boolean replicaRatio() {
        return router.capabilities().contains(RouterCapability.REPLICA_RATIO)
                && !router.capabilities().contains(RouterCapability.WEIGHTED);
    }

}
