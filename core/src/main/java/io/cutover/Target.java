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

    public static Builder builder(String application) {
        return new Builder(application);
    }

    public Builder toBuilder() {
        return new Builder(application).workloads(workloads).router(router).health(health).metrics(metrics).changes(changes);
    }

    public String application() { return application; }
    public Workloads workloads() { return workloads; }
    public TrafficRouter router() { return router; }
    public HealthProbe health() { return health; }
    public MetricSource metrics() { return metrics; }
    /** What tells the engine the platform changed, so a wait looks again at once; {@link ChangeSignal#NONE} by default. */
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

        public Builder workloads(Workloads workloads) {
            this.workloads = Checks.notNull("workloads", workloads);
            return this;
        }

        public Builder router(TrafficRouter router) {
            this.router = Checks.notNull("router", router);
            return this;
        }

        public Builder health(HealthProbe health) {
            this.health = Checks.notNull("health", health);
            return this;
        }

        public Builder metrics(MetricSource metrics) {
            this.metrics = Checks.notNull("metrics", metrics);
            return this;
        }

        /**
         * What signals a change of the target's objects (a watch), so that a rollout waiting for
         * readiness looks again at once; the engine's poll interval stays as the fallback. Default
         * {@link ChangeSignal#NONE}: polling only.
         */
        public Builder changes(ChangeSignal changes) {
            this.changes = Checks.notNull("changes", changes);
            return this;
        }

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
