package io.cutover.ecs.fake;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * ECS services and task sets with state, and a tiny controller. Without a clock, whenever a task set
 * or service is described every task set runs {@code ceil(desiredCount * scale / 100)} tasks at once;
 * with {@link #useClock} tasks start and stop over virtual time, {@value #TASKS_PER_WAVE} per task
 * set every {@value #WAVE_SECONDS} seconds. As ECS does, a task set is {@code STABILIZING} until its
 * running count equals its computed desired count, then {@code STEADY_STATE}; tasks of a task
 * definition marked {@linkplain #breakTaskDefinition broken} never run. Tags (TagResource,
 * UntagResource, {@code include=TAGS}) are kept per ARN. Rolling services live in {@link EcsRollingFake}.
 */
public final class EcsFake {

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String ACCOUNT = "arn:aws:ecs:us-east-1:123456789012:";

    final Map<String, ObjectNode> services = new LinkedHashMap<>();
    final Map<String, List<ObjectNode>> taskSets = new LinkedHashMap<>();
    final Set<String> broken = new HashSet<>();
    private final AtomicInteger ids = new AtomicInteger();
    private long clock = 1_767_225_600L;
    final EcsRollingFake rolling = new EcsRollingFake(this);
    final EcsNativeFake nativeDeployments = new EcsNativeFake(this);
    final Map<String, Map<String, String>> tags = new LinkedHashMap<>();
    private java.util.function.Supplier<java.time.Instant> time;
    private final Map<String, Long> lastTick = new LinkedHashMap<>();
    /** Seconds ECS takes per wave of task starts or stops once a clock is set. */
    static final long WAVE_SECONDS = 30;
    /** Tasks a task set starts or stops per wave. */
    static final long TASKS_PER_WAVE = 2;

    /**
     * From now on tasks start and stop over {@code time} (a wave every {@value #WAVE_SECONDS} seconds)
     * rather than at once whenever something is described.
     */
    public synchronized void useClock(java.util.function.Supplier<java.time.Instant> time) {
        this.time = time;
    }

    /** How many waves of task changes have passed for {@code key} since it was last looked at (1 without a clock). */
    synchronized long waves(String key) {
        if (time == null) {
            return 1;
        }
        long now = time.get().getEpochSecond();
        Long last = lastTick.get(key);
        if (last == null) {
            lastTick.put(key, now);
            return 0;
        }
        long waves = (now - last) / WAVE_SECONDS;
        lastTick.put(key, last + waves * WAVE_SECONDS);
        return waves;
    }

    /** Starts the wave clock of {@code key} now: what changed at this instant converges from here. */
    synchronized void restartWaves(String key) {
        if (time != null) {
            lastTick.put(key, time.get().getEpochSecond());
        }
    }

    /** The tags of a resource, as TagResource left them. */
    public synchronized Map<String, String> tagsOf(String arn) {
        return Map.copyOf(tags.getOrDefault(arn, Map.of()));
    }

    /** Every task set of a service, hand-made ones included, can be added as an operator would with the console. */
    public synchronized String createTaskSetByHand(String cluster, String service, String taskDefinition, String targetGroup, double scale) {
        ObjectNode set = newTaskSet(cluster, service, taskDefinition, null, targetGroup, scale);
        taskSets.get(key(cluster, service)).add(set);
        return set.path("taskSetArn").asString();
    }

    /** A service with the EXTERNAL deployment controller and one primary task set in {@code targetGroup}. */
    public synchronized void createExternalService(String cluster, String service, int desiredCount,
                                                   String taskDefinition, String revisionName, String targetGroup) {
        ObjectNode s = service(cluster, service, desiredCount, taskDefinition, "EXTERNAL");
        services.put(key(cluster, service), s);
        List<ObjectNode> sets = new ArrayList<>();
        ObjectNode primary = newTaskSet(cluster, service, taskDefinition, revisionName, targetGroup, 100);
        primary.put("status", "PRIMARY");
        primary.put("runningCount", desiredCount);
        primary.put("computedDesiredCount", desiredCount);
        primary.put("stabilityStatus", "STEADY_STATE");
        primary.put("launchType", "FARGATE");
        primary.put("platformVersion", "1.4.0");
        ObjectNode vpc = primary.putObject("networkConfiguration").putObject("awsvpcConfiguration");
        vpc.putArray("subnets").add("subnet-1").add("subnet-2");
        vpc.putArray("securityGroups").add("sg-1");
        vpc.put("assignPublicIp", "DISABLED");
        sets.add(primary);
        taskSets.put(key(cluster, service), sets);
    }

    /** A service with the CODE_DEPLOY deployment controller running {@code taskDefinition}; CodeDeploy's fake changes it. */
    public synchronized void createCodeDeployService(String cluster, String service, int desiredCount, String taskDefinition) {
        ObjectNode s = service(cluster, service, desiredCount, taskDefinition, "CODE_DEPLOY");
        s.put("runningCount", desiredCount);
        services.put(key(cluster, service), s);
    }

    /** A service with the ECS (rolling) deployment controller, its one deployment completed. */
    public synchronized void createRollingService(String cluster, String service, int desiredCount, String taskDefinition) {
        rolling.create(cluster, service, desiredCount, taskDefinition);
    }

    /** Services ECS deploys itself (BLUE_GREEN, LINEAR, CANARY): create them and read their deployments there. */
    public EcsNativeFake nativeDeployments() {
        return nativeDeployments;
    }

    /** A copy of a service as stored (deployments, deployment configuration). */
    public synchronized JsonNode service(String cluster, String service) {
        return services.get(key(cluster, service)).deepCopy();
    }

    /** Tasks of this task definition never start. */
    public synchronized void breakTaskDefinition(String taskDefinition) {
        broken.add(taskDefinition);
    }

    /** A copy of the task sets of a service, as the controller last left them. */
    public synchronized List<JsonNode> taskSets(String cluster, String service) {
        tick(cluster, service);
        return List.copyOf(taskSets.getOrDefault(key(cluster, service), List.of()).stream().map(JsonNode::deepCopy).toList());
    }

    /** The scale percent of the task set running {@code revisionName}, or -1 when there is none. */
    public synchronized double scaleOf(String cluster, String service, String revisionName) {
        return taskSets.getOrDefault(key(cluster, service), List.of()).stream()
                .filter(t -> revisionName.equals(t.path("externalId").asString()))
                .mapToDouble(t -> t.path("scale").path("value").asDouble()).findFirst().orElse(-1);
    }

    /** The status (PRIMARY, ACTIVE) of the task set running {@code revisionName}, or null when there is none. */
    public synchronized String statusOf(String cluster, String service, String revisionName) {
        return taskSets.getOrDefault(key(cluster, service), List.of()).stream()
                .filter(t -> revisionName.equals(t.path("externalId").asString()))
                .map(t -> t.path("status").asString()).findFirst().orElse(null);
    }

    synchronized AwsFake.Reply handle(String op, JsonNode in) {
        String cluster = in.path("cluster").asString("default");
        String service = in.path("service").asString(null);
        switch (op) {
            case "DescribeServices": {
                ArrayNode out = JSON.arrayNode();
                ArrayNode failures = JSON.arrayNode();
                for (JsonNode name : in.path("services")) {
                    ObjectNode s = services.get(key(cluster, name.asString()));
                    if (s == null) {
                        failures.addObject().put("arn", ACCOUNT + "service/" + cluster + "/" + name.asString()).put("reason", "MISSING");
                        continue;
                    }
                    tick(cluster, name.asString());
                    if (!nativeDeployments.tick(s)) {
                        rolling.tick(s);
                    }
                    ObjectNode copy = s.deepCopy();
                    copy.remove("lastCompletedTaskDefinition");
                    if (includes(in, "TAGS")) {
                        copy.set("tags", tagList(s.path("serviceArn").asString()));
                    }
                    if ("EXTERNAL".equals(s.path("deploymentController").path("type").asString())) {
                        ArrayNode sets = copy.putArray("taskSets");
                        taskSets.get(key(cluster, name.asString())).forEach(sets::add);
                    }
                    out.add(copy);
                }
                ObjectNode reply = JSON.objectNode();
                reply.set("services", out);
                reply.set("failures", failures);
                return AwsFake.json(200, reply);
            }
            case "DescribeTaskSets": {
                List<ObjectNode> sets = taskSets.get(key(cluster, service));
                if (sets == null) {
                    return AwsFake.jsonError(400, "ServiceNotFoundException", "Service not found.");
                }
                tick(cluster, service);
                ObjectNode reply = JSON.objectNode();
                ArrayNode out = reply.putArray("taskSets");
                for (ObjectNode t : sets) {
                    ObjectNode copy = t.deepCopy();
                    if (includes(in, "TAGS")) {
                        copy.set("tags", tagList(t.path("taskSetArn").asString()));
                    }
                    out.add(copy);
                }
                reply.putArray("failures");
                return AwsFake.json(200, reply);
            }
            case "CreateTaskSet": {
                List<ObjectNode> sets = taskSets.get(key(cluster, service));
                if (sets == null) {
                    return AwsFake.jsonError(400, "ServiceNotFoundException", "Service not found.");
                }
                JsonNode lb = in.path("loadBalancers").path(0);
                ObjectNode set = newTaskSet(cluster, service, in.path("taskDefinition").asString(), in.path("externalId").asString(null),
                        lb.path("targetGroupArn").asString(), in.path("scale").path("value").asDouble());
                for (String field : List.of("launchType", "platformVersion", "networkConfiguration", "capacityProviderStrategy", "serviceRegistries")) {
                    if (in.has(field)) {
                        set.set(field, in.get(field).deepCopy());
                    }
                }
                set.set("loadBalancers", in.path("loadBalancers").deepCopy());
                for (JsonNode tag : in.path("tags")) {
                    tags.computeIfAbsent(set.path("taskSetArn").asString(), k -> new LinkedHashMap<>())
                            .put(tag.path("key").asString(), tag.path("value").asString());
                }
                sets.add(set);
                ObjectNode reply = JSON.objectNode();
                reply.set("taskSet", set.deepCopy());
                return AwsFake.json(200, reply);
            }
            case "UpdateTaskSet": {
                ObjectNode set = find(cluster, service, in.path("taskSet").asString());
                if (set == null) {
                    return AwsFake.jsonError(400, "TaskSetNotFoundException", "The specified task set does not exist.");
                }
                ObjectNode scale = set.putObject("scale");
                scale.put("value", in.path("scale").path("value").asDouble());
                scale.put("unit", "PERCENT");
                set.put("updatedAt", ++clock);
                tick(cluster, service);
                ObjectNode reply = JSON.objectNode();
                reply.set("taskSet", set.deepCopy());
                return AwsFake.json(200, reply);
            }
            case "UpdateServicePrimaryTaskSet": {
                ObjectNode next = find(cluster, service, in.path("primaryTaskSet").asString());
                if (next == null) {
                    return AwsFake.jsonError(400, "TaskSetNotFoundException", "The specified task set does not exist.");
                }
                for (ObjectNode t : taskSets.get(key(cluster, service))) {
                    if ("PRIMARY".equals(t.path("status").asString())) {
                        t.put("status", "ACTIVE");
                    }
                }
                next.put("status", "PRIMARY");
                services.get(key(cluster, service)).put("taskDefinition", next.path("taskDefinition").asString());
                ObjectNode reply = JSON.objectNode();
                reply.set("taskSet", next.deepCopy());
                return AwsFake.json(200, reply);
            }
            case "DeleteTaskSet": {
                ObjectNode set = find(cluster, service, in.path("taskSet").asString());
                if (set == null) {
                    return AwsFake.jsonError(400, "TaskSetNotFoundException", "The specified task set does not exist.");
                }
                if (!in.path("force").asBoolean(false) && set.path("scale").path("value").asDouble() > 0) {
                    return AwsFake.jsonError(400, "InvalidParameterException", "The task set must be scaled to 0 before it is deleted, or use force.");
                }
                taskSets.get(key(cluster, service)).remove(set);
                set.put("status", "DRAINING");
                ObjectNode reply = JSON.objectNode();
                reply.set("taskSet", set.deepCopy());
                return AwsFake.json(200, reply);
            }
            case "UpdateService":
                return nativeDeployments.owns(cluster, in) ? nativeDeployments.updateService(cluster, in) : rolling.updateService(cluster, in);
            case "ListServiceDeployments", "DescribeServiceDeployments", "DescribeServiceRevisions", "StopServiceDeployment":
                return nativeDeployments.handle(op, in);
            case "TagResource": {
                String arn = in.path("resourceArn").asString();
                if (!exists(arn)) {
                    return AwsFake.jsonError(400, "InvalidParameterException", "The specified resource does not exist: " + arn);
                }
                for (JsonNode tag : in.path("tags")) {
                    tags.computeIfAbsent(arn, k -> new LinkedHashMap<>()).put(tag.path("key").asString(), tag.path("value").asString());
                }
                return AwsFake.json(200, JSON.objectNode());
            }
            case "UntagResource": {
                String arn = in.path("resourceArn").asString();
                if (!exists(arn)) {
                    return AwsFake.jsonError(400, "InvalidParameterException", "The specified resource does not exist: " + arn);
                }
                for (JsonNode key : in.path("tagKeys")) {
                    tags.getOrDefault(arn, new LinkedHashMap<>()).remove(key.asString());
                }
                return AwsFake.json(200, JSON.objectNode());
            }
            default:
                return AwsFake.jsonError(400, "InvalidParameterException", "not played by this fake: " + op);
        }
    }

    private static boolean includes(JsonNode in, String field) {
        for (JsonNode f : in.path("include")) {
            if (field.equals(f.asString())) {
                return true;
            }
        }
        return false;
    }

    private ArrayNode tagList(String arn) {
        ArrayNode out = JSON.arrayNode();
        tags.getOrDefault(arn, Map.of()).forEach((k, v) -> out.addObject().put("key", k).put("value", v));
        return out;
    }

    private boolean exists(String arn) {
        return services.values().stream().anyMatch(s -> arn.equals(s.path("serviceArn").asString()))
                || taskSets.values().stream().flatMap(List::stream).anyMatch(t -> arn.equals(t.path("taskSetArn").asString()));
    }

    ObjectNode service(String cluster, String service, int desiredCount, String taskDefinition, String controller) {
        ObjectNode s = JSON.objectNode();
        s.put("serviceArn", ACCOUNT + "service/" + cluster + "/" + service);
        s.put("serviceName", service);
        s.put("clusterArn", ACCOUNT + "cluster/" + cluster);
        s.put("status", "ACTIVE");
        s.put("desiredCount", desiredCount);
        s.put("taskDefinition", taskDefinition);
        s.putObject("deploymentController").put("type", controller);
        return s;
    }

    static String key(String cluster, String service) {
        String c = cluster.substring(cluster.lastIndexOf('/') + 1);
        return c + "/" + service.substring(service.lastIndexOf('/') + 1);
    }

    long now() {
        return ++clock;
    }

    private ObjectNode newTaskSet(String cluster, String service, String taskDefinition, String externalId, String targetGroup, double scale) {
        String id = "ecs-svc/" + (1000 + ids.incrementAndGet());
        ObjectNode t = JSON.objectNode();
        t.put("id", id);
        t.put("taskSetArn", ACCOUNT + "task-set/" + cluster + "/" + service + "/" + id);
        t.put("serviceArn", ACCOUNT + "service/" + cluster + "/" + service);
        t.put("clusterArn", ACCOUNT + "cluster/" + cluster);
        t.put("status", "ACTIVE");
        t.put("taskDefinition", taskDefinition);
        if (externalId != null) {
            t.put("externalId", externalId);
        }
        t.put("computedDesiredCount", 0);
        t.put("pendingCount", 0);
        t.put("runningCount", 0);
        t.put("createdAt", ++clock);
        t.put("updatedAt", clock);
        t.put("stabilityStatus", "STABILIZING");
        ObjectNode s = t.putObject("scale");
        s.put("value", scale);
        s.put("unit", "PERCENT");
        ArrayNode lbs = t.putArray("loadBalancers");
        lbs.addObject().put("targetGroupArn", targetGroup).put("containerName", "web").put("containerPort", 8080);
        return t;
    }

    private ObjectNode find(String cluster, String service, String arnOrId) {
        for (ObjectNode t : taskSets.getOrDefault(key(cluster, service), List.of())) {
            if (arnOrId.equals(t.path("taskSetArn").asString()) || arnOrId.equals(t.path("id").asString())) {
                return t;
            }
        }
        return null;
    }

    private void tick(String cluster, String service) {
        ObjectNode s = services.get(key(cluster, service));
        List<ObjectNode> sets = taskSets.get(key(cluster, service));
        if (s == null || sets == null) {
            return;
        }
        int desired = s.path("desiredCount").asInt();
        long waves = waves("task-sets/" + key(cluster, service));
        long step = time == null ? Integer.MAX_VALUE : waves * TASKS_PER_WAVE;
        for (ObjectNode t : sets) {
            int computed = (int) Math.ceil(desired * t.path("scale").path("value").asDouble() / 100.0 - 1e-9);
            boolean ok = !broken.contains(t.path("taskDefinition").asString());
            int was = t.path("runningCount").asInt();
            int running = ok ? (computed >= was ? (int) Math.min(computed, was + step) : (int) Math.max(computed, was - step)) : 0;
            t.put("computedDesiredCount", computed);
            t.put("runningCount", running);
            t.put("pendingCount", Math.max(0, computed - running));
            t.put("stabilityStatus", running == computed && ok ? "STEADY_STATE" : "STABILIZING");
        }
    }
}
