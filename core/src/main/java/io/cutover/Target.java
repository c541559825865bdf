package io.cutover;

import io.cutover.internal.Checks;
import io.cutover.spi.ChangeSignal;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.MetricSource;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.Workloads;
import java.util.Objects;

/**
 * The platform a rollout runs on: the adapters for workloads, traffic, health and metrics of one
 * application.
 *
 * <pre>{@code
 * Target target = Target.builder("myapp")
 *         .workloads(workloads)
 *         .router(router)
 *         .metrics(prometheus)       // default: MetricSource.NONE (metric gates are inconclusive)
 *         .health(Probes.http(uri).build())  // default: HealthProbe.NONE
 *         .build();
 * }</pre>
 */
public final class Target {

    private final String application;
    private final Workloads workloads;
    private final TrafficRouter router;
    private final HealthProbe health;
    private final MetricSource metrics;
    private final ChangeSignal changes;

    private Target(Builder b) {
        this.application = b.application;
        this.workloads = b.workloads;
        this.router = b.router;
        this.health = b.health;
        this.metrics = b.metrics;
        this.changes = b.changes;
    }

    /**
     * Starts a target for {@code application}. Defaults: no health probe ({@link HealthProbe#NONE}) and no
     * metric source ({@link MetricSource#NONE}); workloads and router are required.
     *
     * @param application the application's name, not blank
     * @return a new builder
     */
    public static Builder builder(String application) {
        return new Builder(application);
    }

    /**
     * A builder holding this target's adapters, to derive a changed copy (to wrap one adapter, say).
     *
     * @return a new builder with these adapters
     */
    public Builder toBuilder() {
        return new Builder(application).workloads(workloads).router(router).health(health).metrics(metrics).changes(changes);
    }

    /**
     * The application this target serves.
     *
     * @return the name
     */
    public String application() { return application; }
    /**
     * The adapter that creates, scales, promotes and retires revisions.
     *
     * @return the workloads
     */
    public Workloads workloads() { return workloads; }
    /**
     * The adapter that sets and reads the traffic split.
     *
     * @return the router
     */
    public TrafficRouter router() { return router; }
    /**
     * The probe of a revision's health.
     *
     * @return the probe, {@link HealthProbe#NONE} unless one was given
     */
    public HealthProbe health() { return health; }
    /**
     * Where gates read metrics.
     *
     * @return the source, {@link MetricSource#NONE} unless one was given
     */
    public MetricSource metrics() { return metrics; }
    /**
     * What tells the engine the platform changed, so a wait looks again at once.
     *
     * @return the signal, {@link ChangeSignal#NONE} unless one was given
     */
    public ChangeSignal changes() { return changes; }

    @Override
    public String toString() {
        return "Target[" + application + "]";
    }

    /** Builds a {@link Target}; workloads and router are required. */
    public static final class Builder {
        private final String application;
        private Workloads workloads;
        private TrafficRouter router;
        private HealthProbe health = HealthProbe.NONE;
        private MetricSource metrics = MetricSource.NONE;
        private ChangeSignal changes = ChangeSignal.NONE;

        private Builder(String application) {
            if (application == null || application.isBlank()) {
                throw new IllegalArgumentException("application must not be blank");
            }
            this.application = application;
        }

        /**
         * The workloads adapter; required.
         *
         * @param workloads the adapter
         * @return this builder
         */
        public Builder workloads(Workloads workloads) {
            this.workloads = Checks.notNull("workloads", workloads);
            return this;
        }

        /**
         * The traffic router; required.
         *
         * @param router the adapter
         * @return this builder
         */
        public Builder router(TrafficRouter router) {
            this.router = Checks.notNull("router", router);
            return this;
        }

        /**
         * The health probe. Default {@link HealthProbe#NONE}.
         *
         * @param health the probe
         * @return this builder
         */
        public Builder health(HealthProbe health) {
            this.health = Checks.notNull("health", health);
            return this;
        }

        /**
         * The metric source. Default {@link MetricSource#NONE}.
         *
         * @param metrics the source
         * @return this builder
         */
        public Builder metrics(MetricSource metrics) {
            this.metrics = Checks.notNull("metrics", metrics);
            return this;
        }

        /**
         * What signals a change of the target's objects (a watch), so that a rollout waiting for
         * readiness looks again at once; the engine's poll interval stays as the fallback. Default
         * {@link ChangeSignal#NONE}: polling only.
         *
         * @param changes the change signal
         * @return this builder
         */
        public Builder changes(ChangeSignal changes) {
            this.changes = Checks.notNull("changes", changes);
            return this;
        }

        /**
         * Builds the target.
         *
         * @return the target
         * @throws IllegalArgumentException if workloads or router is missing
         */
        public Target build() {
            if (workloads == null) {
                throw new IllegalArgumentException("target '" + application + "' needs workloads");
            }
            if (router == null) {
                throw new IllegalArgumentException("target '" + application + "' needs a router");
            }
            return new Target(this);
        }
    }
}
