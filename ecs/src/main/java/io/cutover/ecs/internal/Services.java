package io.cutover.ecs.internal;

import io.cutover.CutoverException;
import java.util.List;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;

/** Reads of ECS services the adapters share. */
public final class Services {

    private Services() { }

    /** The service with its tags; a service ECS does not know is a permanent failure naming it and its cluster. */
    public static Service withTags(EcsClient ecs, String cluster, String service) {
        List<Service> services = AwsCalls.call("DescribeServices " + service,
                () -> ecs.describeServices(r -> r.cluster(cluster).services(service).include(ServiceField.TAGS)).services());
        if (services.isEmpty()) {
            throw CutoverException.permanent("DescribeServices " + service, "service " + service + " not found in cluster " + cluster, null);
        }
        return services.get(0);
    }

    /** The value of the service's tag {@code key}, or null. */
    public static String tag(Service service, String key) {
        return service.hasTags() ? service.tags().stream().filter(t -> key.equals(t.key())).map(t -> t.value()).findFirst().orElse(null) : null;
    }
}
