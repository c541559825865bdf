package io.cutover;

import io.cutover.spi.RouterCapability;
import java.util.Set;

/**
 * What a plan is compiled against when a rollout is bound: stable's replica count and what the
 * router can do. Blue-green ignores it; a canary keeps a rollback window only on a weighted router.
 */
public record PlanContext(int stableReplicas, Set<RouterCapability> router) {

    /**
     * Refuses fewer than one stable replica and copies the capabilities.
     *
     * @param stableReplicas stable's replica count, 1 or more
     * @param router         what the router can do
     */
    public PlanContext {
        if (stableReplicas < 1) {
            throw new IllegalArgumentException("stable must run at least one replica: " + stableReplicas);
        }
        router = Set.copyOf(router);
    }
}
