package io.cutover.ecs.fake;

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
    private final Map<String, NativeState.Service> services = new LinkedHashMap<>();
    private final Map<String, ObjectNode> revisions = new LinkedHashMap<>();
    private final NativeController controller;
    private int ids;


    EcsNativeFake(EcsFake ecs) {
        this.ecs = ecs;
        this.controller = new NativeController(ecs, revisions);
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
            NativeState.Service n = new NativeState.Service();
            n.elb = elb;
            n.productionRule = productionRule;
            n.testRule = testRule;
            n.blueGroup = blueGroup;
            n.greenGroup = greenGroup;
            n.currentRevision = revision(s, taskDefinition, blueGroup);
            services.put(EcsFake.key(cluster, service), n);
            controller.route(n, 0, 0);
        }
    }

    /**
     * The share of production requests each task definition receives, as the ALB routes them: the
     * production rule's weights, each target group standing for the task definition whose tasks run in it.
     */
    public Map<String, Double> productionShares(String cluster, String service) {
        synchronized (ecs) {
            NativeState.Service n = services.get(EcsFake.key(cluster, service));
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
        NativeState.Service n = services.get(EcsFake.key(s.path("clusterArn").asString(), s.path("serviceName").asString()));
        if (n == null) {
            return false;
        }
        long waves = ecs.waves("native/" + s.path("serviceArn").asString());
        for (long i = 0; i < waves; i++) {
            n.seconds += EcsFake.WAVE_SECONDS;
            for (NativeState.Run r : n.runs) {
                controller.wave(s, n, r);
            }
        }
        return true;
    }

    AwsFake.Reply updateService(String cluster, JsonNode in) {
        ObjectNode s = ecs.services.get(EcsFake.key(cluster, in.path("service").asString()));
        NativeState.Service n = services.get(EcsFake.key(cluster, in.path("service").asString()));
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
                NativeState.Service n = services.get(EcsFake.key(in.path("cluster").asString("default"), in.path("service").asString()));
                ObjectNode reply = EcsFake.JSON.objectNode();
                ArrayNode out = reply.putArray("serviceDeployments");
                if (n != null) {
                    tick(s);
                    for (NativeState.Run r : n.runs) {
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
            case "DescribeServiceDeployments":
                return describe(in.path("serviceDeploymentArns"), "serviceDeployments", arn -> {
                    NativeState.Run r = find(arn);
                    return r == null ? null : r.d;
                });
            case "DescribeServiceRevisions":
                return describe(in.path("serviceRevisionArns"), "serviceRevisions", revisions::get);
            case "StopServiceDeployment": {
                NativeState.Run r = find(in.path("serviceDeploymentArn").asString());
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

    /** A Describe answer: a copy of what each ARN names, and a MISSING failure for each ARN that names nothing. */
    private static AwsFake.Reply describe(JsonNode arns, String field, java.util.function.Function<String, ObjectNode> lookup) {
        ObjectNode reply = EcsFake.JSON.objectNode();
        ArrayNode out = reply.putArray(field);
        ArrayNode failures = reply.putArray("failures");
        for (JsonNode arn : arns) {
            ObjectNode found = lookup.apply(arn.asString());
            if (found == null) {
                failures.addObject().put("arn", arn.asString()).put("reason", "MISSING");
            } else {
                out.add(found.deepCopy());
            }
        }
        return AwsFake.json(200, reply);
    }

    // ------------------------------------------------------------------ the controller

    private void start(ObjectNode s, NativeState.Service n, String taskDefinition) {
        int desired = s.path("desiredCount").asInt();
        NativeState.Run r = new NativeState.Run();
        r.sourceTaskDefinition = s.path("taskDefinition").asString();
        String green = NativeController.groupOf(n.currentRevision).equals(n.blueGroup) ? n.greenGroup : n.blueGroup;
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


    /** The task definition whose running tasks are registered in {@code group}, or "nothing running". */
    private String runningIn(NativeState.Service n, String group) {
        for (NativeState.Run r : n.runs) {
            if (group.equals(NativeController.groupOf(revisions.get(r.target.path("arn").asString()))) && r.target.path("runningTaskCount").asInt() > 0) {
                return revisions.get(r.target.path("arn").asString()).path("taskDefinition").asString();
            }
            if (group.equals(NativeController.groupOf(revisions.get(r.source.path("arn").asString()))) && r.source.path("runningTaskCount").asInt() > 0) {
                return r.sourceTaskDefinition;
            }
        }
        return group.equals(NativeController.groupOf(n.currentRevision)) ? n.currentRevision.path("taskDefinition").asString() : "nothing running in " + group;
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


    private static ObjectNode summary(JsonNode revision, int requested, int running) {
        ObjectNode out = EcsFake.JSON.objectNode();
        out.put("arn", revision.path("serviceRevisionArn").asString()).put("requestedTaskCount", requested)
                .put("runningTaskCount", running).put("pendingTaskCount", Math.max(0, requested - running))
                .put("requestedTestTrafficWeight", 0.0).put("requestedProductionTrafficWeight", 0.0);
        return out;
    }

    private NativeState.Run find(String arn) {
        for (NativeState.Service n : services.values()) {
            for (NativeState.Run r : n.runs) {
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
