package io.cutover.ecs.fake;

import java.util.Map;

/** CloudWatch alarms and metric data. */
public final class CloudWatchFake {

    synchronized AwsFake.Reply handle(String action, Map<String, String> p) {
        return AwsFake.queryError(400, "InvalidAction", "not played yet: " + action);
    }
}
