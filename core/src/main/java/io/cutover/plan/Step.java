package io.cutover.plan;

import io.cutover.gate.Gate;
import io.cutover.gate.GatePolicy;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.HookStage;
import io.cutover.spi.Role;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One step of a {@link Plan}. Each says what the world must look like, not what to change, so
 * running it again after a crash is safe.
 */
public sealed interface Step {

    /**
     * A line for people.
     *
     * @return the step in words, as {@link Plan#describe()} numbers it
     */
    String describe();

    /**
     * Whether a full promotion skips this step (pauses and analyses).
     *
     * @return {@code true} for pauses and analyses
     */
    default boolean skippedOnFullPromotion() {
        return false;
    }

    /** The candidate role runs the rollout's revision with this many replicas. */
    record Deploy(Replicas replicas) implements Step {
        /**
         * Refuses a missing count.
         *
         * @param replicas the candidate's replicas
         */
        public Deploy { Objects.requireNonNull(replicas, "replicas"); }
        @Override public String describe() {
            return "deploy candidate with " + replicas + (replicas.equals(Replicas.exactly(1)) ? " replica" : " replicas");
        }
    }

    /** A role runs this many replicas. */
    record Scale(Role role, Replicas replicas) implements Step {
        /**
         * Refuses a missing role or count.
         *
         * @param role     the role to scale
         * @param replicas its replicas
         */
        public Scale { Objects.requireNonNull(role, "role"); Objects.requireNonNull(replicas, "replicas"); }
        @Override public String describe() { return "scale " + role.name().toLowerCase() + " to " + replicas; }
    }

    /** Wait until every desired replica of a role is updated and available (bounded by the progress deadline). */
    record AwaitReady(Role role) implements Step {
        /**
         * Refuses a missing role.
         *
         * @param role the role to wait for
         */
        public AwaitReady { Objects.requireNonNull(role, "role"); }
        @Override public String describe() { return "await " + role.name().toLowerCase() + " ready"; }
    }

    /** The candidate receives {@code weight} percent of traffic. */
    record SetWeight(int weight) implements Step {
        /**
         * Refuses a weight outside 0..100.
         *
         * @param weight the candidate's percent of traffic
         */
        public SetWeight {
            if (weight < 0 || weight > 100) {
                throw new IllegalArgumentException("weight must be within 0..100: " + weight);
            }
        }
        @Override public String describe() { return "set candidate weight " + weight + "%"; }
    }

    /** Requests matching any of these go to the candidate; an empty list removes the routes. */
    record SetHeaderRoutes(List<HeaderMatch> matches) implements Step {
        /**
         * Copies the matches.
         *
         * @param matches the header matches, empty to remove the routes
         */
        public SetHeaderRoutes { matches = List.copyOf(matches); }
        @Override public String describe() {
            return matches.isEmpty() ? "remove header routes"
                    : "route " + matches.stream().map(m -> m.header() + " " + m.kind().name().toLowerCase() + " '" + m.value() + "'")
                    .collect(Collectors.joining(" or ")) + " to candidate";
        }
    }

