package io.cutover.spi;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.List;

/**
 * Where requests go, in role terms: {@code candidateWeight} percent to the candidate and the rest to
 * stable; requests matching any of {@code candidateMatches} to the candidate whatever the weight; and
 * a copy of {@code mirrorPercent} percent of requests to the candidate.
 *
 * @param candidateWeight  the candidate's percent of users' requests, 0 to 100
 * @param candidateMatches header matches whose requests go to the candidate whatever the weight
 * @param mirrorPercent the percent of requests copied to the candidate, 0 to 100
 */
public record TrafficSplit(@JsonAlias("canaryWeight") int candidateWeight,
                           @JsonAlias("canaryMatches") List<HeaderMatch> candidateMatches,
                           int mirrorPercent) {

    private static final TrafficSplit STABLE_ONLY = new TrafficSplit(0, List.of(), 0);

    /**
     * Refuses weights outside 0..100 and copies the matches.
     *
     * @param candidateWeight  the candidate's percent of users' requests, 0 to 100
     * @param candidateMatches header matches whose requests go to the candidate whatever the weight
     * @param mirrorPercent the percent of requests copied to the candidate, 0 to 100
     */
    public TrafficSplit {
        if (candidateWeight < 0 || candidateWeight > 100) {
            throw new IllegalArgumentException("candidateWeight must be within 0..100: " + candidateWeight);
        }
        if (mirrorPercent < 0 || mirrorPercent > 100) {
            throw new IllegalArgumentException("mirrorPercent must be within 0..100: " + mirrorPercent);
        }
        candidateMatches = List.copyOf(candidateMatches);
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
     * The candidate gets {@code candidateWeight} percent, with no routes and no mirror.
     *
     * @param candidateWeight 0 to 100
     * @return the split
     */
    public static TrafficSplit weighted(int candidateWeight) {
        return new TrafficSplit(candidateWeight, List.of(), 0);
    }

    /**
     * Stable's share of users' requests that match no route.
     *
     * @return {@code 100 - candidateWeight}
     */
    public int stableWeight() {
        return 100 - candidateWeight;
    }

    /**
     * Whether every request goes to stable and nothing is mirrored.
     *
     * @return {@code true} for the split every abort ends in
     */
    public boolean isStableOnly() {
        return candidateWeight == 0 && candidateMatches.isEmpty() && mirrorPercent == 0;
    }

    /**
     * True when users are served by both roles.
     *
     * @return {@code true} when the candidate has a weight below 100 or a header route while stable keeps some traffic
     */
    public boolean isSplit() {
        return (candidateWeight > 0 && candidateWeight < 100) || (!candidateMatches.isEmpty() && candidateWeight < 100);
    }

    /**
     * This split with another candidate weight.
     *
     * @param weight 0 to 100
     * @return a new split
     */
    public TrafficSplit withCandidateWeight(int weight) {
        return new TrafficSplit(weight, candidateMatches, mirrorPercent);
    }

    /**
     * This split with other header routes.
     *
     * @param matches the matches, empty for none
     * @return a new split
     */
    public TrafficSplit withCandidateMatches(List<HeaderMatch> matches) {
        return new TrafficSplit(candidateWeight, matches, mirrorPercent);
    }

    /**
     * This split with another mirror share.
     *
     * @param percent 0 to 100
     * @return a new split
     */
    public TrafficSplit withMirrorPercent(int percent) {
        return new TrafficSplit(candidateWeight, candidateMatches, percent);
    }

    @Override
    public String toString() {
        var s = new StringBuilder("stable=" + stableWeight() + "% candidate=" + candidateWeight + "%");
        if (!candidateMatches.isEmpty()) {
            s.append(" routes=").append(candidateMatches);
        }
        if (mirrorPercent > 0) {
            s.append(" mirror=").append(mirrorPercent).append('%');
        }
        return s.toString();
    }
}
