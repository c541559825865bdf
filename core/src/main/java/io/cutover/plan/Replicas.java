package io.cutover.plan;

/**
 * A replica count in a plan: fixed, or a share of stable's count when the rollout started.
 *
 * <p>Shares round up, so a candidate always has the capacity for its weight; on a router that
 * follows replica counts, stable keeps at least one replica for any weight below 100 (the total
 * surges above stable's count when there are too few replicas, as Argo Rollouts does).
 */
public sealed interface Replicas {

    /**
     * A fixed count.
     *
     * @param count 0 or more
     * @return the count
     */
    static Replicas exactly(int count) {
        return new Exactly(count);
    }

    /**
     * {@code percent} of stable's replicas, rounded up (at least one when above zero).
     *
     * @param percent 0 to 100
     * @return the share
     */
    static Replicas shareOfStable(int percent) {
        return new ShareOfStable(percent);
    }

    /**
     * Stable's whole count.
     *
     * @return a 100% share of stable
     */
    static Replicas full() {
        return new ShareOfStable(100);
    }

    /**
     * The count for a rollout whose stable ran {@code stableReplicas} when it started.
     *
     * @param stableReplicas stable's count when the rollout started
     * @return the count, 0 or more
     */
    int resolve(int stableReplicas);

    /**
     * A fixed count, whatever stable ran.
     *
     * @param count the count, 0 or more
     */
    record Exactly(int count) implements Replicas {
        /**
         * Refuses a negative count.
         *
         * @param count the count, 0 or more
         */
        public Exactly {
            if (count < 0) {
                throw new IllegalArgumentException("replicas must not be negative: " + count);
            }
        }

        @Override
        public int resolve(int stableReplicas) {
            return count;
        }

        @Override
        public String toString() {
            return Integer.toString(count);
        }
    }

    /**
     * A share of stable's count, rounded up; at least one when above zero.
     *
     * @param percent the share, 0 to 100
     */
    record ShareOfStable(int percent) implements Replicas {
        /**
         * Refuses a share outside 0..100.
         *
         * @param percent the share, 0 to 100
         */
        public ShareOfStable {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("replica share must be within 0..100: " + percent);
            }
        }

        @Override
        public int resolve(int stableReplicas) {
            return ofWeight(stableReplicas, percent);
        }

        @Override
        public String toString() {
            return percent == 100 ? "full" : percent + "% of stable";
        }
    }

    /**
     * Replicas out of {@code total} that carry {@code weight} percent of traffic: rounded up, so the
     * candidate has the capacity for its share; at least one for any weight above zero.
     *
     * @param total  stable's count
     * @param weight the candidate's weight, in percent
     * @return the candidate's replicas, 0 to {@code total}
     */
    static int ofWeight(int total, int weight) {
        if (weight <= 0 || total <= 0) {
            return 0;
        }
        int count = (total * Math.min(weight, 100) + 99) / 100; // round up
        return Math.max(1, Math.min(total, count));
    }

    /**
     * The replicas of each role that approximate {@code weight} on a router that follows replica
     * counts, for a stable that ran {@code total} replicas: the candidate gets its share rounded up;
     * stable keeps the rest, and at least one replica for any weight below 100, so the candidate never
     * carries all traffic before promotion and stable keeps the capacity for its share (the total
     * surges to {@code total + 1} when needed).
     *
     * @param total  stable's count when the rollout started
     * @param weight the candidate's weight, 0 to 100
     * @return the replicas of each role
     */
    static Split replicaSplit(int total, int weight) {
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("weight must be within 0..100: " + weight);
        }
        if (total <= 0) {
            return new Split(0, 0);
        }
        int candidate = ofWeight(total, weight);
        int stable = weight == 100 ? 0 : Math.max(1, total - candidate);
        return new Split(candidate, stable);
    }

    /**
     * Replicas of the candidate and of stable at one weight; see {@link #replicaSplit}.
     *
     * @param candidate the candidate's replicas
     * @param stable    stable's replicas
     */
    record Split(int candidate, int stable) {
        /**
         * Refuses negative counts.
         *
         * @param candidate the candidate's replicas
         * @param stable    stable's replicas
         */
        public Split {
            if (candidate < 0 || stable < 0) {
                throw new IllegalArgumentException("replicas must not be negative: candidate " + candidate + ", stable " + stable);
            }
        }

        /**
         * The weight these replicas really carry on a router that follows ready replicas, in whole percent.
         *
         * @return the candidate's share of all replicas, 0 to 100
         */
        public int effectiveWeight() {
            return Replicas.effectiveWeight(candidate + stable, candidate);
        }
    }

    /**
     * The weight {@code candidate} replicas out of {@code total} really carry, in whole percent.
     *
     * @param total     all ready replicas
     * @param candidate the candidate's ready replicas
     * @return the candidate's share, 0 to 100; 0 when there are none
     */
    static int effectiveWeight(int total, int candidate) {
        return total <= 0 ? 0 : Math.round(candidate * 100f / total);
    }
}
