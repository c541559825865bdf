package io.cutover.ecs;

import io.cutover.CutoverException;
import io.cutover.ecs.internal.AwsCalls;
import io.cutover.gate.Gate;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.MetricSource;
import io.cutover.spi.Revision;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * ECS's own rolling update of a service with the {@code ECS} deployment controller: Cutover sets
 * the new task definition with {@code minimumHealthyPercent}/{@code maximumPercent}, follows the
 * deployment's {@code rolloutState}, lets the deployment circuit breaker act, checks its gates
 * while the update runs and puts the previous task definition back when one fails.
 *
 * <pre>{@code
 * EcsRollingUpdate rolling = EcsRollingUpdate.builder(aws.ecs(), "prod", "worker")
 *         .minimumHealthyPercent(100).maximumPercent(200)
 *         .circuitBreaker(true)
 *         .gate(CloudWatchAlarmGate.alarms(aws.cloudWatch(), "worker-errors"))
 *         .build();
 * EcsRollingRollout rollout = rolling.start(Revision.of("v2", "worker:2"));
 * EcsRollingProgress end = rollout.watch(scheduler, clock, Duration.ofSeconds(15)).join();
 * }</pre>
 *
 * <p>Every other field of the service's deployment configuration (alarms, bake time...) is kept.
 * Defaults: 100% minimum healthy, 200% maximum, circuit breaker on with rollback.
 */
public final class EcsRollingUpdate {

    private static final Logger log = LoggerFactory.getLogger(EcsRollingUpdate.class);

    final EcsClient ecs;
    final String cluster;
    final String service;
    private final int minimumHealthyPercent;
    private final int maximumPercent;
    private final boolean circuitBreaker;
    private final boolean circuitBreakerRollback;
    final List<Gate> gates;
    final MetricSource metrics;
    final HealthProbe health;

    private EcsRollingUpdate(Builder b) {
        this.ecs = b.ecs;
        this.cluster = b.cluster;
        this.service = b.service;
        this.minimumHealthyPercent = b.minimumHealthyPercent;
        this.maximumPercent = b.maximumPercent;
        this.circuitBreaker = b.circuitBreaker;
        this.circuitBreakerRollback = b.circuitBreakerRollback;
        this.gates = List.copyOf(b.gates);
        this.metrics = b.metrics;
        this.health = b.health;
    }

    public static Builder builder(EcsClient ecs, String cluster, String service) {
        return new Builder(ecs, cluster, service);
    }

    /**
     * Points the service at {@code revision}'s task definition, unless it already is (a repeat after a
     * crash then follows the update already running). The task definition the service ran before is
     * what a rollback returns to.
     */
    public EcsRollingRollout start(Revision revision) {
        Objects.requireNonNull(revision, "revision");
        Service s = describe();
        var primary = s.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst();
        String current = primary.map(software.amazon.awssdk.services.ecs.model.Deployment::taskDefinition).orElse(s.taskDefinition());
        if (EcsRollingRollout.same(current, revision.artifact())) {
            String previous = s.deployments().stream().filter(d -> "ACTIVE".equals(d.status()))
                    .map(software.amazon.awssdk.services.ecs.model.Deployment::taskDefinition).findFirst().orElse(null);
            log.info("service {} already runs {}; following its deployment", service, revision.artifact());
            return new EcsRollingRollout(this, revision, previous);
        }
        update(revision.artifact(), s);
        log.info("service {}: rolling from {} to {}", service, current, revision.artifact());
        return new EcsRollingRollout(this, revision, current);
    }

    /** Follows a rollout started earlier (by another process) whose rollback target is {@code previousTaskDefinition}. */
    public EcsRollingRollout resume(Revision revision, String previousTaskDefinition) {
        return new EcsRollingRollout(this, Objects.requireNonNull(revision, "revision"), previousTaskDefinition);
    }

    void update(String taskDefinition, Service current) {
        DeploymentConfiguration base = current.deploymentConfiguration() == null
                ? DeploymentConfiguration.builder().build() : current.deploymentConfiguration();
        DeploymentConfiguration config = base.toBuilder()
                .minimumHealthyPercent(minimumHealthyPercent)
                .maximumPercent(maximumPercent)
                .deploymentCircuitBreaker(c -> c.enable(circuitBreaker).rollback(circuitBreaker && circuitBreakerRollback))
                .build();
        AwsCalls.call("UpdateService " + service + " to " + taskDefinition, () -> ecs.updateService(r -> r
                .cluster(cluster).service(service).taskDefinition(taskDefinition).deploymentConfiguration(config)));
    }

    Service describe() {
        List<Service> services = AwsCalls.call("DescribeServices " + service,
                () -> ecs.describeServices(r -> r.cluster(cluster).services(service)).services());
        if (services.isEmpty()) {
            throw CutoverException.permanent("DescribeServices " + service, "service " + service + " not found in cluster " + cluster, null);
        }
        return services.get(0);
    }

    /** Defaults: 100% minimum healthy, 200% maximum, circuit breaker with rollback, no gates. */
    public static final class Builder {
        private final EcsClient ecs;
        private final String cluster;
        private final String service;
        private int minimumHealthyPercent = 100;
        private int maximumPercent = 200;
        private boolean circuitBreaker = true;
        private boolean circuitBreakerRollback = true;
        private final List<Gate> gates = new ArrayList<>();
        private MetricSource metrics = MetricSource.NONE;
        private HealthProbe health = HealthProbe.NONE;

        private Builder(EcsClient ecs, String cluster, String service) {
            this.ecs = Objects.requireNonNull(ecs, "ecs");
            if (cluster == null || cluster.isBlank()) {
                throw new IllegalArgumentException("cluster must not be blank: '" + cluster + "'");
            }
            if (service == null || service.isBlank()) {
                throw new IllegalArgumentException("service must not be blank: '" + service + "'");
            }
            this.cluster = cluster;
            this.service = service;
        }

        /** Tasks that must stay running during the update, in percent of the desired count (0..100). */
        public Builder minimumHealthyPercent(int percent) {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("minimumHealthyPercent must be within 0..100: " + percent);
            }
            this.minimumHealthyPercent = percent;
            return this;
        }

        /** Tasks allowed during the update, in percent of the desired count (100..200). */
        public Builder maximumPercent(int percent) {
            if (percent < 100 || percent > 200) {
                throw new IllegalArgumentException("maximumPercent must be within 100..200: " + percent);
            }
            this.maximumPercent = percent;
            return this;
        }

        /** Turns ECS's deployment circuit breaker on or off; when on, ECS rolls back a failing update itself. */
        public Builder circuitBreaker(boolean enable) {
            this.circuitBreaker = enable;
            return this;
        }

        /** With the circuit breaker on, whether ECS rolls back itself (default) or only marks the update FAILED. */
        public Builder circuitBreakerRollback(boolean rollback) {
            this.circuitBreakerRollback = rollback;
            return this;
        }

        public Builder gate(Gate... gates) {
            for (Gate g : gates) {
                this.gates.add(Objects.requireNonNull(g, "gate"));
            }
            return this;
        }

        public Builder metrics(MetricSource metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        public Builder health(HealthProbe health) {
            this.health = Objects.requireNonNull(health, "health");
            return this;
        }

        public EcsRollingUpdate build() {
            if (minimumHealthyPercent == 100 && maximumPercent == 100) {
                throw new IllegalArgumentException("minimumHealthyPercent 100 with maximumPercent 100 leaves ECS no room to replace a task");
            }
            return new EcsRollingUpdate(this);
        }
    }
}
