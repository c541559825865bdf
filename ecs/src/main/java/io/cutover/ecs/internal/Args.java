package io.cutover.ecs.internal;

import io.cutover.spi.TrafficSplit;

/** Argument checks the ECS adapters share; each message names the parameter and the value. */
public final class Args {

    private Args() { }

    public static String notBlank(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank: '" + value + "'");
        }
        return value;
    }

    /** Refuses a split a platform that moves all production traffic or none, by its own schedule, cannot take. */
    public static TrafficSplit allOrNothing(TrafficSplit split, String platform) {
        if (!split.candidateMatches().isEmpty() || split.mirrorPercent() > 0 || (split.candidateWeight() > 0 && split.candidateWeight() < 100)) {
            throw new IllegalArgumentException(platform + " moves all production traffic or none; cannot apply " + split);
        }
        return split;
    }
}
