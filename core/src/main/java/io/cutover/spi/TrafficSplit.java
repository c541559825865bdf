package io.cutover.spi;

import java.util.List;

/**
 * Where requests go, in role terms: {@code canaryWeight} percent to the candidate and the rest to
 * stable; requests matching any of {@code canaryMatches} to the candidate whatever the weight; and
 * a copy of {@code mirrorPercent} percent of requests to the candidate.
 */
public record TrafficSplit(int canaryWeight, List<HeaderMatch> canaryMatches, int mirrorPercent) {

    private static final TrafficSplit STABLE_ONLY = new TrafficSplit(0, List.of(), 0);

    public TrafficSplit {
        if (canaryWeight < 0 || canaryWeight > 100) {
            throw new IllegalArgumentException("canaryWeight must be within 0..100: " + canaryWeight);
        }
        if (mirrorPercent < 0 || mirrorPercent > 100) {
            throw new IllegalArgumentException("mirrorPercent must be within 0..100: " + mirrorPercent);
        }
        canaryMatches = List.copyOf(canaryMatches);
    }

    /** All traffic to stable, no routes, no mirror: where every abort ends. */
    public static TrafficSplit stableOnly() {
        return STABLE_ONLY;
    }

    public static TrafficSplit weighted(int canaryWeight) {
        return new TrafficSplit(canaryWeight, List.of(), 0);
    }

    public int stableWeight() {
        return 100 - canaryWeight;
    }

    public boolean isStableOnly() {
        return canaryWeight == 0 && canaryMatches.isEmpty() && mirrorPercent == 0;
    }

    /** True when users are served by both roles. */
    public boolean isSplit() {
        return (canaryWeight > 0 && canaryWeight < 100) || (!canaryMatches.isEmpty() && canaryWeight < 100);
    }

    public TrafficSplit withCanaryWeight(int weight) {
        return new TrafficSplit(weight, canaryMatches, mirrorPercent);
    }

    public TrafficSplit withCanaryMatches(List<HeaderMatch> matches) {
        return new TrafficSplit(canaryWeight, matches, mirrorPercent);
    }

    public TrafficSplit withMirrorPercent(int percent) {
        return new TrafficSplit(canaryWeight, canaryMatches, percent);
    }

    @Override
    public String toString() {
        var s = new StringBuilder("stable=" + stableWeight() + "% candidate=" + canaryWeight + "%");
        if (!canaryMatches.isEmpty()) {
            s.append(" routes=").append(canaryMatches);
        }
        if (mirrorPercent > 0) {
            s.append(" mirror=").append(mirrorPercent).append('%');
        }
        return s.toString();
    }
}
