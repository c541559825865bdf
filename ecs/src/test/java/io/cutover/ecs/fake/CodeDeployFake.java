package io.cutover.ecs.fake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * CodeDeploy ECS blue/green deployments with state. A deployment walks through the ECS lifecycle
 * events one per {@code GetDeployment}; at an event whose hook function the AppSpec names, it
 * "invokes" the function (the invocation waits in {@link #takeInvocations()}, as a Lambda would
 * receive it) and stays there until {@code PutLifecycleEventHookExecutionStatus} answers.
 */
public final class CodeDeployFake {

    static final List<String> EVENTS = List.of("BeforeInstall", "Install", "AfterInstall", "AllowTestTraffic",
            "AfterAllowTestTraffic", "BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic");

    /** What CodeDeploy would send to a hook function. */
    public record Invocation(String deploymentId, String hookExecutionId, String event, String function) { }

    private static final class Deployment {
        final ObjectNode info;
        final Map<String, String> hooks;
        int event = -1;
        String waitingOn;

        Deployment(ObjectNode info, Map<String, String> hooks) {
            this.info = info;
            this.hooks = hooks;
        }
    }

    private final Map<String, Deployment> deployments = new LinkedHashMap<>();
    private final Map<String, JsonNode> configs = new LinkedHashMap<>();
    private final List<Invocation> invocations = new ArrayList<>();
    private final List<String> passed = new ArrayList<>();
    private int ids;
    private long clock = 1_767_225_600L;

    /** Hook invocations not yet taken; taking them is delivering them to the function. */
    public synchronized List<Invocation> takeInvocations() {
        List<Invocation> out = List.copyOf(invocations);
        invocations.clear();
        return out;
    }

    /** Lifecycle events each deployment has completed, as "d-1:AfterInstall". */
    public synchronized List<String> passedEvents() {
        return List.copyOf(passed);
    }

    public synchronized JsonNode deploymentConfig(String name) {
        return configs.get(name);
    }

    public synchronized String appSpec(String deploymentId) {
        return deployments.get(deploymentId).info.path("revision").path("appSpecContent").path("content").asString();
    }

    public synchronized String status(String deploymentId) {
        return deployments.get(deploymentId).info.path("status").asString();
    }

    public synchronized int count() {
        return deployments.size();
    }

    synchronized AwsFake.Reply handle(String op, JsonNode in) {
        switch (op) {
            case "CreateDeploymentConfig": {
                String name = in.path("deploymentConfigName").asString();
                if (configs.containsKey(name)) {
                    return AwsFake.jsonError(400, "DeploymentConfigAlreadyExistsException", "A deployment configuration with the specified name already exists");
                }
                configs.put(name, in.deepCopy());
                return AwsFake.json(200, EcsFake.JSON.objectNode().put("deploymentConfigId", "cfg-" + configs.size()));
            }
            case "CreateDeployment": {
                String name = in.path("deploymentConfigName").asString();
                if (!name.startsWith("CodeDeployDefault.") && !configs.containsKey(name)) {
                    return AwsFake.jsonError(400, "DeploymentConfigDoesNotExistException", "No deployment configuration named " + name);
                }
                String id = "d-" + (++ids);
                ObjectNode info = EcsFake.JSON.objectNode();
                info.put("deploymentId", id);
                info.put("applicationName", in.path("applicationName").asString());
                info.put("deploymentGroupName", in.path("deploymentGroupName").asString());
                info.put("deploymentConfigName", name);
                info.put("description", in.path("description").asString());
                info.put("computePlatform", "ECS");
                info.put("status", "Created");
                info.put("createTime", ++clock);
                info.set("revision", in.path("revision").deepCopy());
                Map<String, String> hooks = new LinkedHashMap<>();
                JsonNode spec = AwsFake.MAPPER.readTree(in.path("revision").path("appSpecContent").path("content").asString());
                for (JsonNode h : spec.path("Hooks")) {
                    h.properties().forEach(e -> hooks.put(e.getKey(), e.getValue().asString()));
                }
                deployments.put(id, new Deployment(info, hooks));
                return AwsFake.json(200, EcsFake.JSON.objectNode().put("deploymentId", id));
            }
            case "GetDeployment": {
                Deployment d = deployments.get(in.path("deploymentId").asString());
                if (d == null) {
                    return AwsFake.jsonError(400, "DeploymentDoesNotExistException", "The deployment does not exist");
                }
                advance(d);
                ObjectNode reply = EcsFake.JSON.objectNode();
                reply.set("deploymentInfo", d.info.deepCopy());
                return AwsFake.json(200, reply);
            }
            case "ListDeployments": {
                List<String> statuses = new ArrayList<>();
                in.path("includeOnlyStatuses").forEach(s -> statuses.add(s.asString()));
                ArrayNode ids = EcsFake.JSON.arrayNode();
                deployments.values().stream()
                        .filter(d -> d.info.path("applicationName").asString().equals(in.path("applicationName").asString()))
                        .filter(d -> d.info.path("deploymentGroupName").asString().equals(in.path("deploymentGroupName").asString()))
                        .filter(d -> statuses.isEmpty() || statuses.contains(d.info.path("status").asString()))
                        .forEach(d -> ids.add(d.info.path("deploymentId").asString()));
                ObjectNode reply = EcsFake.JSON.objectNode();
                reply.set("deployments", ids);
                return AwsFake.json(200, reply);
            }
            case "PutLifecycleEventHookExecutionStatus": {
                Deployment d = deployments.get(in.path("deploymentId").asString());
                String execution = in.path("lifecycleEventHookExecutionId").asString();
                if (d == null || !execution.equals(d.waitingOn)) {
                    return AwsFake.jsonError(400, "InvalidLifecycleEventHookExecutionIdException", "unknown hook execution " + execution);
                }
                d.waitingOn = null;
                String event = EVENTS.get(d.event);
                if ("Succeeded".equals(in.path("status").asString())) {
                    passed.add(d.info.path("deploymentId").asString() + ":" + event);
                } else {
                    d.info.put("status", "Failed");
                    d.info.putObject("errorInformation").put("code", "HOOK_EXECUTION_FAILURE")
                            .put("message", "The " + event + " hook failed");
                    d.info.putObject("rollbackInfo").put("rollbackMessage", "Rolled back: traffic is on the original task set");
                }
                return AwsFake.json(200, EcsFake.JSON.objectNode().put("lifecycleEventHookExecutionId", execution));
            }
            case "StopDeployment": {
                Deployment d = deployments.get(in.path("deploymentId").asString());
                if (d == null) {
                    return AwsFake.jsonError(400, "DeploymentDoesNotExistException", "The deployment does not exist");
                }
                String status = d.info.path("status").asString();
                if (status.equals("Succeeded") || status.equals("Failed") || status.equals("Stopped")) {
                    return AwsFake.jsonError(400, "DeploymentAlreadyCompletedException", "The deployment is already completed");
                }
                d.info.put("status", "Stopped");
                d.waitingOn = null;
                if (in.path("autoRollbackEnabled").asBoolean(false)) {
                    d.info.putObject("rollbackInfo").put("rollbackMessage", "Stopped with rollback: traffic is on the original task set");
                }
                return AwsFake.json(200, EcsFake.JSON.objectNode().put("status", "Pending").put("statusMessage", "Stopping"));
            }
            default:
                return AwsFake.jsonError(400, "InvalidOperationException", "not played by this fake: " + op);
        }
    }

    private void advance(Deployment d) {
        String status = d.info.path("status").asString();
        if (status.equals("Created")) {
            d.info.put("status", "InProgress");
            return;
        }
        if (!status.equals("InProgress") || d.waitingOn != null) {
            return;
        }
        d.event++;
        if (d.event >= EVENTS.size()) {
            d.info.put("status", "Succeeded");
            return;
        }
        String event = EVENTS.get(d.event);
        String function = d.hooks.get(event);
        if (function != null) {
            d.waitingOn = "hook-" + d.info.path("deploymentId").asString() + "-" + event;
            invocations.add(new Invocation(d.info.path("deploymentId").asString(), d.waitingOn, event, function));
        } else {
            passed.add(d.info.path("deploymentId").asString() + ":" + event);
        }
    }
}
