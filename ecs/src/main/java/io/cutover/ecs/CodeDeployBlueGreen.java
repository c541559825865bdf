package io.cutover.ecs;

import io.cutover.CutoverException;
import io.cutover.ecs.internal.AwsCalls;
import io.cutover.spi.Hook;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.ComputePlatform;
import software.amazon.awssdk.services.codedeploy.model.DeploymentConfigAlreadyExistsException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentInfo;
import software.amazon.awssdk.services.codedeploy.model.DeploymentStatus;
import software.amazon.awssdk.services.codedeploy.model.DeploymentWaitType;
import software.amazon.awssdk.services.codedeploy.model.ECSTarget;
import software.amazon.awssdk.services.codedeploy.model.ECSTaskSet;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEvent;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocation;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocationType;
import software.amazon.awssdk.services.codedeploy.model.TargetLabel;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * ECS blue/green through CodeDeploy, for teams already on it, as the workloads and the router of a
 * rollout the {@code RolloutEngine} runs: CodeDeploy creates the replacement task set and moves the
 * traffic, Cutover's plan decides when it may, with the engine's gates, state store, events and
 * retries. Run a blue-green plan on it:
 *
 * <pre>{@code
 * CodeDeployBlueGreen codeDeploy = CodeDeployBlueGreen.builder(aws.codeDeploy(), "myapp", "myapp-prod")
 *         .service(aws.ecs(), "prod", "myapp")
 *         .container("web", 8080)
 *         .config(CodeDeployConfig.CANARY_10_PERCENT_5_MINUTES)
 *         .hook(CodeDeployEvent.AFTER_ALLOW_TEST_TRAFFIC, "arn:aws:lambda:...:function:myapp-hooks", smokeTest)
 *         .build();
 * Target target = Target.builder("myapp").workloads(codeDeploy).router(codeDeploy).metrics(metrics).build();
 * engine.start("myapp", Deployment.blueGreen().prePromotionGate(successRate(0.99))
 *         .postPromotionGate(successRate(0.99)).scaleDownDelay(Duration.ofMinutes(10)).build(), revision, target);
 * }</pre>
 *
 * <p>How the plan's steps map: <b>deploy</b> creates the CodeDeploy deployment (its description
 * names the revision, so a repeat after a crash finds it instead of starting a second one); the
 * candidate is <b>ready</b> once the replacement task set runs every task and the deployment waits
 * in {@code Ready} (the deployment group must have {@code deploymentReadyOption} with
 * {@code actionOnTimeout STOP_DEPLOYMENT}, so CodeDeploy waits for Cutover before moving production
 * traffic; pre-promotion gates then judge the test listener's traffic); setting the weight to 100
 * calls {@code ContinueDeployment(READY_WAIT)} and CodeDeploy shifts traffic as its configuration
 * says; post-promotion gates judge while it does; <b>promote</b> calls
 * {@code ContinueDeployment(TERMINATION_WAIT)} once the shift is done and the original task set is
 * kept for the group's termination wait. CodeDeploy does all of this on its own schedule, so this
 * router declares {@link RouterCapability#CONVERGING}: after a write the engine reads again until
 * CodeDeploy shows it (the shift done, the deployment succeeded), within the plan's progress deadline,
 * without spending its retry budget. A revision's artifact is its task definition ARN (the AppSpec
 * needs one); the stable role reports the ARN ECS gives for the service, the candidate the revision's
 * name. Sending all traffic to stable, or scaling the candidate to zero,
 * stops the deployment with rollback: CodeDeploy moves traffic back to the original task set and
 * removes the replacement. {@link #read()} reports the replacement task set's production traffic
 * weight as CodeDeploy gives it. A deployment that fails on its own (a hook failed, CodeDeploy rolled
 * back) is reported as a failure of the candidate, and the rollout aborts.
 *
 * <p>CodeDeploy calls a Lambda function at each hook event with the deployment id and a hook
 * execution id; that function hands them to {@link #hookHandler()} (for example by calling a small
 * endpoint of the service embedding Cutover), which runs the Cutover {@link Hook} registered for
 * the event and reports the result with {@code PutLifecycleEventHookExecutionStatus}.
 */
public final class CodeDeployBlueGreen implements Workloads, TrafficRouter {

    private static final Logger log = LoggerFactory.getLogger(CodeDeployBlueGreen.class);
    private static final String DESCRIPTION_PREFIX = "cutover ";
    static final List<DeploymentStatus> ACTIVE = List.of(DeploymentStatus.CREATED, DeploymentStatus.QUEUED,
            DeploymentStatus.IN_PROGRESS, DeploymentStatus.READY, DeploymentStatus.BAKING);
    private static final List<String> TRAFFIC_EVENTS = List.of("BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic");

    final CodeDeployClient codeDeploy;
    private final EcsClient ecs;
    private final String cluster;
    private final String service;
    final String application;
    final String deploymentGroup;
    private final String containerName;
    private final int containerPort;
    private final CodeDeployConfig config;
    private final Map<CodeDeployEvent, String> functions;
    final Map<CodeDeployEvent, Hook> hooks;
    final Clock clock;
    /** The last deployment this instance started or found, to report how it ended; rediscovered after a restart while it runs. */
    private volatile String lastSeen;

    private CodeDeployBlueGreen(Builder b) {
        this.codeDeploy = b.codeDeploy;
        this.ecs = b.ecs;
        this.cluster = b.cluster;
        this.service = b.service;
        this.application = b.application;
        this.deploymentGroup = b.deploymentGroup;
        this.containerName = b.containerName;
        this.containerPort = b.containerPort;
        this.config = b.config;
        this.functions = Map.copyOf(b.functions);
        this.hooks = Map.copyOf(b.hooks);
        this.clock = b.clock;
    }

    /**
     * A builder for deployments of CodeDeploy application {@code application}'s deployment group
     * {@code deploymentGroup}.
     *
     * @param codeDeploy the CodeDeploy client
     * @param application the CodeDeploy application's name
     * @param deploymentGroup the deployment group's name
     * @return a new builder
     */
    public static Builder builder(CodeDeployClient codeDeploy, String application, String deploymentGroup) {
        return new Builder(codeDeploy, application, deploymentGroup);
    }

    /**
     * A blue-green plan fit for this deployment group: its scale-down delay covers CodeDeploy's
     * traffic shift ({@link CodeDeployConfig#shiftDuration()}) plus a minute, so promotion comes
     * after the shift; add the gates and hooks you want.
     *
     * @return a blue-green builder with that scale-down delay
     */
    public io.cutover.BlueGreenBuilder blueGreen() {
        return io.cutover.Deployment.blueGreen().scaleDownDelay(config.shiftDuration().plusMinutes(1));
    }

    // ------------------------------------------------------------------ Workloads

    /**
     * Starts a deployment of {@code revision} (its artifact is the task definition ARN) unless one
     * is already running it; CodeDeploy sizes the replacement task set like the service, so
     * {@code replicas} is not sent. A deployment Cutover did not start is never replaced.
     */
    @Override
    public void deploy(Revision revision, int replicas) {
        Objects.requireNonNull(revision, "revision");
        io.cutover.ecs.internal.TaskDefinitions.requireArn(revision);
        Optional<Running> running = running();
        if (running.isPresent()) {
            Running r = running.get();
            if (r.revision().filter(revision::equals).isPresent()) {
                return;
            }
            throw CutoverException.permanent("CreateDeployment of " + revision.name(), "deployment group " + application + "/"
                    + deploymentGroup + " already runs deployment " + r.info().deploymentId() + " ('" + r.info().description()
                    + "'); Cutover does not replace it", null);
        }
        if (stableRuns(revision)) {
            return;
        }
        ensureConfig();
        String appSpec = appSpec(revision);
        String description = description(revision);
        String id = AwsCalls.call("CreateDeployment of " + revision.name() + " in " + application + "/" + deploymentGroup,
                () -> codeDeploy.createDeployment(r -> r.applicationName(application).deploymentGroupName(deploymentGroup)
                        .deploymentConfigName(config.name()).description(description)
                        .revision(RevisionLocation.builder().revisionType(RevisionLocationType.APP_SPEC_CONTENT)
                                .appSpecContent(c -> c.content(appSpec).sha256(io.cutover.ecs.internal.AppSpecs.sha256(appSpec))).build())).deploymentId());
        lastSeen = id;
        log.info("CodeDeploy {}/{}: started {} for {} with {}", application, deploymentGroup, id, revision.name(), config.name());
    }

    /** CodeDeploy sizes both task sets; only scaling the candidate to zero acts, by stopping the deployment with rollback. */
    @Override
    public void scale(Role role, int replicas) {
        Objects.requireNonNull(role, "role");
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative: " + replicas);
        }
        if (role == Role.CANDIDATE && replicas == 0) {
            running().ifPresent(r -> stop(r, "candidate scaled to 0"));
        }
    }

    @Override
    public WorkloadStatus status(Role role) {
        Objects.requireNonNull(role, "role");
        Optional<Running> running = running();
        if (running.isEmpty()) {
            return role == Role.STABLE ? serviceStatus() : ended();
        }
        Running r = running.get();
        ECSTarget target = target(r.info().deploymentId());
        Optional<ECSTaskSet> set = taskSet(target, role == Role.STABLE ? TargetLabel.BLUE : TargetLabel.GREEN);
        String name = role == Role.STABLE ? serviceStatus().revision() : r.revision().map(Revision::name).orElse(null);
        if (set.isEmpty()) {
            return role == Role.STABLE ? serviceStatus() : new WorkloadStatus(name, 1, 0, 0, 0, null);
        }
        int desired = (int) nz(set.get().desiredCount());
        int running0 = (int) nz(set.get().runningCount());
        boolean ready = role == Role.STABLE || r.info().status() == DeploymentStatus.READY || passed(target, "AfterAllowTestTraffic");
        return new WorkloadStatus(name, desired, ready ? running0 : 0, ready ? running0 : 0, running0, null);
    }

    /**
     * Ends the deployment of {@code revision}: once CodeDeploy has shifted all traffic, it is told
     * not to keep the original task set any longer. Until then it changes nothing; the engine reads
     * the stable role back until it runs the revision.
     */
    @Override
    public void promote(Revision revision) {
        Objects.requireNonNull(revision, "revision");
        Optional<Running> running = running();
        if (running.isEmpty()) {
            if (stableRuns(revision)) {
                return;
            }
            throw CutoverException.permanent("promote " + revision.name(), "no CodeDeploy deployment of " + revision.name()
                    + " is running and service " + service + " does not run " + revision.artifact() + ": " + ended().failure(), null);
        }
        Running r = running.get();
        String id = r.info().deploymentId();
        ECSTarget target = target(id);
        if (r.info().status() == DeploymentStatus.READY) {
            continueDeployment(id, DeploymentWaitType.READY_WAIT);
        } else if (TRAFFIC_EVENTS.stream().allMatch(e -> passed(target, e))) {
            continueDeployment(id, DeploymentWaitType.TERMINATION_WAIT);
            if (stableRuns(revision) && running().isEmpty()) {
                return;
            }
        }
        // CodeDeploy is still moving traffic or removing the original task set: the engine reads stable back
        // until it runs the revision (CONVERGING), within the plan's progress deadline
        log.debug("CodeDeploy {}: promotion of {} waits (replacement at {}%)", id, revision.name(),
                taskSet(target, TargetLabel.GREEN).map(ECSTaskSet::trafficWeight).orElse(0.0));
    }

    @Override
    public void retire(Role role) {
        scale(role, 0);
    }

    // ------------------------------------------------------------------ TrafficRouter

    /**
     * All or nothing: CodeDeploy's configuration, not the plan, sets the steps of its shift. CodeDeploy
     * shifts traffic, rolls back and ends a deployment on its own schedule, so the engine waits for what
     * it reads ({@link RouterCapability#CONVERGING}).
     */
    @Override
    public Set<RouterCapability> capabilities() {
        return Set.of(RouterCapability.CONVERGING);
    }

    @Override
    public void apply(TrafficSplit split) {
        Objects.requireNonNull(split, "split");
        if (!split.candidateMatches().isEmpty() || split.mirrorPercent() > 0 || (split.candidateWeight() > 0 && split.candidateWeight() < 100)) {
            throw new IllegalArgumentException("CodeDeploy moves all production traffic or none; cannot apply " + split);
        }
        Optional<Running> running = running();
        if (running.isEmpty()) {
            return;
        }
        if (split.candidateWeight() == 0) {
            stop(running.get(), "all traffic to stable");
        } else if (running.get().info().status() == DeploymentStatus.READY) {
            continueDeployment(running.get().info().deploymentId(), DeploymentWaitType.READY_WAIT);
        } else {
            // past its ready wait CodeDeploy moves the traffic itself; before it, nothing may move it: either way
            // there is nothing to send, and the engine reads the weight back until CodeDeploy shows it (CONVERGING)
            log.debug("CodeDeploy {}: {} ({}), traffic moves on CodeDeploy's schedule", running.get().info().deploymentId(),
                    running.get().info().statusAsString(), split);
        }
    }

    /** The replacement task set's share of production traffic while a deployment runs; none otherwise. */
    @Override
    public TrafficSplit read() {
        Optional<Running> running = running();
        if (running.isEmpty()) {
            return TrafficSplit.stableOnly();
        }
        double green = taskSet(target(running.get().info().deploymentId()), TargetLabel.GREEN)
                .map(t -> t.trafficWeight() == null ? 0.0 : t.trafficWeight()).orElse(0.0);
        if (!(green >= 0 && green <= 100)) {
            throw CutoverException.transientFailure("GetDeploymentTarget", "CodeDeploy reported a traffic weight of " + green, null);
        }
        int weight = (int) Math.round(green);
        return weight == 0 ? TrafficSplit.stableOnly() : TrafficSplit.weighted(weight);
    }

    @Override
    public String toString() {
        return "CodeDeployBlueGreen[" + application + "/" + deploymentGroup + "]";
    }

    // ------------------------------------------------------------------ CodeDeploy and ECS reads

    /** A deployment Cutover started that CodeDeploy is still running. */
    private record Running(DeploymentInfo info, Optional<Revision> revision) { }

    private Optional<Running> running() {
        List<String> active = AwsCalls.call("ListDeployments of " + application + "/" + deploymentGroup,
                () -> codeDeploy.listDeployments(r -> r.applicationName(application).deploymentGroupName(deploymentGroup)
                        .includeOnlyStatuses(ACTIVE)).deployments());
        for (String id : active) {
            DeploymentInfo info = info(id);
            if (ACTIVE.contains(info.status())) {
                Optional<Revision> revision = revisionOf(info.description());
                if (revision.isPresent()) {
                    lastSeen = id;
                }
                return Optional.of(new Running(info, revision));
            }
        }
        return Optional.empty();
    }

    /** The candidate when no deployment runs: how the last one this instance saw ended, if it did not succeed. */
    private WorkloadStatus ended() {
        String id = lastSeen;
        if (id == null) {
            return WorkloadStatus.absent();
        }
        DeploymentInfo info = info(id);
        if (info.status() == DeploymentStatus.SUCCEEDED) {
            return WorkloadStatus.absent();
        }
        StringBuilder why = new StringBuilder("CodeDeploy deployment " + id + " " + info.statusAsString());
        if (info.errorInformation() != null && info.errorInformation().message() != null) {
            why.append(": ").append(info.errorInformation().message());
        }
        if (info.rollbackInfo() != null && info.rollbackInfo().rollbackMessage() != null) {
            why.append("; ").append(info.rollbackInfo().rollbackMessage());
        }
        return new WorkloadStatus(revisionOf(info.description()).map(Revision::name).orElse(id), 0, 0, 0, 0, why.toString());
    }

    private DeploymentInfo info(String id) {
        return AwsCalls.call("GetDeployment " + id, () -> codeDeploy.getDeployment(r -> r.deploymentId(id)).deploymentInfo());
    }

    private ECSTarget target(String id) {
        List<String> targets = AwsCalls.call("ListDeploymentTargets " + id,
                () -> codeDeploy.listDeploymentTargets(r -> r.deploymentId(id)).targetIds());
        if (targets.isEmpty()) {
            throw CutoverException.transientFailure("ListDeploymentTargets " + id, "deployment " + id + " has no target yet", null);
        }
        String targetId = targets.get(0);
        ECSTarget target = AwsCalls.call("GetDeploymentTarget " + id + " " + targetId,
                () -> codeDeploy.getDeploymentTarget(r -> r.deploymentId(id).targetId(targetId)).deploymentTarget().ecsTarget());
        if (target == null) {
            throw CutoverException.permanent("GetDeploymentTarget " + id, "deployment " + id + " has no ECS target", null);
        }
        return target;
    }

    private static Optional<ECSTaskSet> taskSet(ECSTarget target, TargetLabel label) {
        return target.hasTaskSetsInfo() ? target.taskSetsInfo().stream().filter(t -> t.taskSetLabel() == label).findFirst() : Optional.empty();
    }

    private static boolean passed(ECSTarget target, String event) {
        return target.hasLifecycleEvents() && target.lifecycleEvents().stream()
                .anyMatch(e -> event.equals(e.lifecycleEventName()) && "Succeeded".equals(e.statusAsString()));
    }

    private WorkloadStatus serviceStatus() {
        Service s = ecsService();
        int desired = s.desiredCount() == null ? 0 : s.desiredCount();
        int running = s.runningCount() == null ? 0 : s.runningCount();
        String td = s.taskDefinition();
        // the task definition ARN, as ECS reports it: a revision's artifact (one identity with the engine)
        return new WorkloadStatus(td == null ? service : td, desired, running, running, running, null);
    }

    private boolean stableRuns(Revision revision) {
        return EcsRollingService.same(ecsService().taskDefinition(), revision.artifact());
    }

    private Service ecsService() {
        List<Service> services = AwsCalls.call("DescribeServices " + service,
                () -> ecs.describeServices(r -> r.cluster(cluster).services(service)).services());
        if (services.isEmpty()) {
            throw CutoverException.permanent("DescribeServices " + service, "service " + service + " not found in cluster " + cluster, null);
        }
        return services.get(0);
    }

    // ------------------------------------------------------------------ CodeDeploy writes

    private void stop(Running r, String why) {
        if (r.revision().isEmpty()) {
            throw CutoverException.permanent("StopDeployment " + r.info().deploymentId(), "deployment " + r.info().deploymentId()
                    + " was not started by Cutover ('" + r.info().description() + "'); Cutover does not stop it", null);
        }
        log.warn("CodeDeploy {}: stopping with rollback ({})", r.info().deploymentId(), why);
        AwsCalls.call("StopDeployment " + r.info().deploymentId(),
                () -> codeDeploy.stopDeployment(b -> b.deploymentId(r.info().deploymentId()).autoRollbackEnabled(true)));
    }

    private void continueDeployment(String id, DeploymentWaitType type) {
        log.info("CodeDeploy {}: continuing past {}", id, type);
        AwsCalls.call("ContinueDeployment " + id + " " + type,
                () -> codeDeploy.continueDeployment(r -> r.deploymentId(id).deploymentWaitType(type)));
    }

    private static long nz(Long l) {
        return l == null ? 0 : l;
    }

    /**
     * What a hook relay calls with the ids CodeDeploy passed to the hook function.
     *
     * @return a new handler
     */
    public CodeDeployHookHandler hookHandler() {
        return new CodeDeployHookHandler(this);
    }

    /**
     * The AppSpec (JSON) of a deployment of {@code revision}.
     *
     * @param revision the revision; its artifact is the task definition ARN
     * @return the AppSpec, naming the container, its port and the registered hook functions
     */
    public String appSpec(Revision revision) {
        return io.cutover.ecs.internal.AppSpecs.ecsService(revision.artifact(), containerName, containerPort, hookFunctions());
    }

    private Map<String, String> hookFunctions() {
        Map<String, String> out = new LinkedHashMap<>();
        for (CodeDeployEvent event : CodeDeployEvent.values()) {
            if (functions.containsKey(event)) {
                out.put(event.appSpecName(), functions.get(event));
            }
        }
        return out;
    }

    /**
     * How CodeDeploy shifts traffic for the deployments this starts.
     *
     * @return the configuration, {@link CodeDeployConfig#ALL_AT_ONCE} unless one was given
     */
    public CodeDeployConfig config() {
        return config;
    }

    private void ensureConfig() {
        if (!config.isCustom()) {
            return;
        }
        try {
            codeDeploy.createDeploymentConfig(r -> r.deploymentConfigName(config.name())
                    .computePlatform(ComputePlatform.ECS).trafficRoutingConfig(config.routing()));
            log.info("CodeDeploy: created deployment config {}", config.name());
        } catch (DeploymentConfigAlreadyExistsException e) {
            // Made by an earlier rollout: the name says what it does.
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw AwsCalls.translate("CreateDeploymentConfig " + config.name(), e);
        }
    }

    static String description(Revision revision) {
        return DESCRIPTION_PREFIX + revision.name() + " " + revision.artifact();
    }

    /** The revision a deployment started by {@link #start} runs, read back from its description. */
    static java.util.Optional<Revision> revisionOf(String description) {
        if (description == null || !description.startsWith(DESCRIPTION_PREFIX)) {
            return java.util.Optional.empty();
        }
        String[] parts = description.substring(DESCRIPTION_PREFIX.length()).split(" ", 2);
        return parts.length == 2 ? java.util.Optional.of(Revision.of(parts[0], parts[1])) : java.util.Optional.empty();
    }

    /** Requires the container and the service; defaults: {@link CodeDeployConfig#ALL_AT_ONCE}, no hooks, the system clock. */
    public static final class Builder {
        private final CodeDeployClient codeDeploy;
        private final String application;
        private final String deploymentGroup;
        private String containerName;
        private int containerPort;
        private CodeDeployConfig config = CodeDeployConfig.ALL_AT_ONCE;
        private final Map<CodeDeployEvent, String> functions = new EnumMap<>(CodeDeployEvent.class);
        private final Map<CodeDeployEvent, Hook> hooks = new EnumMap<>(CodeDeployEvent.class);
        private EcsClient ecs;
        private String cluster;
        private String service;
        private Clock clock = Clock.systemUTC();

        private Builder(CodeDeployClient codeDeploy, String application, String deploymentGroup) {
            this.codeDeploy = Objects.requireNonNull(codeDeploy, "codeDeploy");
            this.application = notBlank("application", application);
            this.deploymentGroup = notBlank("deploymentGroup", deploymentGroup);
        }

        /**
         * The container the load balancer routes to, and its port, as the AppSpec names them; required.
         *
         * @param name the container's name in the task definition
         * @param port the container port, 1..65535
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
         * How CodeDeploy shifts traffic (default {@link CodeDeployConfig#ALL_AT_ONCE}).
         *
         * @param config the configuration
         * @return this builder
         */
        public Builder config(CodeDeployConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * At {@code event}, CodeDeploy calls {@code functionArn}, whose relay makes {@link #hookHandler()} run {@code hook}.
         *
         * @param event the lifecycle event
         * @param functionArn the ARN of the Lambda function CodeDeploy calls
         * @param hook the hook to run
         * @return this builder
         */
        public Builder hook(CodeDeployEvent event, String functionArn, Hook hook) {
            Objects.requireNonNull(event, "event");
            functions.put(event, notBlank("functionArn", functionArn));
            hooks.put(event, Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * The ECS service the deployment group deploys: its task definition and counts are the stable role's when no deployment runs.
         *
         * @param ecs the ECS client
         * @param cluster the cluster's name or ARN
         * @param service the service's name or ARN
         * @return this builder
         */
        public Builder service(EcsClient ecs, String cluster, String service) {
            this.ecs = Objects.requireNonNull(ecs, "ecs");
            this.cluster = notBlank("cluster", cluster);
            this.service = notBlank("service", service);
            return this;
        }

        /**
         * The clock hooks are told the time by; default the system UTC clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder withClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the adapter.
         *
         * @return the adapter
         * @throws IllegalArgumentException if the container or the service is not set
         */
        public CodeDeployBlueGreen build() {
            if (containerName == null) {
                throw new IllegalArgumentException("container(name, port) must be set for " + application + "/" + deploymentGroup);
            }
            if (ecs == null) {
                throw new IllegalArgumentException("service(ecs, cluster, service) must be set for " + application + "/" + deploymentGroup);
            }
            return new CodeDeployBlueGreen(this);
        }

        private static String notBlank(String name, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank: '" + value + "'");
            }
            return value;
        }
    }
}
