package io.cutover.gate;

import io.cutover.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * How gates are measured and when their verdicts stop a rollout.
 *
 * <p>Every analysis takes its first round one interval (plus the initial delay) after it starts, so the
 * metric window holds data of what it judges: a step's analysis after the step begins, background gates
 * after the candidate first gets traffic.
 *
 * <p>Defaults: interval 1 minute, count 3, no initial delay, metric window 5 minutes, failure limit 0
 * (the first FAILED aborts), consecutive error limit 4 (the fifth ERROR in a row aborts),
 * inconclusive limit 0 (the first INCONCLUSIVE pauses for a person), no data counts as INCONCLUSIVE.
 *
 * <pre>{@code GatePolicy.builder().interval(Duration.ofSeconds(30)).count(10).failureLimit(1).build()}</pre>
 */
public final class GatePolicy {

    /** The policy with every default listed on the class. */
    public static final GatePolicy DEFAULT = builder().build();

    private final Duration interval;
    private final int count;
    private final Duration initialDelay;
    private final Duration window;
    private final int failureLimit;
    private final int consecutiveErrorLimit;
    private final int inconclusiveLimit;
    private final Verdict noData;

    private GatePolicy(Builder b) {
        this.interval = b.interval;
        this.count = b.count;
        this.initialDelay = b.initialDelay;
        this.window = b.window;
        this.failureLimit = b.failureLimit;
        this.consecutiveErrorLimit = b.consecutiveErrorLimit;
        this.inconclusiveLimit = b.inconclusiveLimit;
        this.noData = b.noData;
    }

    /**
     * Starts a policy with the defaults listed on the class.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this policy's settings, to derive a changed copy.
     *
     * @return a new builder with these settings
     */
    public Builder toBuilder() {
        return new Builder().interval(interval).count(count).initialDelay(initialDelay).window(window)
                .failureLimit(failureLimit).consecutiveErrorLimit(consecutiveErrorLimit)
                .inconclusiveLimit(inconclusiveLimit).noData(noData);
    }

    /**
     * The time between rounds. Default 1 minute.
     *
     * @return the interval
     */
    public Duration interval() { return interval; }
    /**
     * The rounds an analysis step takes before it passes. Default 3.
     *
     * @return the count, 1 or more
     */
    public int count() { return count; }
    /**
     * The wait before the first round, on top of one interval. Default none.
     *
     * @return the delay, zero or more
     */
    public Duration initialDelay() { return initialDelay; }
    /**
     * How far back each metric query looks. Default 5 minutes.
     *
     * @return the window
     */
    public Duration window() { return window; }
    /**
     * FAILED rounds tolerated; one more aborts. Default 0.
     *
     * @return the limit, 0 or more
     */
    public int failureLimit() { return failureLimit; }
    /**
     * ERROR rounds in a row tolerated; one more aborts. Default 4.
     *
     * @return the limit, 0 or more
     */
    public int consecutiveErrorLimit() { return consecutiveErrorLimit; }
    /**
     * INCONCLUSIVE rounds tolerated; one more pauses for a person. Default 0.
     *
     * @return the limit, 0 or more
     */
    public int inconclusiveLimit() { return inconclusiveLimit; }
    /**
     * The verdict for an answer with no data or NaN: INCONCLUSIVE or ERROR, never PASSED.
     *
     * @return {@link Verdict#INCONCLUSIVE} (the default) or {@link Verdict#ERROR}
     */
    public Verdict noData() { return noData; }

    @Override
    public String toString() {
        return "every " + interval + " x" + count + (initialDelay.isZero() ? "" : " after " + initialDelay)
                + ", window " + window + ", limits failure=" + failureLimit + " error=" + consecutiveErrorLimit
                + " inconclusive=" + inconclusiveLimit + ", no data=" + noData;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GatePolicy p && interval.equals(p.interval) && count == p.count
                && initialDelay.equals(p.initialDelay) && window.equals(p.window) && failureLimit == p.failureLimit
                && consecutiveErrorLimit == p.consecutiveErrorLimit && inconclusiveLimit == p.inconclusiveLimit
                && noData == p.noData;
    }

    @Override
    public int hashCode() {
        return Objects.hash(interval, count, initialDelay, window, failureLimit, consecutiveErrorLimit, inconclusiveLimit, noData);
    }

    /** Builds a {@link GatePolicy}; every setter validates its argument. */
    public static final class Builder {
        private Duration interval = Duration.ofMinutes(1);
        private int count = 3;
        private Duration initialDelay = Duration.ZERO;
        private Duration window = Duration.ofMinutes(5);
        private int failureLimit = 0;
        private int consecutiveErrorLimit = 4;
        private int inconclusiveLimit = 0;
        private Verdict noData = Verdict.INCONCLUSIVE;

        private Builder() { }

        /**
         * The time between rounds. Default 1 minute.
         *
         * @param interval above zero
         * @return this builder
         */
        public Builder interval(Duration interval) {
            this.interval = Checks.positive("interval", interval);
            return this;
        }

        /**
         * The rounds an analysis step takes before it passes. Default 3.
         *
         * @param count 1 or more
         * @return this builder
         */
        public Builder count(int count) {
            this.count = Checks.atLeast("count", count, 1);
            return this;
        }

        /**
         * The wait before the first round, on top of one interval. Default none.
         *
         * @param initialDelay zero or more
         * @return this builder
         */
        public Builder initialDelay(Duration initialDelay) {
            this.initialDelay = Checks.notNegative("initialDelay", initialDelay);
            return this;
        }

        /**
         * How far back each metric query looks. Default 5 minutes.
         *
         * @param window above zero
         * @return this builder
         */
        public Builder window(Duration window) {
            this.window = Checks.positive("window", window);
            return this;
        }

        /**
         * FAILED rounds tolerated; one more aborts. Default 0.
         *
         * @param failureLimit 0 or more
         * @return this builder
         */
        public Builder failureLimit(int failureLimit) {
            this.failureLimit = Checks.atLeast("failureLimit", failureLimit, 0);
            return this;
        }

        /**
         * ERROR rounds in a row tolerated; one more aborts. Default 4.
         *
         * @param consecutiveErrorLimit 0 or more
         * @return this builder
         */
        public Builder consecutiveErrorLimit(int consecutiveErrorLimit) {
            this.consecutiveErrorLimit = Checks.atLeast("consecutiveErrorLimit", consecutiveErrorLimit, 0);
            return this;
        }

        /**
         * INCONCLUSIVE rounds tolerated; one more pauses for a person. Default 0.
         *
         * @param inconclusiveLimit 0 or more
         * @return this builder
         */
        public Builder inconclusiveLimit(int inconclusiveLimit) {
            this.inconclusiveLimit = Checks.atLeast("inconclusiveLimit", inconclusiveLimit, 0);
            return this;
        }

        /**
         * The verdict for an answer with no data or NaN. Default INCONCLUSIVE.
         *
         * @param verdict INCONCLUSIVE or ERROR; PASSED and FAILED are refused
         * @return this builder
         */
        public Builder noData(Verdict verdict) {
            Checks.notNull("noData", verdict);
            if (verdict != Verdict.INCONCLUSIVE && verdict != Verdict.ERROR) {
                throw new IllegalArgumentException("noData must be INCONCLUSIVE or ERROR: " + verdict);
            }
            this.noData = verdict;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return an immutable policy
         */
        public GatePolicy build() {
            return new GatePolicy(this);
        }
    }
}
