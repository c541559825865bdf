package io.cutover.ecs.fake;

import tools.jackson.databind.JsonNode;

/**
 * ECS's documented rules for the deployment configuration of a service it deploys itself, and the
 * production shifts each strategy makes: LINEAR steps of {@code stepPercent} (a multiple of 0.1 in
 * 3.0..100.0, default 10) every {@code stepBakeTimeInMinutes} (0..1440, default 6); CANARY
 * {@code canaryPercent} (0.1..100.0, default 5) for {@code canaryBakeTimeInMinutes} (0..1440, default 10)
 * then the rest; BLUE_GREEN all at once. Each of the three needs an ALB with an
 * {@code advancedConfiguration}; a linear or canary configuration is valid only with its own strategy.
 */
final class NativeRules {

    private NativeRules() { }

    /** Why ECS would refuse {@code config} for service {@code s}, or null. */
    static String invalid(JsonNode config, JsonNode s) {
        String strategy = config.path("strategy").asString("ROLLING");
        if (!EcsNativeFake.isNative(config)) {
            return "this fake plays BLUE_GREEN, LINEAR and CANARY service deployments, not " + strategy;
        }
        long bake = config.path("bakeTimeInMinutes").asLong(0);
        if (bake < 0 || bake > 1440) {
            return "bakeTimeInMinutes must be between 0 and 1440.";
        }
        if (config.has("linearConfiguration") && !"LINEAR".equals(strategy)) {
            return "linearConfiguration is only valid with the LINEAR deployment strategy.";
        }
        if (config.has("canaryConfiguration") && !"CANARY".equals(strategy)) {
            return "canaryConfiguration is only valid with the CANARY deployment strategy.";
        }
        JsonNode linear = config.path("linearConfiguration");
        JsonNode canary = config.path("canaryConfiguration");
        String wrong = "LINEAR".equals(strategy)
                ? range("stepPercent", linear.path("stepPercent").asDouble(10.0), 3.0, linear.path("stepBakeTimeInMinutes").asLong(6))
                : "CANARY".equals(strategy)
                ? range("canaryPercent", canary.path("canaryPercent").asDouble(5.0), 0.1, canary.path("canaryBakeTimeInMinutes").asLong(10))
                : null;
        if (wrong != null) {
            return wrong;
        }
        for (JsonNode lb : s.path("loadBalancers")) {
            JsonNode a = lb.path("advancedConfiguration");
            if (a.has("alternateTargetGroupArn") && a.has("productionListenerRule") && a.has("roleArn")) {
                return null;
            }
        }
        return "A " + strategy + " deployment requires a load balancer with an advancedConfiguration "
                + "(alternateTargetGroupArn, productionListenerRule, roleArn).";
    }

    private static String range(String name, double percent, double min, long minutes) {
        if (percent < min || percent > 100.0 || Math.abs(Math.round(percent * 10) - percent * 10) > 1e-6) {
            return name + " must be a multiple of 0.1 between " + min + " and 100.0.";
        }
        if (minutes < 0 || minutes > 1440) {
            return "the bake time of a " + name.replace("Percent", "") + " step must be between 0 and 1440 minutes.";
        }
        return null;
    }

    static double firstShift(JsonNode config) {
        return switch (config.path("strategy").asString()) {
            case "LINEAR" -> Math.min(100.0, config.path("linearConfiguration").path("stepPercent").asDouble(10.0));
            case "CANARY" -> Math.min(100.0, config.path("canaryConfiguration").path("canaryPercent").asDouble(5.0));
            default -> 100.0;
        };
    }

    static long stepSeconds(JsonNode config) {
        return switch (config.path("strategy").asString()) {
            case "LINEAR" -> config.path("linearConfiguration").path("stepBakeTimeInMinutes").asLong(6) * 60;
            case "CANARY" -> config.path("canaryConfiguration").path("canaryBakeTimeInMinutes").asLong(10) * 60;
            default -> 0;
        };
    }

    static double nextShift(JsonNode config, double now) {
        return "LINEAR".equals(config.path("strategy").asString())
                ? Math.min(100.0, Math.round((now + firstShift(config)) * 10) / 10.0) : 100.0;
    }
}
