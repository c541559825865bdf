package io.cutover.ecs.fake;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How ECS moves one service deployment on at each wave: forward through the lifecycle stages, or
 * back when a rollback was asked (blue to full first, then production and test traffic back, then
 * green removed). The ALB rules are written as ECS writes them.
 */
final class NativeController {

    private final EcsFake ecs;
    private final Map<String, ObjectNode> revisions;

    NativeController(EcsFake ecs, Map<String, ObjectNode> revisions) {
        this.ecs = ecs;
        this.revisions = revisions;
    }

    void wave(ObjectNode s, NativeState.Service n, NativeState.Run r) {
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

    private void rollBackWave(ObjectNode s, NativeState.Service n, NativeState.Run r) {
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

    private ObjectNode enter(NativeState.Service n, NativeState.Run r, String stage) {
        r.stageSince = n.seconds;
        return r.d.put("lifecycleStage", stage);
    }

    private void shift(NativeState.Service n, NativeState.Run r, double percent) {
        r.target.put("requestedProductionTrafficWeight", percent);
        r.source.put("requestedProductionTrafficWeight", 100.0 - percent);
        route(n, percent, r.target.path("requestedTestTrafficWeight").asDouble(0));
    }

    static double production(NativeState.Run r) {
        return r.target.path("requestedProductionTrafficWeight").asDouble(0);
    }

    /** Writes the rules as ECS does: the current revision's group keeps the rest of the traffic. */
    void route(NativeState.Service n, double greenProduction, double greenTest) {
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

    static String groupOf(JsonNode revision) {
        return revision.path("loadBalancers").path(0).path("targetGroupArn").asString();
    }
}
