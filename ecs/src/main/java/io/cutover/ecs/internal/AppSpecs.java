package io.cutover.ecs.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** CodeDeploy AppSpec documents for ECS services, and the digest CodeDeploy checks them by. */
public final class AppSpecs {

    private AppSpecs() { }

    /**
     * The AppSpec (JSON) deploying {@code taskDefinition} to the service's {@code container} on
     * {@code port}, with a hook function per lifecycle event name ({@code AfterInstall} to its ARN).
     */
    public static String ecsService(String taskDefinition, String container, int port, Map<String, String> hookFunctions) {
        Map<String, Object> lb = new LinkedHashMap<>();
        lb.put("ContainerName", container);
        lb.put("ContainerPort", port);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("TaskDefinition", taskDefinition);
        properties.put("LoadBalancerInfo", lb);
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("Type", "AWS::ECS::Service");
        service.put("Properties", properties);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("version", 0.0);
        spec.put("Resources", List.of(Map.of("TargetService", service)));
        List<Map<String, String>> hooks = new ArrayList<>();
        hookFunctions.forEach((event, function) -> hooks.add(Map.of(event, function)));
        if (!hooks.isEmpty()) {
            spec.put("Hooks", hooks);
        }
        return JsonMapper.builder().build().writeValueAsString(spec);
    }

    public static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
