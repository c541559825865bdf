package io.cutover.ecs.fake;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Services with the ECS (rolling) deployment controller. At each wave (each describe without a
 * clock, every {@value EcsFake#WAVE_SECONDS} virtual seconds with one) the primary deployment moves
 * on: healthy tasks start up to the surge {@code maximumPercent} allows, as many of the older
 * deployments' tasks stop, until the deployment is COMPLETED; tasks of a broken task definition fail, and after three
 * failures the circuit breaker (when enabled) marks the deployment FAILED and, with rollback,
 * drains it (desired 0) and starts a deployment of the last completed task definition; once that
 * completes, only the primary deployment is listed.
 */
final class EcsRollingFake {

    private final EcsFake ecs;

    EcsRollingFake(EcsFake ecs) {
        this.ecs = ecs;
    }

    void create(String cluster, String service, int desiredCount, String taskDefinition) {
        ObjectNode s = ecs.service(cluster, service, desiredCount, taskDefinition, "ECS");
        ObjectNode config = s.putObject("deploymentConfiguration");
        config.put("minimumHealthyPercent", 50);
        config.put("maximumPercent", 150);
        ObjectNode alarms = config.putObject("alarms");
        alarms.putArray("alarmNames").add("worker-errors");
        alarms.put("enable", true);
        alarms.put("rollback", false);
        s.put("lastCompletedTaskDefinition", taskDefinition);
        ArrayNode deployments = s.putArray("deployments");
        ObjectNode d = deployment(taskDefinition, desiredCount);
        d.put("runningCount", desiredCount);
        d.put("rolloutState", "COMPLETED");
        d.put("rolloutStateReason", "ECS deployment completed.");
        deployments.add(d);
        ecs.services.put(EcsFake.key(cluster, service), s);
    }

    AwsFake.Reply updateService(String cluster, JsonNode in) {
        ObjectNode s = ecs.services.get(EcsFake.key(cluster, in.path("service").asString()));
        if (s == null) {
            return AwsFake.jsonError(400, "ServiceNotFoundException", "Service not found.");
        }
        if (!"ECS".equals(s.path("deploymentController").path("type").asString())) {
            return AwsFake.jsonError(400, "InvalidParameterException", "Cannot update the task definition of a service with the EXTERNAL deployment controller.");
        }
        if (in.has("deploymentConfiguration")) {
            s.set("deploymentConfiguration", in.get("deploymentConfiguration").deepCopy());
        }
        if (in.has("taskDefinition") && !in.path("taskDefinition").asString().equals(s.path("taskDefinition").asString())) {
            start(s, in.path("taskDefinition").asString());
            ecs.restartWaves("service/" + EcsFake.key(cluster, in.path("service").asString()));
        }
        ObjectNode reply = EcsFake.JSON.objectNode();
        reply.set("service", s.deepCopy());
        return AwsFake.json(200, reply);
    }

    private void start(ObjectNode s, String taskDefinition) {
        ArrayNode deployments = (ArrayNode) s.get("deployments");
        for (JsonNode d : deployments) {
            if ("PRIMARY".equals(d.path("status").asString())) {
                ((ObjectNode) d).put("status", "ACTIVE");
            }
        }
        deployments.insert(0, deployment(taskDefinition, s.path("desiredCount").asInt()));
        s.put("taskDefinition", taskDefinition);
    }

    void tick(ObjectNode s) {
        if (!"ECS".equals(s.path("deploymentController").path("type").asString())) {
            return;
        }
        long waves = ecs.waves("service/" + EcsFake.key(s.path("clusterArn").asString(), s.path("serviceName").asString()));
        for (long i = 0; i < waves; i++) {
            wave(s);
        }
    }

    private void wave(ObjectNode s) {
        ArrayNode deployments = (ArrayNode) s.get("deployments");
        ObjectNode primary = null;
        for (JsonNode d : deployments) {
            if ("PRIMARY".equals(d.path("status").asString())) {
                primary = (ObjectNode) d;
            }
        }
        if (primary == null || !"IN_PROGRESS".equals(primary.path("rolloutState").asString())) {
            return;
        }
        JsonNode config = s.path("deploymentConfiguration");
        int desired = s.path("desiredCount").asInt();
        if (ecs.broken.contains(primary.path("taskDefinition").asString())) {
            primary.put("failedTasks", primary.path("failedTasks").asInt() + 1);
            JsonNode breaker = config.path("deploymentCircuitBreaker");
            if (primary.path("failedTasks").asInt() >= 3 && breaker.path("enable").asBoolean(false)) {
                primary.put("rolloutState", "FAILED");
                primary.put("rolloutStateReason", "ECS deployment circuit breaker: tasks failed to start.");
                if (breaker.path("rollback").asBoolean(false)) {
                    // as ECS does: the failed deployment is drained (desired 0) and removed once the rollback completes
                    primary.put("status", "ACTIVE").put("desiredCount", 0).put("runningCount", 0);
                    deployments.insert(0, deployment(s.path("lastCompletedTaskDefinition").asString(), desired));
                    s.put("taskDefinition", s.path("lastCompletedTaskDefinition").asString());
                }
            }
            return;
        }
        int surge = Math.max(1, desired * (config.path("maximumPercent").asInt(200) - 100) / 100);
        int running = Math.min(desired, primary.path("runningCount").asInt() + surge);
        primary.put("runningCount", running);
        // For every new task running, ECS stops one of the older deployments' tasks.
        int left = desired - running;
        for (JsonNode d : deployments) {
            if (d != primary && !"FAILED".equals(d.path("rolloutState").asString())) {
                int keep = Math.min(left, d.path("runningCount").asInt());
                ((ObjectNode) d).put("runningCount", keep).put("desiredCount", keep);
                left -= keep;
            }
        }
        if (running == desired) {
            primary.put("rolloutState", "COMPLETED");
            primary.put("rolloutStateReason", "ECS deployment " + primary.path("id").asString() + " completed.");
            s.put("lastCompletedTaskDefinition", primary.path("taskDefinition").asString());
            List<JsonNode> keep = new ArrayList<>();
            for (JsonNode d : deployments) {
                if (d == primary) {
                    keep.add(d);
                }
            }
            deployments.removeAll();
            keep.forEach(deployments::add);
        }
    }

    private ObjectNode deployment(String taskDefinition, int desired) {
        ObjectNode d = EcsFake.JSON.objectNode();
        d.put("id", "ecs-svc/" + (9000 + ecs.now() % 1000));
        d.put("status", "PRIMARY");
        d.put("taskDefinition", taskDefinition);
        d.put("desiredCount", desired);
        d.put("runningCount", 0);
        d.put("pendingCount", 0);
        d.put("failedTasks", 0);
        d.put("rolloutState", "IN_PROGRESS");
        d.put("rolloutStateReason", "ECS deployment in progress.");
        d.put("createdAt", ecs.now());
        return d;
    }
}
