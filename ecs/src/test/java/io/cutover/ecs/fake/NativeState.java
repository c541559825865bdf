package io.cutover.ecs.fake;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** What the ECS fake keeps of a service it deploys itself, and of each of its service deployments. */
final class NativeState {

    private NativeState() { }

    /** A service's load balancing and its deployments, newest last. */
    static final class Service {
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
    static final class Run {
        ObjectNode d;
        ObjectNode target;
        ObjectNode source;
        String sourceTaskDefinition;
        long stageSince;
        int failures;
    }
}
