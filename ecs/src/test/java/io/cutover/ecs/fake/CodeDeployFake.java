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
 * events, one per {@code GetDeployment} without a clock, one every {@value #EVENT_SECONDS} virtual
 * seconds with {@link #useClock}. At an event whose hook function the AppSpec names, it "invokes"
 * the function (the invocation waits in {@link #takeInvocations()}, as a Lambda would receive it)
 * and stays there until {@code PutLifecycleEventHookExecutionStatus} answers. As a deployment group
 * with {@code deploymentReadyOption STOP_DEPLOYMENT} does, it stops in status {@code Ready} after
 * the test traffic events until {@code ContinueDeployment(READY_WAIT)}; {@code AllowTraffic} shifts
 * the production weight as the deployment configuration says (all at once, canary, linear); after
 * {@code AfterAllowTraffic} it waits for the original task set's termination until
 * {@code ContinueDeployment(TERMINATION_WAIT)} or the group's termination wait has passed, then
 * succeeds and the ECS service runs the new task definition. {@code GetDeploymentTarget} reports
 * the blue and green task sets with their counts and traffic weights. {@code StopDeployment} answers
 * {@code Pending}, as AWS documents; with a clock the deployment keeps its traffic and status for
 * {@value #EVENT_SECONDS} virtual seconds, then its traffic is back on blue and it is {@code Stopped}
 * (a repeated stop meanwhile changes nothing).
 */
public final class CodeDeployFake {

    static final List<String> EVENTS = List.of("BeforeInstall", "Install", "AfterInstall", "AllowTestTraffic",
            "AfterAllowTestTraffic", "BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic");

    /** What CodeDeploy would send to a hook function. */
    public record Invocation(String deploymentId, String hookExecutionId, String event, String function) { }

    /** Virtual seconds each lifecycle event takes once a clock is set. */
    public static final long EVENT_SECONDS = 30;
    /** The termination wait of the deployment group: the original task set is kept this long after the shift. */
    public static final long TERMINATION_WAIT_SECONDS = 3600;

    private static final class Deployment {
        final ObjectNode info;
        final Map<String, String> hooks;
        int event = -1;
        String waitingOn;
        boolean readyWaitOver;
        long eventStartedAt;
        long shiftStartedAt = -1;
        long terminationWaitFrom = -1;
        double green;
        int greenRunning;
        long stoppingFrom = -1;
        boolean stopWithRollback;

        Deployment(ObjectNode info, Map<String, String> hooks) {
            this.info = info;
            this.hooks = hooks;
        }
    }

    private final Map<String, Deployment> deployments = new LinkedHashMap<>();
    private final Map<String, String[]> groups = new LinkedHashMap<>();
    private final EcsFake ecs;
    private java.util.function.Supplier<java.time.Instant> time;
    private boolean readyWait = true;

    public CodeDeployFake(EcsFake ecs) {
        this.ecs = ecs;
    }

    /** A deployment group deploying the ECS service {@code cluster/service} (create the service in the ECS fake first). */
    public synchronized void createDeploymentGroup(String application, String group, String cluster, String service) {
        groups.put(application + "/" + group, new String[] {cluster, service});
    }

    /** Lifecycle events take virtual time on {@code time}. */
    public synchronized void useClock(java.util.function.Supplier<java.time.Instant> time) {
        this.time = time;
    }

    /** Whether deployments wait in {@code Ready} for ContinueDeployment (default) or go on to reroute traffic at once. */
    public synchronized void readyWait(boolean wait) {
        this.readyWait = wait;
    }

    /** The production traffic weight of the replacement (green) task set of a deployment, in percent. */
    public synchronized double greenWeight(String deploymentId) {
        return deployments.get(deploymentId).green;
    }
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
                boolean busy = deployments.values().stream().anyMatch(d -> d.info.path("applicationName").asString().equals(in.path("applicationName").asString())
                        && d.info.path("deploymentGroupName").asString().equals(in.path("deploymentGroupName").asString())
                        && List.of("Created", "Queued", "InProgress", "Ready", "Baking").contains(d.info.path("status").asString()));
                if (busy) {
                    return AwsFake.jsonError(400, "DeploymentLimitExceededException",
                            "The deployment group already has an active deployment");
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
                Deployment created = new Deployment(info, hooks);
                created.eventStartedAt = now();
                deployments.put(id, created);
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
                    rollBack(d, "Failed");
                    d.info.putObject("errorInformation").put("code", "HOOK_EXECUTION_FAILURE")
                            .put("message", "The " + event + " hook failed");
                    d.info.putObject("rollbackInfo").put("rollbackMessage", "Rolled back: traffic is on the original task set");
                }
                return AwsFake.json(200, EcsFake.JSON.objectNode().put("lifecycleEventHookExecutionId", execution));
            }
            case "ContinueDeployment": {
                Deployment d = deployments.get(in.path("deploymentId").asString());
                if (d == null) {
                    return AwsFake.jsonError(400, "DeploymentDoesNotExistException", "The deployment does not exist");
                }
                advance(d);
                String type = in.path("deploymentWaitType").asString("READY_WAIT");
                if (d.stoppingFrom >= 0) {
                    return AwsFake.jsonError(400, "DeploymentIsNotInReadyStateException", "The deployment is being stopped");
                }
                if (type.equals("READY_WAIT") && "Ready".equals(d.info.path("status").asString())) {
                    d.readyWaitOver = true;
                    d.info.put("status", "InProgress");
                    d.eventStartedAt = now();
                } else if (type.equals("TERMINATION_WAIT") && d.terminationWaitFrom >= 0) {
                    succeed(d);
                } else {
                    return AwsFake.jsonError(400, "DeploymentIsNotInReadyStateException",
                            "The deployment is not waiting for " + type + ": " + d.info.path("status").asString());
                }
                return AwsFake.json(200, EcsFake.JSON.objectNode());
            }
            case "ListDeploymentTargets": {
                Deployment d = deployments.get(in.path("deploymentId").asString());
                if (d == null || target(d) == null) {
                    return AwsFake.jsonError(400, "DeploymentDoesNotExistException", "The deployment does not exist");
                }
                ObjectNode reply = EcsFake.JSON.objectNode();
                reply.putArray("targetIds").add(target(d)[0] + ":" + target(d)[1]);
                return AwsFake.json(200, reply);
            }
            case "GetDeploymentTarget": {
                Deployment d = deployments.get(in.path("deploymentId").asString());
                if (d == null || target(d) == null) {
                    return AwsFake.jsonError(400, "DeploymentDoesNotExistException", "The deployment does not exist");
                }
                if (!in.path("targetId").asString().equals(target(d)[0] + ":" + target(d)[1])) {
                    return AwsFake.jsonError(400, "DeploymentTargetDoesNotExistException", "The target does not exist");
                }
                advance(d);
                ObjectNode reply = EcsFake.JSON.objectNode();
                ObjectNode target = reply.putObject("deploymentTarget");
                target.put("deploymentTargetType", "ECSTarget");
                target.set("ecsTarget", ecsTarget(d));
                return AwsFake.json(200, reply);
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
                if (d.stoppingFrom < 0) {
                    d.stopWithRollback = in.path("autoRollbackEnabled").asBoolean(false);
                    d.stoppingFrom = time == null ? 0 : now();
                    if (time == null) {
                        stopped(d);
                    }
                }
                // the stop is Pending: with a clock, traffic goes back and the deployment ends Stopped EVENT_SECONDS later
                return AwsFake.json(200, EcsFake.JSON.objectNode().put("status", "Pending").put("statusMessage", "Stopping"));
            }
            default:
                return AwsFake.jsonError(400, "InvalidOperationException", "not played by this fake: " + op);
        }
    }

    private long now() {
        return time == null ? 0 : time.get().getEpochSecond();
    }

    private void stopped(Deployment d) {
        d.stoppingFrom = -1;
        rollBack(d, "Stopped");
        if (d.stopWithRollback) {
            d.info.putObject("rollbackInfo").put("rollbackMessage", "Stopped with rollback: traffic is on the original task set");
        }
    }

    private void advance(Deployment d) {
        if (d.stoppingFrom >= 0) {
            // stopping: no lifecycle event moves on; the rollback takes its time
            if (time != null && now() - d.stoppingFrom >= EVENT_SECONDS) {
                stopped(d);
            }
            return;
        }
        if (time == null) {
            step(d, 0);
            return;
        }
        long now = now();
        while (now - d.eventStartedAt >= EVENT_SECONDS && step(d, d.eventStartedAt + EVENT_SECONDS)) {
            // one lifecycle event per EVENT_SECONDS
        }
        if (d.event == EVENTS.indexOf("AllowTraffic") && d.shiftStartedAt >= 0) {
            d.green = shifted(d, now);
        }
        if (d.terminationWaitFrom >= 0 && now - d.terminationWaitFrom >= TERMINATION_WAIT_SECONDS) {
            succeed(d);
        }
    }

    /** Moves one lifecycle event on; false while the deployment waits (hook, ready, shift, termination, end). */
    private boolean step(Deployment d, long at) {
        String status = d.info.path("status").asString();
        if (status.equals("Created")) {
            d.info.put("status", "InProgress");
            d.eventStartedAt = at;
            return true;
        }
        if (!status.equals("InProgress") || d.waitingOn != null || d.terminationWaitFrom >= 0) {
            return false;
        }
        if (d.event == EVENTS.indexOf("AllowTraffic")) {
            // The shift runs on the configuration's clock, not one event's length: judge it now.
            d.green = time == null ? 100 : shifted(d, now());
            if (d.green < 100) {
                return false;
            }
            at = Math.max(at, time == null ? 0 : now());
        }
        if (d.event == EVENTS.indexOf("AfterAllowTestTraffic") && readyWait && !d.readyWaitOver) {
            d.info.put("status", "Ready");
            return false;
        }
        if (d.event == EVENTS.size() - 1) {
            d.terminationWaitFrom = at;
            if (time == null) {
                succeed(d);
            }
            return false;
        }
        d.event++;
        d.eventStartedAt = at;
        String event = EVENTS.get(d.event);
        if (event.equals("Install")) {
            d.greenRunning = desiredOf(d);
        } else if (event.equals("AllowTraffic")) {
            d.shiftStartedAt = at;
            d.green = time == null ? 100 : shifted(d, at);
        }
        String function = d.hooks.get(event);
        if (function != null) {
            d.waitingOn = "hook-" + d.info.path("deploymentId").asString() + "-" + event;
            invocations.add(new Invocation(d.info.path("deploymentId").asString(), d.waitingOn, event, function));
        } else {
            passed.add(d.info.path("deploymentId").asString() + ":" + event);
        }
        return true;
    }

    /** The green weight the deployment configuration gives {@code at}. */
    private double shifted(Deployment d, long at) {
        String config = d.info.path("deploymentConfigName").asString();
        long elapsed = Math.max(0, at - d.shiftStartedAt);
        java.util.regex.Matcher canary = java.util.regex.Pattern.compile("ECSCanary(\\d+)Percent(\\d+)Minutes").matcher(config);
        java.util.regex.Matcher linear = java.util.regex.Pattern.compile("ECSLinear(\\d+)PercentEvery(\\d+)Minutes?").matcher(config);
        if (canary.find()) {
            return elapsed < Long.parseLong(canary.group(2)) * 60 ? Integer.parseInt(canary.group(1)) : 100;
        }
        if (linear.find()) {
            long steps = 1 + elapsed / (Long.parseLong(linear.group(2)) * 60);
            return Math.min(100, steps * Integer.parseInt(linear.group(1)));
        }
        return 100;
    }

    private void succeed(Deployment d) {
        d.info.put("status", "Succeeded");
        d.terminationWaitFrom = -1;
        String[] target = target(d);
        if (target != null) {
            ObjectNode service = ecs.services.get(EcsFake.key(target[0], target[1]));
            JsonNode spec = AwsFake.MAPPER.readTree(d.info.path("revision").path("appSpecContent").path("content").asString());
            service.put("taskDefinition", spec.path("Resources").path(0).path("TargetService").path("Properties").path("TaskDefinition").asString());
        }
    }

    private void rollBack(Deployment d, String status) {
        d.info.put("status", status);
        d.green = 0;
        d.greenRunning = 0;
        d.waitingOn = null;
        d.terminationWaitFrom = -1;
    }

    private String[] target(Deployment d) {
        return groups.get(d.info.path("applicationName").asString() + "/" + d.info.path("deploymentGroupName").asString());
    }

    private int desiredOf(Deployment d) {
        String[] target = target(d);
        return target == null ? 0 : ecs.services.get(EcsFake.key(target[0], target[1])).path("desiredCount").asInt();
    }

    private ObjectNode ecsTarget(Deployment d) {
        String[] target = target(d);
        ObjectNode t = EcsFake.JSON.objectNode();
        t.put("deploymentId", d.info.path("deploymentId").asString());
        t.put("targetId", target[0] + ":" + target[1]);
        t.put("status", d.info.path("status").asString());
        ArrayNode events = t.putArray("lifecycleEvents");
        for (int i = 0; i < EVENTS.size(); i++) {
            boolean over = d.terminationWaitFrom >= 0 || "Succeeded".equals(d.info.path("status").asString());
            String st = i < d.event || (i == d.event && over) ? "Succeeded" : i == d.event ? "InProgress" : "Pending";
            events.addObject().put("lifecycleEventName", EVENTS.get(i)).put("status", st);
        }
        int desired = desiredOf(d);
        ArrayNode sets = t.putArray("taskSetsInfo");
        String status = d.info.path("status").asString();
        boolean ended = status.equals("Succeeded") || status.equals("Failed") || status.equals("Stopped");
        sets.addObject().put("identifer", "ecs-svc/blue").put("taskSetLabel", "Blue").put("status", "PRIMARY")
                .put("desiredCount", status.equals("Succeeded") ? 0 : desired).put("runningCount", status.equals("Succeeded") ? 0 : desired)
                .put("pendingCount", 0).put("trafficWeight", 100 - d.green);
        if (d.event >= EVENTS.indexOf("Install") && !(ended && !status.equals("Succeeded"))) {
            sets.addObject().put("identifer", "ecs-svc/green").put("taskSetLabel", "Green").put("status", "ACTIVE")
                    .put("desiredCount", desired).put("runningCount", d.greenRunning)
                    .put("pendingCount", desired - d.greenRunning).put("trafficWeight", d.green);
        }
        return t;
    }
}
