package io.cutover.sim;

import io.cutover.internal.Checks;
import io.cutover.spi.Revision;
import io.cutover.spi.RouterCapability;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The world a simulated rollout runs in: stable and candidate revisions and how they behave, the
 * load, the router, platform failures, and the seed that makes it all repeatable.
 *
 * <pre>{@code
 * Scenario.builder()
 *         .stable(Revision.of("v1", "app:v1"), 5, Behaviour.healthy())
 *         .candidate(Revision.of("v2", "app:v2"), Behaviour.healthy().withErrorRate(0.2))
 *         .seed(7)
 *         .build();
 * }</pre>
 *
 * Defaults: 50 requests per second, a router with weights, header routes and mirroring, no platform
 * failures, seed 1, a limit of 24 hours of virtual time, readiness polled every 5 seconds.
 */
public record Scenario(String application, Revision stable, int stableReplicas, Behaviour stableBehaviour,
                       Revision candidate, Behaviour candidateBehaviour, double requestsPerSecond,
                       Set<RouterCapability> router, double transientFailures, long seed, Duration limit,
                       Duration pollInterval) {

    /**
     * Refuses a missing stable or candidate revision and copies the router's capabilities.
     *
     * @param application        the application's name
     * @param stable             the revision stable runs
     * @param stableReplicas     its replica count
     * @param stableBehaviour    how it serves
     * @param candidate          the revision rolled out
     * @param candidateBehaviour how it serves
     * @param requestsPerSecond  users' load
     * @param router             what the router can do
     * @param transientFailures  the chance that a platform call fails transiently
     * @param seed               the seed of the traffic model and the failures
     * @param limit              virtual time after which the simulation stops
     * @param pollInterval       how often readiness is polled
     */
    public Scenario {
        Checks.notNull("stable", stable);
        Checks.notNull("candidate", candidate);
        router = Set.copyOf(router);
    }

    /**
     * Starts a scenario with the defaults listed on the class; stable and candidate are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this scenario, to derive a changed copy.
     *
     * @return a new builder with this scenario's settings
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.application = application;
        b.stable = stable;
        b.stableReplicas = stableReplicas;
        b.stableBehaviour = stableBehaviour;
        b.candidate = candidate;
        b.candidateBehaviour = candidateBehaviour;
        b.requestsPerSecond = requestsPerSecond;
        b.router = EnumSet.copyOf(router.isEmpty() ? EnumSet.noneOf(RouterCapability.class) : router);
        b.transientFailures = transientFailures;
        b.seed = seed;
        b.limit = limit;
        b.pollInterval = pollInterval;
        return b;
    }

    /** Builds a {@link Scenario}. */
    public static final class Builder {
        private String application = "app";
        private Revision stable;
        private int stableReplicas;
        private Behaviour stableBehaviour;
        private Revision candidate;
        private Behaviour candidateBehaviour = Behaviour.healthy();
        private double requestsPerSecond = 50;
        private Set<RouterCapability> router = EnumSet.of(RouterCapability.WEIGHTED, RouterCapability.HEADER_ROUTES, RouterCapability.MIRROR);
        private double transientFailures;
        private long seed = 1;
        private Duration limit = Duration.ofHours(24);
        private Duration pollInterval = Duration.ofSeconds(5);

        private Builder() { }

        /**
         * The application's name. Default {@code app}.
         *
         * @param application a non-blank name
         * @return this builder
         */
        public Builder application(String application) {
            this.application = Checks.notBlank("application", application);
            return this;
        }

        /**
         * The revision stable runs at the start, ready.
         *
         * @param revision  the revision
         * @param replicas  its replica count, 1 or more
         * @param behaviour how it serves
         * @return this builder
         */
        public Builder stable(Revision revision, int replicas, Behaviour behaviour) {
            this.stable = Checks.notNull("stable", revision);
            this.stableReplicas = Checks.atLeast("stable replicas", replicas, 1);
            this.stableBehaviour = Checks.notNull("stable behaviour", behaviour);
            return this;
        }

        /**
         * The revision rolled out and how it behaves once it runs.
         *
         * @param revision  the candidate
         * @param behaviour how it serves; default {@link Behaviour#healthy()}
         * @return this builder
         */
        public Builder candidate(Revision revision, Behaviour behaviour) {
            this.candidate = Checks.notNull("candidate", revision);
            this.candidateBehaviour = Checks.notNull("candidate behaviour", behaviour);
            return this;
        }

        /**
         * Users' requests per second. Default 50.
         *
         * @param rps above zero
         * @return this builder
         */
        public Builder requestsPerSecond(double rps) {
            if (!(rps > 0)) {
                throw new IllegalArgumentException("requestsPerSecond must be positive: " + rps);
            }
            this.requestsPerSecond = rps;
            return this;
        }

        /**
         * What the router can do. Default weights, header routes and mirroring.
         *
         * @param capabilities the capabilities; none makes an all-or-nothing router
         * @return this builder
         */
        public Builder router(RouterCapability... capabilities) {
            this.router = capabilities.length == 0 ? EnumSet.noneOf(RouterCapability.class) : EnumSet.copyOf(List.of(capabilities));
            return this;
        }

        /**
         * The chance that any platform call fails transiently.
         *
         * @param rate 0 to 1; default 0
         * @return this builder
         */
        public Builder transientFailures(double rate) {
            this.transientFailures = Checks.fraction("transientFailures", rate);
            return this;
        }

        /**
         * The seed: the same seed, the same report. Default 1.
         *
         * @param seed any number
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Virtual time after which the simulation stops, whatever the phase.
         *
         * @param limit above zero; default 24 hours
         * @return this builder
         */
        public Builder limit(Duration limit) {
            this.limit = Checks.positive("limit", limit);
            return this;
        }

        /**
         * How often the engine polls readiness. Default 5 seconds.
         *
         * @param pollInterval above zero
         * @return this builder
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Checks.positive("pollInterval", pollInterval);
            return this;
        }

        /**
         * Builds the scenario.
         *
         * @return the scenario
         * @throws IllegalArgumentException if stable or the candidate is missing
         */
        public Scenario build() {
            if (stable == null) {
                throw new IllegalArgumentException("stable must be set");
            }
            if (candidate == null) {
                throw new IllegalArgumentException("candidate must be set");
            }
            if (candidate.name().equals(stable.name())) {
                throw new IllegalArgumentException("candidate must differ from stable: " + candidate.name());
            }
            return new Scenario(application, stable, stableReplicas, stableBehaviour, candidate, candidateBehaviour,
                    requestsPerSecond, router, transientFailures, seed, limit, pollInterval);
        }
    }
}
