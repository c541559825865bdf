package io.cutover.ecs.fake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Services that ECS deploys itself with the BLUE_GREEN, LINEAR or CANARY strategy, as ECS documents
 * them. {@code UpdateService} with a new task definition starts a service deployment ({@code PENDING});
 * every {@value EcsFake#WAVE_SECONDS} virtual seconds it moves on: {@code PRE_SCALE_UP}, {@code SCALE_UP}
 * (green tasks start {@value EcsFake#TASKS_PER_WAVE} a wave in the alternate target group; tasks of a
 * broken task definition fail, and after three failures the circuit breaker rolls back),
 * {@code POST_SCALE_UP}, {@code TEST_TRAFFIC_SHIFT}, {@code POST_TEST_TRAFFIC_SHIFT},
 * {@code PRODUCTION_TRAFFIC_SHIFT} (all at once, in linear steps, or a canary share first, each step
 * held for its bake time), {@code POST_PRODUCTION_TRAFFIC_SHIFT}, {@code BAKE_TIME} (for
 * {@code bakeTimeInMinutes}), {@code CLEAN_UP} (blue scaled to zero), then {@code SUCCESSFUL}. The ALB
 * production and test rules' weights are written into the {@link ElbFake} as ECS writes them.
 * {@code StopServiceDeployment} with {@code ROLLBACK} is accepted only in the states ECS documents;
 * the rollback brings blue back to full, moves production and test traffic back to it, then removes
 * green, and ends {@code ROLLBACK_SUCCESSFUL}.
 */
public final class EcsNativeFake {

    private static final Set<String> STOPPABLE = Set.of("PENDING", "IN_PROGRESS", "STOP_REQUESTED", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS");
    private static final Set<String> NATIVE = Set.of("BLUE_GREEN", "LINEAR", "CANARY");

    private final EcsFake ecs;
    private final Map<String, Native> services = new LinkedHashMap<>();
    private final Map<String, ObjectNode> revisions = new LinkedHashMap<>();
    private int ids;

    /** A service's load balancing and its deployments, newest last. */
    private static final class Native {
        ElbFake elb;
        String productionRule;
        String testRule;
        final List<Run> runs = new ArrayList<>();
        String blueGroup;
        String greenGroup;
        long seconds;
        ObjectNode currentRevision;
    }

    /** One service deployment as it converges. */
    private static final class Run {
        ObjectNode d;
        ObjectNode target;
        ObjectNode source;
        String sourceTaskDefinition;
        long stageSince;
        int failures;
    }

    EcsNativeFake(EcsFake ecs) {
        this.ecs = ecs;
    }

    /**
     * A service with the ECS controller and the BLUE_GREEN strategy running {@code taskDefinition} in
     * {@code blueGroup}, with {@code greenGroup} as its alternate target group behind the production and
     * test listener rules of {@code elb}, a Lambda lifecycle hook and an alarm of the user's.
     */
    public void createService(String cluster, String service, int desiredCount, String taskDefinition, ElbFake elb,
                              String productionRule, String testRule, String blueGroup, String greenGroup) {
        synchronized (ecs) {
            ObjectNode s = ecs.service(cluster, service, desiredCount, taskDefinition, "ECS");
            s.put("runningCount", desiredCount);
            ObjectNode config = s.putObject("deploymentConfiguration");
            config.put("strategy", "BLUE_GREEN").put("bakeTimeInMinutes", 5).put("maximumPercent", 200).put("minimumHealthyPercent", 100);
            config.putObject("deploymentCircuitBreaker").put("enable", true).put("rollback", true);
            ObjectNode hook = config.putArray("lifecycleHooks").addObject();
            hook.put("hookTargetArn", "arn:aws:lambda:us-east-1:123456789012:function:smoke-test");
            hook.put("roleArn", "arn:aws:iam::123456789012:role/ecs-hooks");
            hook.putArray("lifecycleStages").add("POST_TEST_TRAFFIC_SHIFT");
            ObjectNode alarms = config.putObject("alarms");
            alarms.putArray("alarmNames").add("web-5xx");
            alarms.put("enable", true).put("rollback", true);
            ObjectNode lb = s.putArray("loadBalancers").addObject();
            lb.put("targetGroupArn", blueGroup).put("containerName", "web").put("containerPort", 8080);
            lb.putObject("advancedConfiguration").put("alternateTargetGroupArn", greenGroup).put("productionListenerRule", productionRule)
                    .put("testListenerRule", testRule).put("roleArn", "arn:aws:iam::123456789012:role/ecs-infrastructure");
            ecs.services.put(EcsFake.key(cluster, service), s);
            Native n = new Native();
            n.elb = elb;
            n.productionRule = productionRule;
            n.testRule = testRule;
            n.blueGroup = blueGroup;
            n.greenGroup = greenGroup;
            n.currentRevision = revision(s, taskDefinition, blueGroup);
            services.put(EcsFake.key(cluster, service), n);
            route(n, 0, 0);
        }
    }

    /**
     * The share of production requests each task definition receives, as the ALB routes them: the
     * production rule's weights, each target group standing for the task definition whose tasks run in it.
     */
    public Map<String, Double> productionShares(String cluster, String service) {
        synchronized (ecs) {
            Native n = services.get(EcsFake.key(cluster, service));
            Map<String, Integer> weights = n.elb.forwardWeights(n.productionRule);
            int total = weights.values().stream().mapToInt(Integer::intValue).sum();
            Map<String, Double> shares = new java.util.TreeMap<>();
            weights.forEach((group, w) -> {
                if (w > 0) {
                    shares.merge(runningIn(n, group), 100.0 * w / total, Double::sum);
                }
            });
            return shares;
        }
    }

    /** Copies of the service's deployments, newest last, as ECS has converged them by now. */
    public List<JsonNode> deployments(String cluster, String service) {
        synchronized (ecs) {
            tick(ecs.services.get(EcsFake.key(cluster, service)));
            return services.get(EcsFake.key(cluster, service)).runs.stream().map(r -> (JsonNode) r.d.deepCopy()).toList();
        }
    }

    boolean owns(String cluster, JsonNode in) {
        return services.containsKey(EcsFake.key(cluster, in.path("service").asString()));
    }

    /** Converges the deployments of {@code s} when ECS deploys it; false for a service this fake does not play. */
    boolean tick(ObjectNode s) {
        Native n = services.get(EcsFake.key(s.path("clusterArn").asString(), s.path("serviceName").asString()));
        if (n == null) {
            return false;
        }
        long waves = ecs.waves("native/" + s.path("serviceArn").asString());
        for (long i = 0; i < waves; i++) {
            n.seconds += EcsFake.WAVE_SECONDS;
            for (Run r : n.runs) {
                wave(s, n, r);
            }
        }
        return true;
    }

    AwsFake.Reply updateService(String cluster, JsonNode in) {
        ObjectNode s = ecs.services.get(EcsFake.key(cluster, in.path("service").asString()));
        Native n = services.get(EcsFake.key(cluster, in.path("service").asString()));
        tick(s);
        JsonNode config = in.has("deploymentConfiguration") ? in.get("deploymentConfiguration") : s.path("deploymentConfiguration");
        String invalid = NativeRules.invalid(config, s);
        if (invalid != null) {
            return AwsFake.jsonError(400, "InvalidParameterException", invalid);
        }
        String td = in.path("taskDefinition").asString(s.path("taskDefinition").asString());
        boolean busy = n.runs.stream().anyMatch(r -> STOPPABLE.contains(r.d.path("status").asString()));
        if (busy && !td.equals(s.path("taskDefinition").asString())) {
            return AwsFake.jsonError(400, "InvalidParameterException", "this fake does not play a service deployment that supersedes one in progress");
        }
        s.set("deploymentConfiguration", config.deepCopy());
        if (!td.equals(s.path("taskDefinition").asString())) {
            start(s, n, td);
        }
        ObjectNode reply = EcsFake.JSON.objectNode();
        reply.set("service", s.deepCopy());
        return AwsFake.json(200, reply);
    }

    AwsFake.Reply handle(String op, JsonNode in) {
        switch (op) {
            case "ListServiceDeployments": {
                ObjectNode s = ecs.services.get(EcsFake.key(in.path("cluster").asString("default"), in.path("service").asString()));
                if (s == null) {
                    return AwsFake.jsonError(400, "ServiceNotFoundException", "Service not found.");
                }
                Native n = services.get(EcsFake.key(in.path("cluster").asString("default"), in.path("service").asString()));
                ObjectNode reply = EcsFake.JSON.objectNode();
                ArrayNode out = reply.putArray("serviceDeployments");
                if (n != null) {
                    tick(s);
                    for (Run r : n.runs) {
                        if (in.path("status").isEmpty() || contains(in.path("status"), r.d.path("status").asString())) {
                            ObjectNode b = out.addObject();
                            for (String f : List.of("serviceDeploymentArn", "serviceArn", "clusterArn", "createdAt", "startedAt", "finishedAt",
                                    "status", "statusReason")) {
                                if (r.d.has(f)) {
                                    b.set(f, r.d.get(f).deepCopy());
                                }
                            }
                            b.put("targetServiceRevisionArn", r.target.path("arn").asString());
                        }
                    }
                }
                return AwsFake.json(200, reply);
            }
            case "DescribeServiceDeployments": {
                ObjectNode reply = EcsFake.JSON.objectNode();
                ArrayNode out = reply.putArray("serviceDeployments");
                ArrayNode failures = reply.putArray("failures");
                for (JsonNode arn : in.path("serviceDeploymentArns")) {
                    Run r = find(arn.asString());
                    if (r == null) {
                        failures.addObject().put("arn", arn.asString()).put("reason", "MISSING");
                    } else {
                        out.add(r.d.deepCopy());
                    }
                }
                return AwsFake.json(200, reply);
            }
            case "DescribeServiceRevisions": {
                ObjectNode reply = EcsFake.JSON.objectNode();
                ArrayNode out = reply.putArray("serviceRevisions");
                ArrayNode failures = reply.putArray("failures");
                for (JsonNode arn : in.path("serviceRevisionArns")) {
                    ObjectNode rev = revisions.get(arn.asString());
                    if (rev == null) {
                        failures.addObject().put("arn", arn.asString()).put("reason", "MISSING");
                    } else {
                        out.add(rev.deepCopy());
                    }
                }
                return AwsFake.json(200, reply);
            }
            case "StopServiceDeployment": {
                Run r = find(in.path("serviceDeploymentArn").asString());
                if (r == null) {
                    return AwsFake.jsonError(400, "ServiceDeploymentNotFoundException", "The service deployment does not exist.");
                }
                String stopType = in.path("stopType").asString("ROLLBACK");
                if (!"ROLLBACK".equals(stopType)) {
                    return AwsFake.jsonError(400, "InvalidParameterException", "The valid values for stopType are ROLLBACK.");
                }
                String status = r.d.path("status").asString();
                if (!STOPPABLE.contains(status)) {
                    return AwsFake.jsonError(400, "ConflictException", "The service deployment is " + status + " and cannot be stopped.");
                }
                if (status.equals("PENDING") || status.equals("IN_PROGRESS")) {
                    r.d.put("status", "ROLLBACK_REQUESTED").put("statusReason", "Rollback requested by StopServiceDeployment.");
                    r.d.putObject("rollback").put("reason", "StopServiceDeployment ROLLBACK").put("startedAt", ecs.now())
                            .put("serviceRevisionArn", r.source.path("arn").asString());
                }
                ObjectNode reply = EcsFake.JSON.objectNode();
                reply.put("serviceDeploymentArn", r.d.path("serviceDeploymentArn").asString());
                return AwsFake.json(200, reply);
            }
            default:
                return AwsFake.jsonError(400, "InvalidParameterException", "not played by this fake: " + op);
        }
    }

    // ------------------------------------------------------------------ the controller

    private void start(ObjectNode s, Native n, String taskDefinition) {
        int desired = s.path("desiredCount").asInt();
        Run r = new Run();
        r.sourceTaskDefinition = s.path("taskDefinition").asString();
        String green = groupOf(n.currentRevision).equals(n.blueGroup) ? n.greenGroup : n.blueGroup;
        ObjectNode targetRevision = revision(s, taskDefinition, green);
        r.target = summary(targetRevision, desired, 0);
        r.source = summary(n.currentRevision, desired, desired);
        r.source.put("requestedProductionTrafficWeight", 100.0).put("requestedTestTrafficWeight", 100.0);
        r.d = EcsFake.JSON.objectNode();
        r.d.put("serviceDeploymentArn", EcsFake.ACCOUNT + "service-deployment/" + s.path("clusterArn").asString().replaceAll(".*/", "")
                + "/" + s.path("serviceName").asString() + "/sd-" + (++ids));
        r.d.put("serviceArn", s.path("serviceArn").asString()).put("clusterArn", s.path("clusterArn").asString());
        r.d.put("createdAt", ecs.now()).put("status", "PENDING");
        r.d.set("targetServiceRevision", r.target);
        r.d.putArray("sourceServiceRevisions").add(r.source);
        r.d.set("deploymentConfiguration", s.path("deploymentConfiguration").deepCopy());
        n.runs.add(r);
        s.put("taskDefinition", taskDefinition);
        s.put("currentServiceDeployment", r.d.path("serviceDeploymentArn").asString());
        ecs.restartWaves("native/" + s.path("serviceArn").asString());
    }

    private void wave(ObjectNode s, Native n, Run r) {
        String status = r.d.path("status").asString();
        if (status.startsWith("ROLLBACK_") && !status.equals("ROLLBACK_SUCCESSFUL") && !status.equals("ROLLBACK_FAILED")) {
            rollBackWave(s, n, r);
            return;
        }
        if (!status.equals("PENDING") && !status.equals("IN_PROGRESS")) {
            return;
        }
        JsonNode config = r.d.path("deploymentConfiguration");
        String stage = r.d.path("lifecycleStage").asString("");
        int desired = s.path("desiredCount").asInt();
        switch (stage) {
            case "" -> enter(n, r, "PRE_SCALE_UP").put("status", "IN_PROGRESS").put("startedAt", ecs.now());
            case "PRE_SCALE_UP" -> enter(n, r, "SCALE_UP");
            case "SCALE_UP" -> {
                r.target.put("requestedTaskCount", desired);
                if (ecs.broken.contains(revisions.get(r.target.path("arn").asString()).path("taskDefinition").asString())) {
                    if (++r.failures >= 3 && config.path("deploymentCircuitBreaker").path("enable").asBoolean(false)) {
                        r.d.put("status", "ROLLBACK_IN_PROGRESS").put("statusReason", "ECS deployment circuit breaker: tasks failed to start.");
                        r.d.putObject("rollback").put("reason", "circuit breaker").put("startedAt", ecs.now())
                                .put("serviceRevisionArn", r.source.path("arn").asString());
                    }
                    return;
                }
                int running = (int) Math.min(desired, r.target.path("runningTaskCount").asInt() + EcsFake.TASKS_PER_WAVE);
                r.target.put("runningTaskCount", running);
                if (running == desired) {
                    enter(n, r, "POST_SCALE_UP");
                }
            }
            case "POST_SCALE_UP" -> enter(n, r, "TEST_TRAFFIC_SHIFT");
            case "TEST_TRAFFIC_SHIFT" -> {
                r.target.put("requestedTestTrafficWeight", 100.0);
                r.source.put("requestedTestTrafficWeight", 0.0);
                route(n, production(r), 100);
                enter(n, r, "POST_TEST_TRAFFIC_SHIFT");
            }
            case "POST_TEST_TRAFFIC_SHIFT" -> {
                enter(n, r, "PRODUCTION_TRAFFIC_SHIFT");
                shift(n, r, NativeRules.firstShift(config));
            }
            case "PRODUCTION_TRAFFIC_SHIFT" -> {
                double now = production(r);
                if (now >= 100.0) {
                    enter(n, r, "POST_PRODUCTION_TRAFFIC_SHIFT");
                } else if (n.seconds - r.stageSince >= NativeRules.stepSeconds(config)) {
                    shift(n, r, NativeRules.nextShift(config, now));
                    r.stageSince = n.seconds;
                }
            }
            case "POST_PRODUCTION_TRAFFIC_SHIFT" -> enter(n, r, "BAKE_TIME");
            case "BAKE_TIME" -> {
                if (n.seconds - r.stageSince >= config.path("bakeTimeInMinutes").asLong(0) * 60) {
                    enter(n, r, "CLEAN_UP");
                    r.source.put("requestedTaskCount", 0).put("runningTaskCount", 0);
                }
            }
            case "CLEAN_UP" -> {
                r.d.put("status", "SUCCESSFUL").put("finishedAt", ecs.now()).put("statusReason", "Service deployment completed.");
                n.currentRevision = revisions.get(r.target.path("arn").asString());
                s.put("runningCount", desired);
            }
            default -> throw new IllegalStateException("unknown stage " + stage);
        }
    }

    private void rollBackWave(ObjectNode s, Native n, Run r) {
        int desired = s.path("desiredCount").asInt();
        r.d.put("status", "ROLLBACK_IN_PROGRESS");
        int blue = r.source.path("runningTaskCount").asInt();
        if (blue < desired) {
            r.source.put("requestedTaskCount", desired).put("runningTaskCount", (int) Math.min(desired, blue + EcsFake.TASKS_PER_WAVE));
            return;
        }
        if (production(r) > 0 || r.target.path("requestedTestTrafficWeight").asDouble(0) > 0) {
            r.target.put("requestedProductionTrafficWeight", 0.0).put("requestedTestTrafficWeight", 0.0);
            r.source.put("requestedProductionTrafficWeight", 100.0).put("requestedTestTrafficWeight", 100.0);
            route(n, 0, 0);
            return;
        }
        r.target.put("requestedTaskCount", 0).put("runningTaskCount", 0);
        r.d.put("status", "ROLLBACK_SUCCESSFUL").put("finishedAt", ecs.now());
        s.put("taskDefinition", r.sourceTaskDefinition);
        s.put("runningCount", desired);
    }

    private ObjectNode enter(Native n, Run r, String stage) {
        r.stageSince = n.seconds;
        return r.d.put("lifecycleStage", stage);
    }

    private void shift(Native n, Run r, double percent) {
        r.target.put("requestedProductionTrafficWeight", percent);
        r.source.put("requestedProductionTrafficWeight", 100.0 - percent);
        route(n, percent, r.target.path("requestedTestTrafficWeight").asDouble(0));
    }

    private static double production(Run r) {
        return r.target.path("requestedProductionTrafficWeight").asDouble(0);
    }

    /** Writes the rules as ECS does: the current revision's group keeps the rest of the traffic. */
    private void route(Native n, double greenProduction, double greenTest) {
        String blue = groupOf(n.currentRevision);
        String green = blue.equals(n.blueGroup) ? n.greenGroup : n.blueGroup;
        n.elb.forwardAsEcsDoes(n.productionRule, weights(blue, green, greenProduction));
        n.elb.forwardAsEcsDoes(n.testRule, weights(blue, green, greenTest));
    }

    private static Map<String, Integer> weights(String blue, String green, double greenPercent) {
        int g = greenPercent <= 0 ? 0 : greenPercent >= 100 ? 100 : (int) Math.max(1, Math.min(99, Math.round(greenPercent)));
        Map<String, Integer> w = new LinkedHashMap<>();
        w.put(blue, 100 - g);
        w.put(green, g);
        return w;
    }

    /** The task definition whose running tasks are registered in {@code group}, or "nothing running". */
    private String runningIn(Native n, String group) {
        for (Run r : n.runs) {
            if (group.equals(groupOf(revisions.get(r.target.path("arn").asString()))) && r.target.path("runningTaskCount").asInt() > 0) {
                return revisions.get(r.target.path("arn").asString()).path("taskDefinition").asString();
            }
            if (group.equals(groupOf(revisions.get(r.source.path("arn").asString()))) && r.source.path("runningTaskCount").asInt() > 0) {
                return r.sourceTaskDefinition;
            }
        }
        return group.equals(groupOf(n.currentRevision)) ? n.currentRevision.path("taskDefinition").asString() : "nothing running in " + group;
    }

    private ObjectNode revision(ObjectNode s, String taskDefinition, String group) {
        ObjectNode rev = EcsFake.JSON.objectNode();
        String arn = EcsFake.ACCOUNT + "service-revision/" + s.path("clusterArn").asString().replaceAll(".*/", "") + "/"
                + s.path("serviceName").asString() + "/" + (4_980_000 + (++ids));
        rev.put("serviceRevisionArn", arn).put("serviceArn", s.path("serviceArn").asString())
                .put("clusterArn", s.path("clusterArn").asString()).put("taskDefinition", taskDefinition).put("createdAt", ecs.now());
        rev.putArray("loadBalancers").addObject().put("targetGroupArn", group).put("containerName", "web").put("containerPort", 8080);
        revisions.put(arn, rev);
        return rev;
    }

    private static String groupOf(JsonNode revision) {
        return revision.path("loadBalancers").path(0).path("targetGroupArn").asString();
    }

    private static ObjectNode summary(JsonNode revision, int requested, int running) {
        ObjectNode out = EcsFake.JSON.objectNode();
        out.put("arn", revision.path("serviceRevisionArn").asString()).put("requestedTaskCount", requested)
                .put("runningTaskCount", running).put("pendingTaskCount", Math.max(0, requested - running))
                .put("requestedTestTrafficWeight", 0.0).put("requestedProductionTrafficWeight", 0.0);
        return out;
    }

    private Run find(String arn) {
        for (Native n : services.values()) {
            for (Run r : n.runs) {
                if (r.d.path("serviceDeploymentArn").asString().equals(arn)) {
                    return r;
                }
            }
        }
        return null;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode v : array) {
            if (value.equals(v.asString())) {
                return true;
            }
        }
        return false;
    }

    static boolean isNative(JsonNode config) {
        return NATIVE.contains(config.path("strategy").asString(""));
    }
}
