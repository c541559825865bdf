package io.cutover.ecs.fake;

import tools.jackson.databind.JsonNode;

/** CodeDeploy ECS blue/green deployments with state. */
public final class CodeDeployFake {

    synchronized AwsFake.Reply handle(String op, JsonNode in) {
        return AwsFake.jsonError(400, "InvalidOperationException", "not played yet: " + op);
    }
}
