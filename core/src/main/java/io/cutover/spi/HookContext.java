package io.cutover.spi;

import java.time.Instant;

/**
 * What a hook is told: which rollout, which stage, which revisions, and where traffic stands.
 *
 * @param stableRevision the revision stable runs at this stage: the one the rollout started from,
 *                       or the candidate's name once the candidate has been promoted (for example at
 *                       {@link HookStage#ON_COMPLETE} of a rollout that succeeded)
 */
public record HookContext(String rollout, String application, HookStage stage, Revision candidate,
                          String stableRevision, TrafficSplit split, Instant at) { }
