package io.cutover.spi;

import java.util.Set;

/**
 * Sets and reads back where requests go. {@link #apply} states the whole desired split and is
 * safe to repeat; {@link #read} returns what the platform holds now (the engine reads back after
 * every abort to confirm traffic is on stable).
 */
public interface TrafficRouter {

    /** What this router can honour; a plan needing more is refused when the rollout is bound. */
    Set<RouterCapability> capabilities();

    void apply(TrafficSplit split);

    TrafficSplit read();
}
