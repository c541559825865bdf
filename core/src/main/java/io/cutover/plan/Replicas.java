package io.cutover.plan;

/** A replica count in a plan: fixed, or a share of stable's count when the rollout started. */
public sealed interface Replicas {

    static Replicas exactly(int count) {
        return new Exactly(count);
    }

    /** {@code percent} of stable's replicas, rounded to the closest whole number (ties up), at least one when above zero. */
    static Replicas shareOfStable(int percent) {
        return new ShareOfStable(percent);
    }

    static Replicas full() {
        return new ShareOfStable(100);
    }

    /** The count for a rollout whose stable ran {@code stableReplicas} when it started. */
    int resolve(int stableReplicas);

    record Exactly(int count) implements Replicas {
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

    record ShareOfStable(int percent) implements Replicas {
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
     * Replicas out of {@code total} that carry {@code weight} percent of traffic: the closest whole
     * number, ties rounded up, at least one for any weight above zero.
     */
    static int ofWeight(int total, int weight) {
        if (weight <= 0 || total <= 0) {
            return 0;
        }
        int count = (total * weight * 2 + 100) / 200; // round half up
        return Math.max(1, Math.min(total, count));
    }

    /** The weight {@code candidate} replicas out of {@code total} really carry, in whole percent. */
    static int effectiveWeight(int total, int candidate) {
        return total <= 0 ? 0 : Math.round(candidate * 100f / total);
    }
}