    /** A copy of {@code percent} percent of requests goes to the candidate; 0 stops mirroring. */
    record SetMirror(int percent) implements Step {
        /**
         * Refuses a percent outside 0..100.
         *
         * @param percent the percent of requests copied to the candidate
         */
        public SetMirror {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("mirror percent must be within 0..100: " + percent);
            }
        }
        @Override public String describe() { return percent == 0 ? "stop mirroring" : "mirror " + percent + "% of requests to candidate"; }
    }

    /** All traffic to stable: no weight, no header routes, no mirror. */
    record ResetTraffic() implements Step {
        @Override public String describe() { return "send all traffic to stable"; }
    }

    /**
     * Wait for {@code duration}, or until a person promotes when {@code duration} is {@code null}.
     * A {@code rollbackWindow} pause comes after all traffic moved to the candidate, with stable still
     * at full scale: an abort during it switches traffic straight back.
     */
    record Pause(Duration duration, boolean rollbackWindow) implements Step {
        /** The prefix of a rollback window's description, as events and timelines show it. */
        public static final String ROLLBACK_WINDOW = "rollback window";

        /**
         * Refuses a duration that is zero or negative, and a rollback window without a duration.
         *
         * @param duration       how long to wait, or {@code null} to wait for a person
         * @param rollbackWindow whether this is the rollback window after the switch
         */
        public Pause {
            if (duration != null && (duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException("pause must be positive: " + duration);
            }
            if (rollbackWindow && duration == null) {
                throw new IllegalArgumentException("a rollback window needs a duration");
            }
        }
        /**
         * A plain timed pause.
         *
         * @param duration how long to wait, above zero
         */
        public Pause(Duration duration) { this(duration, false); }
        /**
         * A pause that only a person's promotion ends.
         *
         * @return the pause
         */
        public static Pause untilPromoted() { return new Pause(null); }
        /**
         * Stable stays up for {@code duration} after the candidate took all traffic.
         *
         * @param duration how long stable stays up, above zero
         * @return the pause
         */
        public static Pause rollbackWindow(Duration duration) { return new Pause(duration, true); }
        /**
         * Whether only a person's promotion ends this pause.
         *
         * @return {@code true} when it has no duration
         */
        public boolean untilPromotedOnly() { return duration == null; }
        @Override public boolean skippedOnFullPromotion() { return true; }
        @Override public String describe() {
            return duration == null ? "pause until promoted"
                    : rollbackWindow ? ROLLBACK_WINDOW + " " + duration + ": stable kept, an abort switches back at once"
                    : "pause " + duration;
        }
    }

    /** Measure {@code gates} as {@code policy} says; FAILED or too many ERRORs abort, INCONCLUSIVE pauses. */
    record Analyze(String name, List<Gate> gates, GatePolicy policy) implements Step {
        /**
         * Copies the gates and refuses a missing name or policy, or no gates.
         *
         * @param name   the analysis's name, as measurements show it
         * @param gates  the gates, one or more
         * @param policy how they are measured
         */
        public Analyze {
            Objects.requireNonNull(name, "name");
            gates = List.copyOf(gates);
            Objects.requireNonNull(policy, "policy");
            if (gates.isEmpty()) {
                throw new IllegalArgumentException("analysis '" + name + "' needs at least one gate");
            }
        }
        @Override public boolean skippedOnFullPromotion() { return true; }
        @Override public String describe() {
            return "analyze " + name + ": " + gates.stream().map(Plan::display).collect(Collectors.joining(", ")) + " (" + policy + ")";
        }
    }

    /** Run the hooks registered for a stage; a failing one aborts. */
    record RunHooks(HookStage stage) implements Step {
        /**
         * Refuses a missing stage.
         *
         * @param stage the stage whose hooks run
         */
        public RunHooks { Objects.requireNonNull(stage, "stage"); }
        @Override public String describe() { return "run " + stage.name().toLowerCase().replace('_', '-') + " hooks"; }
    }

    /** The candidate becomes stable. From here on there is nothing to roll back to. */
    record Promote() implements Step {
        @Override public String describe() { return "promote candidate to stable"; }
    }

    /**
     * Scale a role to zero and release it. After a promotion the candidate role holds the previous
     * revision ({@code afterPromotion}); before one, it holds the candidate itself.
     */
    record Retire(Role role, boolean afterPromotion) implements Step {
        /**
         * Refuses a missing role.
         *
         * @param role           the role to retire
         * @param afterPromotion whether the promotion already happened
         */
        public Retire { Objects.requireNonNull(role, "role"); }
        /**
         * Retires a role after the promotion: for the candidate role, the previous revision.
         *
         * @param role the role to retire
         */
        public Retire(Role role) { this(role, true); }
        @Override public String describe() {
            return "retire " + (role == Role.STABLE ? "stable" : afterPromotion ? "previous revision" : "candidate");
        }
    }
}
