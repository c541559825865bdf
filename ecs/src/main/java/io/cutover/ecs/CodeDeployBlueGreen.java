package io.cutover.ecs;

import io.cutover.ecs.internal.AwsCalls;
import io.cutover.gate.Gate;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.Hook;
import io.cutover.spi.MetricSource;
import io.cutover.spi.Revision;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.ComputePlatform;
import software.amazon.awssdk.services.codedeploy.model.DeploymentConfigAlreadyExistsException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentInfo;
import software.amazon.awssdk.services.codedeploy.model.DeploymentStatus;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocation;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocationType;
import tools.jackson.databind.json.JsonMapper;

/**
 * ECS blue/green through CodeDeploy, for teams already on it: CodeDeploy shifts the traffic, Cutover
 * writes the AppSpec, answers the lifecycle hooks and stops the deployment with rollback when one
 * of its gates fails.
 *
 * <pre>{@code
 * CodeDeployBlueGreen codeDeploy = CodeDeployBlueGreen.builder(aws.codeDeploy(), "myapp", "myapp-prod")
 *         .container("web", 8080)
 *         .config(CodeDeployConfig.CANARY_10_PERCENT_5_MINUTES)
 *         .hook(CodeDeployEvent.AFTER_ALLOW_TEST_TRAFFIC, "arn:aws:lambda:...:function:myapp-hooks", smokeTest)
 *         .gate(CloudWatchAlarmGate.alarms(aws.cloudWatch(), "myapp-5xx"))
 *         .build();
 * CodeDeployRollout rollout = codeDeploy.start(Revision.of("v2", taskDefinitionArn));
 * rollout.watch(scheduler, clock, Duration.ofSeconds(15)).join();
 * }</pre>
 *
 * <p>CodeDeploy calls a Lambda function at each hook event with the deployment id and a hook
 * execution id; that function hands them to {@link #hookHandler()} (for example by calling a small
 * endpoint of the service embedding Cutover), which runs the Cutover {@link Hook} registered for
 * the event and reports the result with {@code PutLifecycleEventHookExecutionStatus}.
 */
public final class CodeDeployBlueGreen {

    private static final Logger log = LoggerFactory.getLogger(CodeDeployBlueGreen.class);
    private static final String DESCRIPTION_PREFIX = "cutover ";
    static final List<DeploymentStatus> ACTIVE = List.of(DeploymentStatus.CREATED, DeploymentStatus.QUEUED,
            DeploymentStatus.IN_PROGRESS, DeploymentStatus.READY, DeploymentStatus.BAKING);

    final CodeDeployClient codeDeploy;
    final String application;
    final String deploymentGroup;
    private final String containerName;
    private final int containerPort;
    private final CodeDeployConfig config;
    private final Map<CodeDeployEvent, String> functions;
    final Map<CodeDeployEvent, Hook> hooks;
    final List<Gate> gates;
    final MetricSource metrics;
    final HealthProbe health;
    final Clock clock;

    private CodeDeployBlueGreen(Builder b) {
        this.codeDeploy = b.codeDeploy;
        this.application = b.application;
        this.deploymentGroup = b.deploymentGroup;
        this.containerName = b.containerName;
        this.containerPort = b.containerPort;
        this.config = b.config;
        this.functions = Map.copyOf(b.functions);
        this.hooks = Map.copyOf(b.hooks);
        this.gates = List.copyOf(b.gates);
        this.metrics = b.metrics;
        this.health = b.health;
        this.clock = b.clock;
    }

    public static Builder builder(CodeDeployClient codeDeploy, String application, String deploymentGroup) {
        return new Builder(codeDeploy, application, deploymentGroup);
    }

