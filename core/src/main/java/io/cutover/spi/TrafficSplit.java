package io.cutover.spi;

import java.util.List;

/**
 * Where requests go, in role terms: {@code canaryWeight} percent to the candidate and the rest to
 * stable; requests matching any of {@code canaryMatches} to the candidate whatever the weight; and
 * a copy of {@code mirrorPercent} percent of requests to the candidate.
 *
 * @param canaryWeight  the candidate's percent of users' requests, 0 to 100
 * @param canaryMatches header matches whose requests go to the candidate whatever the weight
 * @param mirrorPercent the percent of requests copied to the candidate, 0 to 100
 */
public record TrafficSplit(int canaryWeight, List<HeaderMatch> canaryMatches, int mirrorPercent) {

    private static final TrafficSplit STABLE_ONLY = new TrafficSplit(0, List.of(), 0);

    /**
     * Refuses weights outside 0..100 and copies the matches.
     *
     * @param canaryWeight  the candidate's percent of users' requests, 0 to 100
     * @param canaryMatches header matches whose requests go to the candidate whatever the weight
     * @param mirrorPercent the percent of requests copied to the candidate, 0 to 100
     */
    public TrafficSplit {
        if (canaryWeight < 0 || canaryWeight > 100) {
            throw new IllegalArgumentException("canaryWeight must be within 0..100: " + canaryWeight);
        }
        if (mirrorPercent < 0 || mirrorPercent > 100) {
            throw new IllegalArgumentException("mirrorPercent must be within 0..100: " + mirrorPercent);
        }
        canaryMatches = List.copyOf(canaryMatches);
    }

    /**
     * All traffic to stable, no routes, no mirror: where every abort ends.
     *
     * @return the stable-only split
     */
    public static TrafficSplit stableOnly() {
        return STABLE_ONLY;
    }

    /**
     * The candidate gets {@code canaryWeight} percent, with no routes and no mirror.
     *
     * @param canaryWeight 0 to 100
     * @return the split
     */
    public static TrafficSplit weighted(int canaryWeight) {
        return new TrafficSplit(canaryWeight, List.of(), 0);
    }

    /**
     * Stable's share of users' requests that match no route.
     *
     * @return {@code 100 - canaryWeight}
     */
    public int stableWeight() {
        return 100 - canaryWeight;
    }

    /**
     * Whether every request goes to stable and nothing is mirrored.
     *
     * @return {@code true} for the split every abort ends in
     */
    public boolean isStableOnly() {
        return canaryWeight == 0 && canaryMatches.isEmpty() && mirrorPercent == 0;
    }

    /**
     * True when users are served by both roles.
     *
     * @return {@code true} when the candidate has a weight below 100 or a header route while stable keeps some traffic
     */
    public boolean isSplit() {
        return (canaryWeight > 0 && canaryWeight < 100) || (!canaryMatches.isEmpty() && canaryWeight < 100);
    }

    /**
     * This split with another candidate weight.
     *
     * @param weight 0 to 100
     * @return a new split
     */
    public TrafficSplit withCanaryWeight(int weight) {
        return new TrafficSplit(weight, canaryMatches, mirrorPercent);
    }

    /**
     * This split with other header routes.
     *
     * @param matches the matches, empty for none
     * @return a new split
     */
    public TrafficSplit withCanaryMatches(List<HeaderMatch> matches) {
        return new TrafficSplit(canaryWeight, matches, mirrorPercent);
    }

    /**
     * This split with another mirror share.
     *
     * @param percent 0 to 100
     * @return a new split
     */
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
