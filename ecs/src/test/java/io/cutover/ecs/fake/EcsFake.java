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
 * ECS services and task sets with state, and a tiny controller: whenever a task set or service is
 * described, every task set runs {@code ceil(desiredCount * scale / 100)} tasks and is
 * {@code STEADY_STATE}, unless its task definition was marked {@linkplain #breakTaskDefinition broken}
 * (then it never gets a running task and stays {@code STABILIZING}). Rolling services live in
 * {@link EcsRollingFake}.
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

    /** A service with the EXTERNAL deployment controller and one primary task set in {@code targetGroup}. */
    public synchronized void createExternalService(String cluster, String service, int desiredCount,
                                                   String taskDefinition, String revisionName, String targetGroup) {
        ObjectNode s = service(cluster, service, desiredCount, taskDefinition, "EXTERNAL");
        services.put(key(cluster, service), s);
        List<ObjectNode> sets = new ArrayList<>();
        ObjectNode primary = newTaskSet(cluster, service, taskDefinition, revisionName, targetGroup, 100);
        primary.put("status", "PRIMARY");
        primary.put("launchType", "FARGATE");
        primary.put("platformVersion", "1.4.0");
        ObjectNode vpc = primary.putObject("networkConfiguration").putObject("awsvpcConfiguration");
        vpc.putArray("subnets").add("subnet-1").add("subnet-2");
        vpc.putArray("securityGroups").add("sg-1");
        vpc.put("assignPublicIp", "DISABLED");
        sets.add(primary);
        taskSets.put(key(cluster, service), sets);
    }

    /** A service with the ECS (rolling) deployment controller, its one deployment completed. */
    public synchronized void createRollingService(String cluster, String service, int desiredCount, String taskDefinition) {
        rolling.create(cluster, service, desiredCount, taskDefinition);
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
                    rolling.tick(s);
                    ObjectNode copy = s.deepCopy();
                    copy.remove("lastCompletedTaskDefinition");
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
                sets.forEach(out::add);
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
                return rolling.updateService(cluster, in);
            default:
                return AwsFake.jsonError(400, "InvalidParameterException", "not played by this fake: " + op);
        }
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
        for (ObjectNode t : sets) {
            int computed = (int) Math.ceil(desired * t.path("scale").path("value").asDouble() / 100.0 - 1e-9);
            boolean ok = !broken.contains(t.path("taskDefinition").asString());
            int running = ok ? computed : 0;
            t.put("computedDesiredCount", computed);
            t.put("runningCount", running);
            t.put("pendingCount", computed - running);
            t.put("stabilityStatus", running == computed && ok ? "STEADY_STATE" : "STABILIZING");
        }
    }
}
