package io.cutover.ecs;

import io.cutover.CutoverException;
import io.cutover.ecs.internal.AwsCalls;
import io.cutover.ecs.internal.TaskDefinitions;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * An ECS service with the {@code ECS} (rolling) deployment controller, as the workloads and the
 * router of a rollout run by the {@code RolloutEngine}: ECS replaces the tasks, Cutover's plan
 * decides when the new task definition goes in, when it is judged and whether it stays.
 *
 * <pre>{@code
 * EcsRollingService worker = EcsRollingService.builder(aws.ecs(), "prod", "worker")
 *         .minimumHealthyPercent(100).maximumPercent(200)
 *         .build();
 * Target target = Target.builder("worker").workloads(worker).router(worker).metrics(metrics).build();
 * engine.start("worker", Deployment.rolling().batchGate(successRate(0.99)).build(), Revision.of("v2", "worker:2"), target);
 * }</pre>
 *
 * <p>How the roles map: the candidate is the service's {@code PRIMARY} deployment while it runs
 * another task definition than the one the service ran before the rollout; the stable role is the
 * deployments still running that earlier task definition. Before the service is pointed at the
 * candidate, the earlier task definition is written to the service's tag
 * {@value #PREVIOUS_TAG} (so a rollback after a crash knows where to return without anyone
 * remembering it); {@link #promote} removes the tag once ECS reports the deployment
 * {@code COMPLETED}. ECS decides how many tasks each deployment runs (from
 * {@code minimumHealthyPercent}/{@code maximumPercent}), so the plan's intermediate scale steps
 * change nothing and the candidate counts as ready when ECS has completed the deployment; scaling
 * stable back to the service's full count (what an abort does) points the service back at the
 * previous task definition, and ECS rolls the tasks back. Traffic follows the tasks (both
 * deployments sit behind the same target group), so this router reports the candidate's share of
 * running tasks ({@link RouterCapability#REPLICA_RATIO}) and sending all traffic to stable is the
 * same rollback. A deployment ECS's circuit breaker failed is reported as a failure of the
 * candidate, and the rollout aborts.
 *
 * <p>ECS replaces tasks on its own schedule, so this router declares {@link RouterCapability#CONVERGING}:
 * the engine waits for what it reads within the plan's progress deadline. A revision's artifact is its
 * task definition ARN; the stable role reports the ARN ECS gives, the candidate the revision's name.
 *
 * <p>Every other field of the service's deployment configuration (alarms, bake time...) is kept.
 * Defaults: 100% minimum healthy, 200% maximum, ECS's circuit breaker on with rollback.
 */
public final class EcsRollingService implements Workloads, TrafficRouter {

    /** The service tag holding the task definition a rollback returns to, while a rollout runs. */
    public static final String PREVIOUS_TAG = "cutover:previous-task-definition";
    /** The service tag holding the candidate revision's name, while a rollout runs. */
    public static final String REVISION_TAG = "cutover:candidate-revision";

    private static final Logger log = LoggerFactory.getLogger(EcsRollingService.class);
    private static final String PRIMARY = "PRIMARY";

    private final EcsClient ecs;
    private final String cluster;
    private final String service;
    private final int minimumHealthyPercent;
    private final int maximumPercent;
    private final boolean circuitBreaker;
    private final boolean circuitBreakerRollback;

    private EcsRollingService(Builder b) {
        this.ecs = b.ecs;
        this.cluster = b.cluster;
        this.service = b.service;
        this.minimumHealthyPercent = b.minimumHealthyPercent;
        this.maximumPercent = b.maximumPercent;
        this.circuitBreaker = b.circuitBreaker;
        this.circuitBreakerRollback = b.circuitBreakerRollback;
    }

    /**
     * A builder for the rolling updates of {@code service} in {@code cluster}.
     *
     * @param ecs the ECS client
     * @param cluster the cluster's name or ARN
     * @param service the service's name or ARN
     * @return a new builder
     * @throws IllegalArgumentException if the cluster or service is blank
     */
    public static Builder builder(EcsClient ecs, String cluster, String service) {
        return new Builder(ecs, cluster, service);
    }

    // ------------------------------------------------------------------ Workloads

    /** Points the service at the revision's task definition, unless its primary deployment already runs it. */
    @Override
    public void deploy(Revision revision, int replicas) {
        Objects.requireNonNull(revision, "revision");
        TaskDefinitions.requireArn(revision);
        View v = view();
        String current = v.primary().map(Deployment::taskDefinition).orElse(v.service().taskDefinition());
        if (same(current, revision.artifact())) {
            return;
        }
        if (!v.isCandidate(current)) {
            // Remember where a rollback returns to before anything changes; a crash right after leaves only the tag.
            tag(current, revision.name());
        }
        update(revision.artifact(), v.service());
        log.info("service {}: rolling from {} to {} ({})", service, current, revision.artifact(), revision.name());
    }

    /**
     * ECS sizes its deployments itself. Scaling stable to the service's full count while a candidate
     * rolls (the first step of an abort) puts the previous task definition back; scaling the
     * candidate to zero does the same; any other count is ECS's to reach and changes nothing.
     */
    @Override
    public void scale(Role role, int replicas) {
        Objects.requireNonNull(role, "role");
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative: " + replicas);
        }
        View v = view();
        boolean back = role == Role.STABLE ? replicas >= nz(v.service().desiredCount()) : replicas == 0;
        if (back && v.candidateDeployment().isPresent()) {
            rollBack(v, role == Role.STABLE ? "stable scaled back to " + replicas : "candidate scaled to 0");
        }
    }

    @Override
    public WorkloadStatus status(Role role) {
        Objects.requireNonNull(role, "role");
        View v = view();
        if (role == Role.CANDIDATE) {
            Optional<Deployment> failed = v.failedCandidate();
            Optional<Deployment> candidate = v.candidateDeployment();
            if (candidate.isEmpty()) {
                if (failed.isEmpty() && v.revisionName() != null && v.previous() != null
                        && v.primary().filter(d -> same(d.taskDefinition(), v.previous())).isPresent()) {
                    // a rollout's candidate is gone and the service runs what it ran before: rolled back (by ECS's
                    // breaker, whose failed deployment ECS already removed, by a person, or by this rollout's abort)
                    return new WorkloadStatus(v.revisionName(), 0, 0, 0, 0, "service " + service + " runs "
                            + v.previous() + " again: the deployment of candidate " + v.revisionName() + " is gone (rolled back)");
                }
                return failed.map(d -> new WorkloadStatus(v.candidateName(d.taskDefinition()), nz(d.desiredCount()), 0, 0, 0,
                        "ECS deployment " + d.id() + " of " + d.taskDefinition() + " " + d.rolloutStateAsString()
                                + ": " + d.rolloutStateReason())).orElse(WorkloadStatus.absent());
            }
            Deployment d = candidate.get();
            int running = nz(d.runningCount());
            boolean completed = d.rolloutState() == DeploymentRolloutState.COMPLETED;
            String failure = d.rolloutState() == DeploymentRolloutState.FAILED
                    ? "ECS deployment " + d.id() + " failed: " + d.rolloutStateReason() : null;
            return new WorkloadStatus(v.candidateName(d.taskDefinition()), nz(d.desiredCount()),
                    completed ? running : Math.min(running, nz(d.desiredCount()) - 1), running, running, failure);
        }
        List<Deployment> stable = v.stableDeployments();
        if (stable.isEmpty()) {
            return WorkloadStatus.absent();
        }
        int desired = stable.stream().mapToInt(d -> nz(d.desiredCount())).sum();
        int running = stable.stream().mapToInt(d -> nz(d.runningCount())).sum();
        boolean rolling = stable.stream().anyMatch(d -> d.rolloutState() == DeploymentRolloutState.IN_PROGRESS
                && PRIMARY.equals(d.status()));
        return new WorkloadStatus(name(stable.get(0).taskDefinition()), desired, rolling ? Math.min(running, desired - 1) : running,
                running, running, null);
    }

    /**
     * The revision stays: once ECS has completed the deployment running it, the rollback tag is
     * removed. Refused while the service runs another task definition; while ECS is still rolling it
     * changes nothing and the engine reads the stable role back until it shows the revision.
     */
    @Override
    public void promote(Revision revision) {
        Objects.requireNonNull(revision, "revision");
        View v = view();
        Optional<Deployment> primary = v.primary();
        if (primary.isEmpty() || !same(primary.get().taskDefinition(), revision.artifact())) {
            throw CutoverException.permanent("promote " + revision.name(), "service " + service + " does not run "
                    + revision.artifact() + " (its primary deployment runs "
                    + primary.map(Deployment::taskDefinition).orElse("nothing") + ")", null);
        }
        if (primary.get().rolloutState() != DeploymentRolloutState.COMPLETED) {
            // ECS is still replacing tasks: the engine reads stable back until it shows the revision (CONVERGING)
            log.debug("service {}: {} not completed yet ({}); promotion waits for ECS", service, revision.artifact(),
                    primary.get().rolloutStateAsString());
            return;
        }
        if (v.previous() != null) {
            AwsCalls.call("UntagResource " + v.service().serviceArn(), () -> ecs.untagResource(r -> r
                    .resourceArn(v.service().serviceArn()).tagKeys(PREVIOUS_TAG, REVISION_TAG)));
            log.info("service {}: {} is stable", service, revision.name());
        }
    }

    /** ECS retires the tasks of older deployments itself; a candidate still rolling is rolled back. */
    @Override
    public void retire(Role role) {
        scale(role, 0);
    }

    // ------------------------------------------------------------------ TrafficRouter

    @Override
    public java.util.Set<RouterCapability> capabilities() {
        return java.util.Set.of(RouterCapability.REPLICA_RATIO, RouterCapability.CONVERGING);
    }

    /** Traffic follows the tasks: all on stable rolls the candidate back; any other split is the tasks' to give. */
    @Override
    public void apply(TrafficSplit split) {
        Objects.requireNonNull(split, "split");
        if (!split.candidateMatches().isEmpty() || split.mirrorPercent() > 0) {
            throw new IllegalArgumentException("an ECS rolling service can only split by tasks, not " + split);
        }
        if (split.candidateWeight() == 0) {
            View v = view();
            if (v.candidateDeployment().isPresent()) {
                rollBack(v, "all traffic to stable");
            }
        }
    }

    /** The candidate's share of the running tasks behind the service's target groups. */
    @Override
    public TrafficSplit read() {
        View v = view();
        // Every deployment of another task definition than the previous one: a rolled-back candidate drains too.
        int candidate = v.service().deployments().stream().filter(d -> v.isCandidate(d.taskDefinition()))
                .mapToInt(d -> nz(d.runningCount())).sum();
        int stable = v.stableDeployments().stream().mapToInt(d -> nz(d.runningCount())).sum();
        if (candidate == 0) {
            return TrafficSplit.stableOnly();
        }
        return TrafficSplit.weighted((int) Math.round(100.0 * candidate / (candidate + stable)));
    }

    @Override
    public String toString() {
        return "EcsRollingService[" + cluster + "/" + service + "]";
    }

    // ------------------------------------------------------------------ internals

    private void rollBack(View v, String why) {
        String previous = v.previous();
        if (previous == null) {
            throw CutoverException.permanent("UpdateService " + service, "service " + service
                    + " has no " + PREVIOUS_TAG + " tag: the task definition to roll back to is not known", null);
        }
        log.warn("service {}: rolling back to {} ({})", service, previous, why);
        update(previous, v.service());
    }

    private void tag(String previous, String revisionName) {
        String arn = view().service().serviceArn();
        AwsCalls.call("TagResource " + arn, () -> ecs.tagResource(r -> r.resourceArn(arn).tags(
                Tag.builder().key(PREVIOUS_TAG).value(previous).build(),
                Tag.builder().key(REVISION_TAG).value(revisionName).build())));
    }

    private void update(String taskDefinition, Service current) {
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

    private View view() {
        List<Service> services = AwsCalls.call("DescribeServices " + service,
                () -> ecs.describeServices(r -> r.cluster(cluster).services(service).include(ServiceField.TAGS)).services());
        if (services.isEmpty()) {
            throw CutoverException.permanent("DescribeServices " + service, "service " + service + " not found in cluster " + cluster, null);
        }
        Service s = services.get(0);
        String previous = null;
        String revision = null;
        if (s.hasTags()) {
            for (Tag t : s.tags()) {
                if (PREVIOUS_TAG.equals(t.key())) {
                    previous = t.value();
                } else if (REVISION_TAG.equals(t.key())) {
                    revision = t.value();
                }
            }
        }
        return new View(s, previous, revision);
    }

    /** The service as read once, with the rollout's tags. */
    private record View(Service service, String previous, String revisionName) {

        Optional<Deployment> primary() {
            return service.deployments().stream().filter(d -> PRIMARY.equals(d.status())).findFirst();
        }

        boolean isCandidate(String taskDefinition) {
            return previous != null && !same(taskDefinition, previous);
        }

        /** The primary deployment when it runs something else than the task definition before the rollout. */
        Optional<Deployment> candidateDeployment() {
            return primary().filter(d -> isCandidate(d.taskDefinition()));
        }

        /** A deployment of the candidate that ECS gave up on (its circuit breaker put the previous one back). */
        Optional<Deployment> failedCandidate() {
            return service.deployments().stream().filter(d -> !PRIMARY.equals(d.status()))
                    .filter(d -> isCandidate(d.taskDefinition()) && d.rolloutState() == DeploymentRolloutState.FAILED).findFirst();
        }

        /** Deployments running the task definition before the rollout, or the primary when no rollout runs. */
        List<Deployment> stableDeployments() {
            if (previous == null) {
                return primary().map(List::of).orElse(List.of());
            }
            return service.deployments().stream().filter(d -> same(d.taskDefinition(), previous)).toList();
        }

        String candidateName(String taskDefinition) {
            return revisionName != null ? revisionName : name(taskDefinition);
        }
    }

    static boolean same(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return a.equals(b) || a.substring(a.lastIndexOf('/') + 1).equals(b.substring(b.lastIndexOf('/') + 1));
    }

    /** A role is reported by its task definition ARN, as ECS gives it: what the engine compares with a revision's artifact. */
    private static String name(String taskDefinition) {
        return taskDefinition;
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }

    /** Defaults: 100% minimum healthy, 200% maximum, circuit breaker with rollback. */
    public static final class Builder {
        private final EcsClient ecs;
        private final String cluster;
        private final String service;
        private int minimumHealthyPercent = 100;
        private int maximumPercent = 200;
        private boolean circuitBreaker = true;
        private boolean circuitBreakerRollback = true;

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

        /**
         * Tasks that must stay running during the update, in percent of the desired count (0..100).
         *
         * @param percent the minimum healthy percent (default 100)
         * @return this builder
         */
        public Builder minimumHealthyPercent(int percent) {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("minimumHealthyPercent must be within 0..100: " + percent);
            }
            this.minimumHealthyPercent = percent;
            return this;
        }

        /**
         * Tasks allowed during the update, in percent of the desired count (100..200).
         *
         * @param percent the maximum percent (default 200)
         * @return this builder
         */
        public Builder maximumPercent(int percent) {
            if (percent < 100 || percent > 200) {
                throw new IllegalArgumentException("maximumPercent must be within 100..200: " + percent);
            }
            this.maximumPercent = percent;
            return this;
        }

        /**
         * Turns ECS's deployment circuit breaker on or off; when on, ECS rolls back a failing update itself.
         *
         * @param enable whether the circuit breaker is on (default on)
         * @return this builder
         */
        public Builder circuitBreaker(boolean enable) {
            this.circuitBreaker = enable;
            return this;
        }

        /**
         * With the circuit breaker on, whether ECS rolls back itself (default) or only marks the update FAILED.
         *
         * @param rollback whether ECS rolls back a failed update itself
         * @return this builder
         */
        public Builder circuitBreakerRollback(boolean rollback) {
            this.circuitBreakerRollback = rollback;
            return this;
        }

        /**
         * Builds the adapter.
         *
         * @return the adapter
         * @throws IllegalArgumentException if both percentages are 100, leaving no room to replace a task
         */
        public EcsRollingService build() {
            if (minimumHealthyPercent == 100 && maximumPercent == 100) {
                throw new IllegalArgumentException("minimumHealthyPercent 100 with maximumPercent 100 leaves ECS no room to replace a task");
            }
            return new EcsRollingService(this);
        }
    }
}
