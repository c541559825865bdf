package io.cutover.ecs;

import io.cutover.CutoverException;
import io.cutover.ecs.internal.AwsCalls;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.CreateTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Scale;
import software.amazon.awssdk.services.ecs.model.ScaleUnit;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.StabilityStatus;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/**
 * Stable and candidate as ECS task sets of one service with the {@code EXTERNAL} deployment
 * controller: the stable role is the service's {@code PRIMARY} task set, the candidate the newest
 * other {@code ACTIVE} one that Cutover manages: task sets it creates carry the tag
 * {@value #MANAGED_TAG}, and so does the primary it demotes at promotion (to be retired). A task set
 * made by hand is never taken for the candidate, scaled to zero or deleted.
 *
 * <pre>{@code
 * EcsTaskSetWorkloads workloads = EcsTaskSetWorkloads.builder(aws.ecs(), "prod", "myapp")
 *         .targetGroups(blueArn, greenArn)
 *         .container("web", 8080)
 *         .build();
 * TrafficRouter router = AlbWeightedRouter.forListener(aws.elb(), listenerArn, workloads.targetGroupRoles());
 * }</pre>
 *
 * <p>A {@link Revision}'s artifact is the task definition (ARN or {@code family:revision}); its name
 * is written as the task set's {@code externalId}, which is how a task set is recognised again after
 * a restart. The candidate is created in whichever of the two target groups the primary task set
 * does not use, with the launch type, capacity providers, platform version, network configuration
 * and service registries of the primary task set. Replica counts become task-set scale, a percent
 * of the service's {@code desiredCount} (at most 100: the service's desired count is the user's).
 * A task set counts as available once ECS reports it {@code STEADY_STATE}.
 */
public final class EcsTaskSetWorkloads implements Workloads {

    private static final Logger log = LoggerFactory.getLogger(EcsTaskSetWorkloads.class);
    private static final String PRIMARY = "PRIMARY";
    private static final String ACTIVE = "ACTIVE";
    /** The tag on every task set Cutover creates, or takes over from the primary role to retire. */
    public static final String MANAGED_TAG = "cutover:managed-by";
    static final String MANAGED_VALUE = "cutover";

    private final EcsClient ecs;
    private final String cluster;
    private final String service;
    private final String blueTargetGroupArn;
    private final String greenTargetGroupArn;
    private final String containerName;
    private final int containerPort;

    private EcsTaskSetWorkloads(Builder b) {
        this.ecs = b.ecs;
        this.cluster = b.cluster;
        this.service = b.service;
        this.blueTargetGroupArn = b.blue;
        this.greenTargetGroupArn = b.green;
        this.containerName = b.containerName;
        this.containerPort = b.containerPort;
    }

    /**
     * Starts the adapter of a service whose deployment controller is {@code EXTERNAL}. The target groups and
     * the container are required.
     *
     * @param ecs     the ECS client, best with SDK retries off ({@link AwsClients})
     * @param cluster the cluster's name or ARN
     * @param service the service's name or ARN
     * @return a new builder
     */
    public static Builder builder(EcsClient ecs, String cluster, String service) {
        return new Builder(ecs, cluster, service);
    }

    /**
     * The target group of each role as the task sets place them now; pass it to {@link AlbWeightedRouter}.
     *
     * @return the roles, read from the task sets each time they are asked for
     */
    public TargetGroupRoles targetGroupRoles() {
        return () -> {
            String stable = primary(taskSets()).map(this::targetGroupOf).orElse(blueTargetGroupArn);
            return new TargetGroupRoles.Pair(stable, other(stable));
        };
    }

