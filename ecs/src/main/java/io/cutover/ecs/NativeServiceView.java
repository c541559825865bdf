package io.cutover.ecs;

import io.cutover.CutoverException;
import io.cutover.ecs.internal.AwsCalls;
import io.cutover.ecs.internal.Services;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentLifecycleStage;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.ServiceRevisionSummary;

/**
 * One read of a service that ECS deploys itself: the service with the rollout's tags, its newest
 * service deployment, and the task definition of every service revision that deployment names.
 * Every number ECS reports is checked before it is believed.
 */
record NativeServiceView(Service service, String previous, String revisionName, Optional<ServiceDeployment> latest,
                         Map<String, String> taskDefinitions) {

    /** Service deployment states in which ECS is still moving towards the target revision. */
    static final Set<ServiceDeploymentStatus> FORWARD = Set.of(ServiceDeploymentStatus.PENDING, ServiceDeploymentStatus.IN_PROGRESS);
    /** States in which {@code StopServiceDeployment} is accepted, as ECS documents them. */
    static final Set<ServiceDeploymentStatus> STOPPABLE = Set.of(ServiceDeploymentStatus.PENDING, ServiceDeploymentStatus.IN_PROGRESS,
            ServiceDeploymentStatus.STOP_REQUESTED, ServiceDeploymentStatus.ROLLBACK_REQUESTED, ServiceDeploymentStatus.ROLLBACK_IN_PROGRESS);
    /** Stages after ECS has moved all production traffic to the target revision. */
    static final Set<ServiceDeploymentLifecycleStage> SHIFTED = Set.of(ServiceDeploymentLifecycleStage.POST_PRODUCTION_TRAFFIC_SHIFT,
            ServiceDeploymentLifecycleStage.BAKE_TIME, ServiceDeploymentLifecycleStage.CLEAN_UP);

    static NativeServiceView read(EcsClient ecs, String cluster, String service) {
        Service s = Services.withTags(ecs, cluster, service);
        String previous = Services.tag(s, EcsRollingService.PREVIOUS_TAG);
        String revision = Services.tag(s, EcsRollingService.REVISION_TAG);
        List<ServiceDeploymentBrief> briefs = AwsCalls.call("ListServiceDeployments " + service,
                () -> ecs.listServiceDeployments(r -> r.cluster(cluster).service(service)).serviceDeployments());
        Optional<ServiceDeploymentBrief> newest = briefs.stream()
                .max(Comparator.comparing(b -> b.createdAt() == null ? Instant.MIN : b.createdAt()));
        if (newest.isEmpty()) {
            return new NativeServiceView(s, previous, revision, Optional.empty(), Map.of());
        }
        String arn = newest.get().serviceDeploymentArn();
        List<ServiceDeployment> found = AwsCalls.call("DescribeServiceDeployments " + arn,
                () -> ecs.describeServiceDeployments(r -> r.serviceDeploymentArns(arn)).serviceDeployments());
        if (found.isEmpty()) {
            throw CutoverException.transientFailure("DescribeServiceDeployments " + arn, "ECS listed service deployment " + arn
                    + " but did not describe it", null);
        }
        ServiceDeployment d = found.get(0);
        List<String> arns = new ArrayList<>();
        if (d.targetServiceRevision() != null && d.targetServiceRevision().arn() != null) {
            arns.add(d.targetServiceRevision().arn());
        }
        if (d.hasSourceServiceRevisions()) {
            d.sourceServiceRevisions().stream().map(ServiceRevisionSummary::arn).filter(a -> a != null).forEach(arns::add);
        }
        Map<String, String> tds = new LinkedHashMap<>();
        if (!arns.isEmpty()) {
            List<ServiceRevision> revisions = AwsCalls.call("DescribeServiceRevisions " + arns,
                    () -> ecs.describeServiceRevisions(r -> r.serviceRevisionArns(arns)).serviceRevisions());
            revisions.forEach(r -> tds.put(r.serviceRevisionArn(), r.taskDefinition()));
        }
        if (d.targetServiceRevision() == null || !tds.containsKey(d.targetServiceRevision().arn())) {
            throw CutoverException.transientFailure("DescribeServiceRevisions " + arns, "ECS did not say which task definition "
                    + "service deployment " + arn + " deploys", null);
        }
        return new NativeServiceView(s, previous, revision, Optional.of(d), Map.copyOf(tds));
    }

    /** The task definition the newest deployment moves to. */
    String targetTaskDefinition() {
        return latest.map(d -> taskDefinitions.get(d.targetServiceRevision().arn())).orElse(null);
    }

    /** The newest deployment when a Cutover rollout runs and it deploys another task definition than the tagged one. */
    Optional<ServiceDeployment> candidate() {
        if (previous == null) {
            return Optional.empty();
        }
        return latest.filter(d -> !EcsRollingService.same(targetTaskDefinition(), previous));
    }

    /** The source revision that runs the tagged task definition, while the candidate's deployment names it. */
    Optional<ServiceRevisionSummary> stableSource() {
        return candidate().filter(ServiceDeployment::hasSourceServiceRevisions)
                .flatMap(d -> d.sourceServiceRevisions().stream()
                        .filter(r -> EcsRollingService.same(taskDefinitions.get(r.arn()), previous)).findFirst());
    }

    boolean forward(ServiceDeployment d) {
        return FORWARD.contains(d.status());
    }

    /** The target revision's share of production traffic, in percent, as ECS reports it; never trusted blindly. */
    static double productionWeight(ServiceDeployment d) {
        Double w = d.targetServiceRevision().requestedProductionTrafficWeight();
        if (w == null) {
            return d.status() == ServiceDeploymentStatus.SUCCESSFUL ? 100.0 : 0.0;
        }
        if (!(w >= 0 && w <= 100)) {
            throw CutoverException.transientFailure("DescribeServiceDeployments " + d.serviceDeploymentArn(),
                    "ECS reported a production traffic weight of " + w + " for " + d.targetServiceRevision().arn(), null);
        }
        return w;
    }

    static int count(Integer n) {
        return n == null || n < 0 ? 0 : n;
    }

    static String describe(ServiceDeployment d) {
        return "ECS service deployment " + d.serviceDeploymentArn() + " " + d.statusAsString()
                + (d.lifecycleStage() == null ? "" : " at " + d.lifecycleStageAsString())
                + (d.statusReason() == null ? "" : ": " + d.statusReason());
    }
}
