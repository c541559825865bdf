package io.cutover.kubernetes.internal;

import java.util.Set;

/**
 * Rendezvous (highest random weight) hashing: every replica computes the same first-ranked replica for
 * a rollout from the same set of live replicas, and when one leaves, only its own rollouts move, spread
 * evenly over the others.
 */
public final class Rendezvous {

    private Rendezvous() { }

    /** The replica that ranks first for {@code key} among {@code replicas}; null when there is none. */
    public static String first(String key, Set<String> replicas) {
        String best = null;
        long bestScore = Long.MIN_VALUE;
        for (String r : replicas) {
            long score = mix(key.hashCode() * 0x9E3779B97F4A7C15L ^ r.hashCode());
            if (best == null || score > bestScore || (score == bestScore && r.compareTo(best) < 0)) {
                best = r;
                bestScore = score;
            }
        }
        return best;
    }

    /** SplitMix64's finaliser: spreads close inputs over the whole range. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
