package io.cutover.ecs;

import io.cutover.BlueGreenBuilder;
import io.cutover.CutoverException;
import io.cutover.Deployment;
import io.cutover.ecs.internal.Args;
import io.cutover.ecs.internal.AwsCalls;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.ServiceRevisionSummary;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentStopType;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * An ECS service that deploys itself with ECS's own blue/green, linear or canary strategy (the
 * {@code ECS} deployment controller, an ALB with an alternate target group), as the workloads and the
 * router of a rollout the {@code RolloutEngine} runs. ECS starts the new service revision, shifts
 * test and production traffic and bakes; Cutover's gates judge the new revision while ECS bakes it,
 * and a failing gate stops the service deployment with {@code ROLLBACK}, so production traffic goes
 * back to the previous revision before ECS removes anything.
 *
 * <pre>{@code
 * EcsNativeDeployment web = EcsNativeDeployment.builder(aws.ecs(), "prod", "web")
 *         .strategy(EcsNativeStrategy.blueGreen())
 *         .bakeTime(Duration.ofMinutes(15))
 *         .build();
 * Target target = Target.builder("web").workloads(web).router(web).metrics(metrics).build();
 * engine.start("web", web.blueGreen().postPromotionGate(errorRate(0.01)).build(), Revision.of("v2", taskDefinitionArn), target);
 * }</pre>
 *
 * <p>How the plan's steps map. <b>deploy</b> tags the service with the task definition it runs
 * ({@value EcsRollingService#PREVIOUS_TAG}) and the revision's name, then calls {@code UpdateService}
 * with the strategy and bake time (every other field of the deployment configuration, lifecycle
 * hooks and alarms included, is kept). ECS moves on by itself and Cutover cannot hold it between
 * stages (SDK 2.40.2 has no pause hook), so the candidate counts as <b>ready</b> once ECS has moved
 * all production traffic to it ({@code POST_PRODUCTION_TRAFFIC_SHIFT}, {@code BAKE_TIME}); the
 * switch to 100% then changes nothing, and the gates judge the bake time: put them after promotion
 * and keep ECS's bake time longer than their analysis (see {@link #blueGreen()}). Sending all traffic
 * to stable, scaling the candidate to zero or stable back to full while the service deployment runs
 * calls {@code StopServiceDeployment} with {@code ROLLBACK}. <b>promote</b> waits (a transient
 * failure the engine retries) until ECS reports the deployment {@code SUCCESSFUL}, then removes the
 * tags. {@link #read()} reports the production weight ECS reports for the new revision. A service
 * deployment that ECS rolled back or stopped on its own (alarms, circuit breaker, a Lambda hook) is a
 * failure of the candidate, and the rollout aborts.
 */
public final class EcsNativeDeployment implements Workloads, TrafficRouter {

    private static final Logger log = LoggerFactory.getLogger(EcsNativeDeployment.class);

    private final EcsClient ecs;
    private final String cluster;
    private final String service;
    private final EcsNativeStrategy strategy;
    private final Duration bakeTime;

    private EcsNativeDeployment(Builder b) {
        this.ecs = b.ecs;
        this.cluster = b.cluster;
        this.service = b.service;
        this.strategy = b.strategy;
        this.bakeTime = b.bakeTime;
    }

    /**
     * An adapter for {@code service} in {@code cluster}; see {@link Builder} for the defaults.
     *
     * @param ecs the ECS client
     * @param cluster the cluster's name or ARN
     * @param service the service's name or ARN
     * @return a new builder
     */
    public static Builder builder(EcsClient ecs, String cluster, String service) {
        return new Builder(ecs, cluster, service);
    }

    /**
     * How ECS shifts production traffic in the service deployments this adapter starts.
     *
     * @return the strategy
     */
    public EcsNativeStrategy strategy() {
        return strategy;
    }

    /**
     * How long ECS keeps the previous revision after the shift: the time Cutover's gates have to judge.
     *
     * @return the bake time
     */
    public Duration bakeTime() {
        return bakeTime;
    }

    /**
     * A blue-green plan fit for this service: its progress deadline covers ECS's production shift plus
     * ten minutes for the tasks to start, and its scale-down delay covers the bake time plus a minute
     * of clean-up, so the engine promotes after ECS has finished. Add post-promotion gates; their
     * analysis must end within the bake time, when ECS can still roll back.
     *
     * @return a blue-green builder with that progress deadline and scale-down delay
     */
    public BlueGreenBuilder blueGreen() {
        return Deployment.blueGreen().progressDeadline(strategy.productionShift().plusMinutes(10))
                .scaleDownDelay(bakeTime.plusMinutes(1));
    }

    // ------------------------------------------------------------------ Workloads

    /** Starts a service deployment of the revision's task definition unless the newest one already deploys it. */
    @Override
    public void deploy(Revision revision, int replicas) {
        Objects.requireNonNull(revision, "revision");
        NativeServiceView v = view();
        Optional<ServiceDeployment> latest = v.latest();
        if (latest.isPresent() && EcsRollingService.same(v.targetTaskDefinition(), revision.artifact())
                && (v.forward(latest.get()) || latest.get().status() == ServiceDeploymentStatus.SUCCESSFUL)) {
            return;
        }
        if (latest.isPresent() && NativeServiceView.STOPPABLE.contains(latest.get().status())) {
            throw CutoverException.permanent("UpdateService " + service, "service " + service + " is busy with "
                    + NativeServiceView.describe(latest.get()) + " of " + v.targetTaskDefinition() + "; Cutover does not replace it", null);
        }
        requireAlternateTargetGroup(v);
        String current = v.service().taskDefinition();
        String arn = v.service().serviceArn();
        // Where a rollback returns to is written before anything changes; a crash right after leaves only the tags.
        AwsCalls.call("TagResource " + arn, () -> ecs.tagResource(r -> r.resourceArn(arn).tags(
                Tag.builder().key(EcsRollingService.PREVIOUS_TAG).value(current).build(),
                Tag.builder().key(EcsRollingService.REVISION_TAG).value(revision.name()).build())));
        DeploymentConfiguration base = v.service().deploymentConfiguration() == null
                ? DeploymentConfiguration.builder().build() : v.service().deploymentConfiguration();
        DeploymentConfiguration config = strategy.applyTo(base.toBuilder()).bakeTimeInMinutes((int) bakeTime.toMinutes()).build();
        AwsCalls.call("UpdateService " + service + " to " + revision.artifact(), () -> ecs.updateService(r -> r
                .cluster(cluster).service(service).taskDefinition(revision.artifact()).deploymentConfiguration(config)));
        log.info("service {}: ECS {} from {} to {} ({})", service, strategy.kind(), current, revision.artifact(), revision.name());
    }

    /**
     * ECS sizes both revisions. Scaling stable back to the service's count, or the candidate to zero,
     * while the service deployment runs (what an abort does) stops it with rollback; any other count
     * changes nothing.
     */
    @Override
    public void scale(Role role, int replicas) {
        Objects.requireNonNull(role, "role");
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative: " + replicas);
        }
        NativeServiceView v = view();
        int full = NativeServiceView.count(v.service().desiredCount());
        if (role == Role.STABLE ? replicas >= full : replicas == 0) {
            rollBack(v, role == Role.STABLE ? "stable scaled back to " + replicas : "candidate scaled to 0");
        }
    }

    @Override
    public WorkloadStatus status(Role role) {
        Objects.requireNonNull(role, "role");
        NativeServiceView v = view();
        Optional<ServiceDeployment> candidate = v.candidate();
        if (role == Role.CANDIDATE) {
            if (candidate.isEmpty()) {
                return WorkloadStatus.absent();
            }
            ServiceDeployment d = candidate.get();
            ServiceRevisionSummary target = d.targetServiceRevision();
            String name = v.revisionName() != null ? v.revisionName() : v.targetTaskDefinition();
            int running = NativeServiceView.count(target.runningTaskCount());
            if (d.status() == ServiceDeploymentStatus.SUCCESSFUL) {
                return new WorkloadStatus(name, running, running, running, running, null);
            }
            if (!v.forward(d)) {
                // Rolled back or stopped: ECS's goal for the new revision is no task.
                return new WorkloadStatus(name, 0, running, running, running, NativeServiceView.describe(d));
            }
            int desired = NativeServiceView.count(target.requestedTaskCount());
            boolean shifted = d.lifecycleStage() != null && NativeServiceView.SHIFTED.contains(d.lifecycleStage());
            int ready = shifted ? running : Math.max(0, Math.min(running, desired - 1));
            return new WorkloadStatus(name, desired, ready, ready, running, null);
        }
        if (candidate.isEmpty()) {
            int running = NativeServiceView.count(v.service().runningCount());
            return new WorkloadStatus(v.service().taskDefinition(), NativeServiceView.count(v.service().desiredCount()),
                    running, running, running, null);
        }
        Optional<ServiceRevisionSummary> source = v.stableSource();
        // While ECS runs or rolls back the deployment, the source revision it names is stable's truth.
        if (candidate.get().status() != ServiceDeploymentStatus.SUCCESSFUL && source.isPresent()) {
            int running = NativeServiceView.count(source.get().runningTaskCount());
            return new WorkloadStatus(v.previous(), NativeServiceView.count(source.get().requestedTaskCount()), running, running, running, null);
        }
        if (EcsRollingService.same(v.service().taskDefinition(), v.previous())) {
            int running = NativeServiceView.count(v.service().runningCount());
            return new WorkloadStatus(v.previous(), NativeServiceView.count(v.service().desiredCount()), running, running, running, null);
        }
        return new WorkloadStatus(v.previous(), 0, 0, 0, 0, null);
    }

    /**
     * The revision stays: once ECS reports its service deployment {@code SUCCESSFUL} (bake time and
     * clean-up done), the rollout's tags are removed. Until then a transient failure, so the engine
     * tries again; refused when ECS rolled the deployment back.
     */
    @Override
    public void promote(Revision revision) {
        Objects.requireNonNull(revision, "revision");
        NativeServiceView v = view();
        Optional<ServiceDeployment> candidate = v.candidate();
        if (candidate.isEmpty()) {
            if (v.previous() == null && EcsRollingService.same(v.service().taskDefinition(), revision.artifact())) {
                return;
            }
            throw CutoverException.permanent("promote " + revision.name(), "service " + service + " has no service deployment of "
                    + revision.artifact() + " (it runs " + v.service().taskDefinition() + ")", null);
        }
        ServiceDeployment d = candidate.get();
        if (d.status() == ServiceDeploymentStatus.SUCCESSFUL && EcsRollingService.same(v.targetTaskDefinition(), revision.artifact())) {
            String arn = v.service().serviceArn();
            AwsCalls.call("UntagResource " + arn, () -> ecs.untagResource(r -> r.resourceArn(arn)
                    .tagKeys(EcsRollingService.PREVIOUS_TAG, EcsRollingService.REVISION_TAG)));
            log.info("service {}: {} is stable", service, revision.name());
            return;
        }
        if (v.forward(d)) {
            throw CutoverException.transientFailure("promote " + revision.name(), NativeServiceView.describe(d)
                    + " has not finished (bake time " + bakeTime + " then clean-up)", null);
        }
        throw CutoverException.permanent("promote " + revision.name(), NativeServiceView.describe(d), null);
    }

    /** ECS removes the old revision itself; while the service deployment runs, retiring the candidate rolls it back. */
    @Override
    public void retire(Role role) {
        scale(role, 0);
    }

    // ------------------------------------------------------------------ TrafficRouter

    /** All or nothing for the plan: ECS's strategy, not the plan, sets the steps of the shift. */
    @Override
    public Set<RouterCapability> capabilities() {
        return Set.of();
    }

    /** All traffic to stable stops the service deployment with rollback; all to the candidate is ECS's own shift. */
    @Override
    public void apply(TrafficSplit split) {
        Args.allOrNothing(Objects.requireNonNull(split, "split"), "ECS, by its own " + strategy.kind() + " strategy,");
        NativeServiceView v = view();
        if (split.candidateWeight() == 0) {
            rollBack(v, "all traffic to stable");
            return;
        }
        ServiceDeployment d = v.candidate().orElseThrow(() -> CutoverException.permanent("set traffic " + split,
                "service " + service + " has no service deployment started by Cutover", null));
        if (!v.forward(d) && d.status() != ServiceDeploymentStatus.SUCCESSFUL) {
            throw CutoverException.permanent("set traffic " + split, NativeServiceView.describe(d), null);
        }
    }

    /**
     * The new revision's share of production traffic as ECS reports it while a Cutover rollout runs
     * (a share above 0 never reads as 0, one below 100 never as 100); none otherwise.
     */
    @Override
    public TrafficSplit read() {
        Optional<ServiceDeployment> candidate = view().candidate();
        if (candidate.isEmpty()) {
            return TrafficSplit.stableOnly();
        }
        double w = NativeServiceView.productionWeight(candidate.get());
        int weight = w == 0 ? 0 : w >= 100 ? 100 : (int) Math.min(99, Math.max(1, Math.round(w)));
        return weight == 0 ? TrafficSplit.stableOnly() : TrafficSplit.weighted(weight);
    }

    @Override
    public String toString() {
        return "EcsNativeDeployment[" + cluster + "/" + service + " " + strategy.kind() + "]";
    }

    // ------------------------------------------------------------------ internals

    private void rollBack(NativeServiceView v, String why) {
        Optional<ServiceDeployment> candidate = v.candidate();
        if (candidate.isEmpty()) {
            return;
        }
        ServiceDeployment d = candidate.get();
        if (d.status() == ServiceDeploymentStatus.SUCCESSFUL) {
            throw CutoverException.permanent("StopServiceDeployment " + d.serviceDeploymentArn(), NativeServiceView.describe(d)
                    + ": ECS has removed " + v.previous() + " already and cannot roll back; deploy it again to return to it", null);
        }
        if (!v.forward(d)) {
            return; // ECS is rolling back already, or has.
        }
        log.warn("service {}: stopping {} with rollback ({})", service, d.serviceDeploymentArn(), why);
        AwsCalls.call("StopServiceDeployment " + d.serviceDeploymentArn(), () -> ecs.stopServiceDeployment(r -> r
                .serviceDeploymentArn(d.serviceDeploymentArn()).stopType(StopServiceDeploymentStopType.ROLLBACK)));
    }

    private void requireAlternateTargetGroup(NativeServiceView v) {
        boolean ready = v.service().hasLoadBalancers() && v.service().loadBalancers().stream().map(LoadBalancer::advancedConfiguration)
                .anyMatch(a -> a != null && a.alternateTargetGroupArn() != null && a.productionListenerRule() != null);
        if (!ready) {
            throw CutoverException.permanent("UpdateService " + service, "service " + service + " has no load balancer with an "
                    + "advancedConfiguration (alternateTargetGroupArn, productionListenerRule, roleArn): ECS needs one to shift "
                    + strategy.kind() + " traffic", null);
        }
    }

    private NativeServiceView view() {
        return NativeServiceView.read(ecs, cluster, service);
    }

    /** Defaults: {@link EcsNativeStrategy#blueGreen()}, a bake time of 15 minutes. */
    public static final class Builder {
        private final EcsClient ecs;
        private final String cluster;
        private final String service;
        private EcsNativeStrategy strategy = EcsNativeStrategy.blueGreen();
        private Duration bakeTime = Duration.ofMinutes(15);

        private Builder(EcsClient ecs, String cluster, String service) {
            this.ecs = Objects.requireNonNull(ecs, "ecs");
            this.cluster = Args.notBlank("cluster", cluster);
            this.service = Args.notBlank("service", service);
        }

        /**
         * How ECS shifts production traffic; default {@link EcsNativeStrategy#blueGreen()}.
         *
         * @param strategy the strategy
         * @return this builder
         */
        public Builder strategy(EcsNativeStrategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * How long ECS keeps the previous revision after the production shift, when Cutover's gates
         * judge and a rollback is still instant; whole minutes, 1..1440 (zero would leave no time to judge).
         *
         * @param bakeTime the bake time (default 15 minutes)
         * @return this builder
         * @throws IllegalArgumentException if the bake time is not whole minutes within 1..1440
         */
        public Builder bakeTime(Duration bakeTime) {
            EcsNativeStrategy.minutes("bakeTime", bakeTime);
            if (bakeTime.isZero()) {
                throw new IllegalArgumentException("bakeTime must be at least one minute, so gates can judge before ECS removes "
                        + "the previous revision: " + bakeTime);
            }
            this.bakeTime = bakeTime;
            return this;
        }

        /**
         * Builds the adapter.
         *
         * @return the adapter
         */
        public EcsNativeDeployment build() {
            return new EcsNativeDeployment(this);
        }
    }
}
