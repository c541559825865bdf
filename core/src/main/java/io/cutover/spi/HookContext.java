package io.cutover.spi;

import java.time.Instant;

/** What a hook is told: which rollout, which stage, which revisions, and where traffic stands. */
public record HookContext(String rollout, String application, HookStage stage, Revision candidate,
                          String stableRevision, TrafficSplit split, Instant at) { }
