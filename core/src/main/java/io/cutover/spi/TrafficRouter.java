package io.cutover.spi;

import java.util.Set;

/**
 * Sets and reads back where requests go. {@link #apply} states the whole desired split and is
 * safe to repeat; {@link #read} returns what the platform holds now (the engine reads back after
 * every abort to confirm traffic is on stable).
 */
public interface TrafficRouter {

    /**
     * What this router can honour; a plan needing more is refused when the rollout is bound.
     *
     * @return the capabilities
     */
    Set<RouterCapability> capabilities();

    /**
     * Makes the platform route as {@code split} says. Writing the split in force again changes nothing.
     *
     * @param split the split wanted
     */
    void apply(TrafficSplit split);

    /**
     * Reads the split the platform holds now, in role terms; the engine compares it with what it wrote.
     *
     * @return the split in force
     */
    TrafficSplit read();
}
