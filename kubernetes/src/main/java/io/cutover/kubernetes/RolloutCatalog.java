package io.cutover.kubernetes;

import io.cutover.Deployment;
import io.cutover.Target;
import io.cutover.state.RolloutState;
import java.util.Objects;
import java.util.Optional;

/**
 * How a replica of a {@link Fleet} finds what it needs to drive a rollout it takes over from another
 * replica: the deployment (the same plan the rollout was started with) and the target, built on this
 * replica's own client. Return empty for a rollout this replica cannot drive; it is left to others.
 *
 * <pre>{@code
 * RolloutCatalog catalog = state -> Optional.of(new RolloutCatalog.Entry(canary,
 *         KubernetesTarget.canary(client, "prod", state.application()).build()));
 * }</pre>
 */
@FunctionalInterface
public interface RolloutCatalog {

    /**
     * The deployment and target of the rollout {@code state} describes, if this replica can drive it.
     *
     * @param state the stored state of a rollout to resume
     * @return the entry, or empty when this replica cannot drive the rollout
     */
    Optional<Entry> find(RolloutState state);

    /**
     * What a replica needs to resume a rollout.
     *
     * @param deployment what the rollout deploys
     * @param target where it rolls out
     */
    record Entry(Deployment deployment, Target target) {
        /**
         * Checks both are given.
         *
         * @param deployment what the rollout deploys
         * @param target where it rolls out
         */
        public Entry {
            Objects.requireNonNull(deployment, "deployment");
            Objects.requireNonNull(target, "target");
        }
    }
}