    /**
     * Starts a deployment of {@code revision} (its artifact is the task definition ARN), or returns
     * the one already running it: calling again after a crash does not start a second deployment.
     */
    public CodeDeployRollout start(Revision revision) {
        Objects.requireNonNull(revision, "revision");
        String description = description(revision);
        List<String> active = AwsCalls.call("ListDeployments of " + application + "/" + deploymentGroup,
                () -> codeDeploy.listDeployments(r -> r.applicationName(application).deploymentGroupName(deploymentGroup)
                        .includeOnlyStatuses(ACTIVE)).deployments());
        for (String id : active) {
            DeploymentInfo info = AwsCalls.call("GetDeployment " + id, () -> codeDeploy.getDeployment(r -> r.deploymentId(id)).deploymentInfo());
            if (description.equals(info.description())) {
                log.info("CodeDeploy {}/{}: {} already runs {}", application, deploymentGroup, id, revision.name());
                return new CodeDeployRollout(this, id, revision);
            }
        }
        ensureConfig();
        String appSpec = appSpec(revision);
        String id = AwsCalls.call("CreateDeployment of " + revision.name() + " in " + application + "/" + deploymentGroup,
                () -> codeDeploy.createDeployment(r -> r.applicationName(application).deploymentGroupName(deploymentGroup)
                        .deploymentConfigName(config.name()).description(description)
                        .revision(RevisionLocation.builder().revisionType(RevisionLocationType.APP_SPEC_CONTENT)
                                .appSpecContent(c -> c.content(appSpec).sha256(sha256(appSpec))).build())).deploymentId());
        log.info("CodeDeploy {}/{}: started {} for {} with {}", application, deploymentGroup, id, revision.name(), config.name());
        return new CodeDeployRollout(this, id, revision);
    }

    /** What a hook relay calls with the ids CodeDeploy passed to the hook function. */
    public CodeDeployHookHandler hookHandler() {
        return new CodeDeployHookHandler(this);
    }

    /** The AppSpec (JSON) of a deployment of {@code revision}. */
    public String appSpec(Revision revision) {
        Map<String, Object> lb = new LinkedHashMap<>();
        lb.put("ContainerName", containerName);
        lb.put("ContainerPort", containerPort);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("TaskDefinition", revision.artifact());
        properties.put("LoadBalancerInfo", lb);
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("Type", "AWS::ECS::Service");
        service.put("Properties", properties);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("version", 0.0);
        spec.put("Resources", List.of(Map.of("TargetService", service)));
        List<Map<String, String>> hookList = new ArrayList<>();
        for (CodeDeployEvent event : CodeDeployEvent.values()) {
            if (functions.containsKey(event)) {
                hookList.add(Map.of(event.appSpecName(), functions.get(event)));
            }
        }
        if (!hookList.isEmpty()) {
            spec.put("Hooks", hookList);
        }
        return JsonMapper.builder().build().writeValueAsString(spec);
    }

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

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Defaults: {@link CodeDeployConfig#ALL_AT_ONCE}, no hooks, no gates, no metrics or health probe, the system clock. */
    public static final class Builder {
        private final CodeDeployClient codeDeploy;
        private final String application;
        private final String deploymentGroup;
        private String containerName;
        private int containerPort;
        private CodeDeployConfig config = CodeDeployConfig.ALL_AT_ONCE;
        private final Map<CodeDeployEvent, String> functions = new EnumMap<>(CodeDeployEvent.class);
        private final Map<CodeDeployEvent, Hook> hooks = new EnumMap<>(CodeDeployEvent.class);
        private final List<Gate> gates = new ArrayList<>();
        private MetricSource metrics = MetricSource.NONE;
        private HealthProbe health = HealthProbe.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder(CodeDeployClient codeDeploy, String application, String deploymentGroup) {
            this.codeDeploy = Objects.requireNonNull(codeDeploy, "codeDeploy");
            this.application = notBlank("application", application);
            this.deploymentGroup = notBlank("deploymentGroup", deploymentGroup);
        }

        public Builder container(String name, int port) {
            this.containerName = notBlank("containerName", name);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("containerPort must be within 1..65535: " + port);
            }
            this.containerPort = port;
            return this;
        }

        public Builder config(CodeDeployConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** At {@code event}, CodeDeploy calls {@code functionArn}, whose relay makes {@link #hookHandler()} run {@code hook}. */
        public Builder hook(CodeDeployEvent event, String functionArn, Hook hook) {
            Objects.requireNonNull(event, "event");
            functions.put(event, notBlank("functionArn", functionArn));
            hooks.put(event, Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /** Gates checked at every {@link CodeDeployRollout#check}; a FAILED one stops the deployment with rollback. */
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

        /** The clock hooks and gates are told the time by; default the system UTC clock. */
        public Builder withClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public CodeDeployBlueGreen build() {
            if (containerName == null) {
                throw new IllegalArgumentException("container(name, port) must be set for " + application + "/" + deploymentGroup);
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