    @Override
    public void deploy(Revision revision, int replicas) {
        Objects.requireNonNull(revision, "revision");
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative: " + replicas);
        }
        List<TaskSet> sets = taskSets();
        Optional<TaskSet> primary = primary(sets);
        if (primary.isPresent() && runs(primary.get(), revision)) {
            // The revision is already stable (a repeat after promotion): the other task set is left to retire.
            return;
        }
        Optional<TaskSet> candidate = candidate(sets);
        double percent = percentOf(replicas, desiredCount());
        if (candidate.isPresent()) {
            if (runs(candidate.get(), revision)) {
                updateScale(candidate.get(), percent);
                return;
            }
            log.info("service {}: replacing candidate task set {} ({}) with {}", service, candidate.get().id(),
                    revisionName(candidate.get()), revision.name());
            delete(candidate.get());
        }
        String targetGroup = primary.map(p -> other(targetGroupOf(p))).orElse(greenTargetGroupArn);
        CreateTaskSetRequest.Builder create = CreateTaskSetRequest.builder()
                .cluster(cluster)
                .service(service)
                .externalId(revision.name())
                .taskDefinition(revision.artifact())
                .loadBalancers(LoadBalancer.builder()
                        .targetGroupArn(targetGroup).containerName(containerName).containerPort(containerPort).build())
                .scale(Scale.builder().unit(ScaleUnit.PERCENT).value(percent).build())
                .tags(software.amazon.awssdk.services.ecs.model.Tag.builder().key(MANAGED_TAG).value(MANAGED_VALUE).build());
        primary.ifPresent(p -> {
            if (p.launchType() != null) {
                create.launchType(p.launchType());
            }
            if (p.hasCapacityProviderStrategy() && !p.capacityProviderStrategy().isEmpty()) {
                create.capacityProviderStrategy(p.capacityProviderStrategy());
            }
            if (p.platformVersion() != null) {
                create.platformVersion(p.platformVersion());
            }
            if (p.networkConfiguration() != null) {
                create.networkConfiguration(p.networkConfiguration());
            }
            if (p.hasServiceRegistries() && !p.serviceRegistries().isEmpty()) {
                create.serviceRegistries(p.serviceRegistries());
            }
        });
        TaskSet created = AwsCalls.call("CreateTaskSet " + revision.artifact() + " in service " + service,
                () -> ecs.createTaskSet(create.build()).taskSet());
        log.info("service {}: created task set {} for {} in target group {} at {}%", service, created.id(),
                revision.name(), targetGroup, percent);
    }

    @Override
    public void scale(Role role, int replicas) {
        Objects.requireNonNull(role, "role");
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative: " + replicas);
        }
        Optional<TaskSet> set = of(role, taskSets());
        if (set.isEmpty()) {
            if (replicas == 0) {
                return;
            }
            throw CutoverException.permanent("UpdateTaskSet " + service, "service " + service + " has no "
                    + role.name().toLowerCase() + " task set to scale to " + replicas, null);
        }
        updateScale(set.get(), percentOf(replicas, desiredCount()));
    }

    @Override
    public WorkloadStatus status(Role role) {
        Objects.requireNonNull(role, "role");
        return of(role, taskSets()).map(EcsTaskSetWorkloads::statusOf).orElse(WorkloadStatus.absent());
    }

    @Override
    public void promote(Revision revision) {
        Objects.requireNonNull(revision, "revision");
        List<TaskSet> sets = taskSets();
        Optional<TaskSet> primary = primary(sets);
        Optional<TaskSet> target = sets.stream().filter(s -> ACTIVE.equals(s.status()) || PRIMARY.equals(s.status()))
                .filter(s -> runs(s, revision)).max(Comparator.comparing(EcsTaskSetWorkloads::created));
        if (target.isEmpty()) {
            throw CutoverException.permanent("UpdateServicePrimaryTaskSet " + service, "service " + service
                    + " has no task set running " + revision.name() + " (" + revision.artifact() + ") to promote", null);
        }
        TaskSet next = target.get();
        double fromScale = next.scale() == null || next.scale().value() == null ? 0 : next.scale().value();
        if (fromScale < 100) {
            updateScale(next, 100);
        }
        if (primary.isPresent() && primary.get().id().equals(next.id())) {
            return;
        }
        if (primary.isPresent()) {
            // The task set leaving the primary role is now Cutover's to retire: mark it before it is demoted.
            TaskSet old = primary.get();
            if (!managed(old)) {
                AwsCalls.call("TagResource " + old.id() + " of service " + service, () -> ecs.tagResource(r -> r
                        .resourceArn(old.taskSetArn()).tags(software.amazon.awssdk.services.ecs.model.Tag.builder()
                                .key(MANAGED_TAG).value(MANAGED_VALUE).build())));
            }
        }
        AwsCalls.call("UpdateServicePrimaryTaskSet " + next.id() + " in service " + service,
                () -> ecs.updateServicePrimaryTaskSet(r -> r.cluster(cluster).service(service).primaryTaskSet(next.taskSetArn())));
        log.info("service {}: task set {} ({}) is primary", service, next.id(), revision.name());
    }

    @Override
    public void retire(Role role) {
        Objects.requireNonNull(role, "role");
        Optional<TaskSet> set = of(role, taskSets());
        if (set.isEmpty()) {
            return;
        }
        delete(set.get());
    }

    @Override
    public String toString() {
        return "EcsTaskSetWorkloads[" + cluster + "/" + service + "]";
    }

    private static WorkloadStatus statusOf(TaskSet s) {
        int desired = nz(s.computedDesiredCount());
        int running = nz(s.runningCount());
        boolean steady = s.stabilityStatus() == StabilityStatus.STEADY_STATE;
        return new WorkloadStatus(revisionName(s), desired, running, steady ? running : 0, running, null);
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }

    private static Instant created(TaskSet s) {
        return s.createdAt() == null ? Instant.EPOCH : s.createdAt();
    }

    private static String revisionName(TaskSet s) {
        if (s.externalId() != null && !s.externalId().isBlank()) {
            return s.externalId();
        }
        String td = s.taskDefinition();
        return td == null ? s.id() : td.substring(td.lastIndexOf('/') + 1);
    }

    private static boolean runs(TaskSet s, Revision revision) {
        return revision.name().equals(s.externalId()) && sameTaskDefinition(s.taskDefinition(), revision.artifact());
    }

    /** An ARN and a {@code family:revision} naming the same task definition are the same. */
    private static boolean sameTaskDefinition(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return a.equals(b) || a.substring(a.lastIndexOf('/') + 1).equals(b.substring(b.lastIndexOf('/') + 1));
    }

    private Optional<TaskSet> of(Role role, List<TaskSet> sets) {
        return role == Role.STABLE ? primary(sets) : candidate(sets);
    }

    private static Optional<TaskSet> primary(List<TaskSet> sets) {
        return sets.stream().filter(s -> PRIMARY.equals(s.status())).findFirst();
    }

    /** The newest ACTIVE task set Cutover created or was handed (tagged); a hand-made one is never the candidate. */
    private static Optional<TaskSet> candidate(List<TaskSet> sets) {
        return sets.stream().filter(s -> ACTIVE.equals(s.status())).filter(EcsTaskSetWorkloads::managed)
                .max(Comparator.comparing(EcsTaskSetWorkloads::created));
    }

    static boolean managed(TaskSet s) {
        return s.hasTags() && s.tags().stream().anyMatch(t -> MANAGED_TAG.equals(t.key()) && MANAGED_VALUE.equals(t.value()));
    }

    private String targetGroupOf(TaskSet s) {
        if (s.hasLoadBalancers()) {
            for (LoadBalancer lb : s.loadBalancers()) {
                if (blueTargetGroupArn.equals(lb.targetGroupArn()) || greenTargetGroupArn.equals(lb.targetGroupArn())) {
                    return lb.targetGroupArn();
                }
            }
        }
        throw CutoverException.permanent("DescribeTaskSets " + service, "task set " + s.id() + " of service " + service
                + " is in neither target group " + blueTargetGroupArn + " nor " + greenTargetGroupArn, null);
    }

    private String other(String targetGroup) {
        return targetGroup.equals(blueTargetGroupArn) ? greenTargetGroupArn : blueTargetGroupArn;
    }

    private List<TaskSet> taskSets() {
        return AwsCalls.call("DescribeTaskSets of service " + service,
                () -> ecs.describeTaskSets(r -> r.cluster(cluster).service(service)
                        .include(software.amazon.awssdk.services.ecs.model.TaskSetField.TAGS)).taskSets());
    }

    private int desiredCount() {
        List<Service> services = AwsCalls.call("DescribeServices " + service,
                () -> ecs.describeServices(r -> r.cluster(cluster).services(service)).services());
        if (services.isEmpty()) {
            throw CutoverException.permanent("DescribeServices " + service, "service " + service + " not found in cluster " + cluster, null);
        }
        return nz(services.get(0).desiredCount());
    }

    /**
     * The scale that gives {@code replicas} tasks: ECS rounds {@code desiredCount * percent / 100} up,
     * so the percent is rounded down to two decimals (1 of 3 tasks is 33.33%).
     */
    static double percentOf(int replicas, int desiredCount) {
        if (replicas == 0) {
            return 0;
        }
        if (desiredCount <= 0 || replicas >= desiredCount) {
            if (replicas > desiredCount) {
                log.warn("{} replicas asked for but the service wants {}: scaling the task set to 100%", replicas, desiredCount);
            }
            return 100;
        }
        return Math.floor(replicas * 10_000.0 / desiredCount) / 100.0;
    }

    private void updateScale(TaskSet set, double percent) {
        Double now = set.scale() == null ? null : set.scale().value();
        if (now != null && now == percent && set.scale().unit() == ScaleUnit.PERCENT) {
            return;
        }
        AwsCalls.call("UpdateTaskSet " + set.id() + " of service " + service + " to " + percent + "%",
                () -> ecs.updateTaskSet(r -> r.cluster(cluster).service(service).taskSet(set.taskSetArn())
                        .scale(Scale.builder().unit(ScaleUnit.PERCENT).value(percent).build())));
    }

    /** Scales to zero first, so ECS drains the tasks before the task set goes. Only a task set Cutover manages. */
    private void delete(TaskSet set) {
        if (!managed(set)) {
            throw CutoverException.permanent("DeleteTaskSet " + set.id(), "task set " + set.id() + " of service " + service
                    + " does not carry the " + MANAGED_TAG + " tag; Cutover does not delete it", null);
        }
        updateScale(set, 0);
        AwsCalls.call("DeleteTaskSet " + set.id() + " of service " + service,
                () -> ecs.deleteTaskSet(r -> r.cluster(cluster).service(service).taskSet(set.taskSetArn())));
        log.info("service {}: deleted task set {} ({})", service, set.id(), revisionName(set));
    }

    /** Requires the two target groups and the container the load balancer sends traffic to. */
    public static final class Builder {
        private final EcsClient ecs;
        private final String cluster;
        private final String service;
        private String blue;
        private String green;
        private String containerName;
        private int containerPort;

        private Builder(EcsClient ecs, String cluster, String service) {
            this.ecs = Objects.requireNonNull(ecs, "ecs");
            this.cluster = notBlank("cluster", cluster);
            this.service = notBlank("service", service);
        }

        /**
         * The blue and green target groups; the first task set of a service with none goes to green.
         *
         * @param blueTargetGroupArn  the blue target group's ARN
         * @param greenTargetGroupArn the green target group's ARN
         * @return this builder
         */
        public Builder targetGroups(String blueTargetGroupArn, String greenTargetGroupArn) {
            this.blue = notBlank("blueTargetGroupArn", blueTargetGroupArn);
            this.green = notBlank("greenTargetGroupArn", greenTargetGroupArn);
            return this;
        }

        /**
         * The container and port the load balancer sends requests to; required.
         *
         * @param name the container's name in the task definition
         * @param port its port, 1 to 65535
         * @return this builder
         */
        public Builder container(String name, int port) {
            this.containerName = notBlank("containerName", name);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("containerPort must be within 1..65535: " + port);
            }
            this.containerPort = port;
            return this;
        }

        /**
         * Builds the adapter; nothing is read or written until a rollout calls it.
         *
         * @return the workloads adapter
         * @throws IllegalArgumentException if the target groups or the container are missing
         */
        public EcsTaskSetWorkloads build() {
            if (blue == null) {
                throw new IllegalArgumentException("targetGroups(blue, green) must be set for service " + service);
            }
            if (blue.equals(green)) {
                throw new IllegalArgumentException("blue and green target groups must differ: " + blue);
            }
            if (containerName == null) {
                throw new IllegalArgumentException("container(name, port) must be set for service " + service);
            }
            return new EcsTaskSetWorkloads(this);
        }

        private static String notBlank(String name, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank: '" + value + "'");
            }
            return value;
        }
    }
}
