package io.cutover.ecs.fake;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Services with the ECS (rolling) deployment controller. */
final class EcsRollingFake {

    private final EcsFake ecs;

    EcsRollingFake(EcsFake ecs) {
        this.ecs = ecs;
    }

    void tick(ObjectNode service) {
    }

    AwsFake.Reply updateService(String cluster, JsonNode in) {
        return AwsFake.jsonError(400, "InvalidParameterException", "rolling services are not played yet");
    }
}
