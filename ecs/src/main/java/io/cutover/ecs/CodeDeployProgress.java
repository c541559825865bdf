package io.cutover.ecs;

import io.cutover.gate.Measurement;
import java.util.List;
import software.amazon.awssdk.services.codedeploy.model.DeploymentStatus;

/**
 * Where a CodeDeploy deployment stands.
 *
 * @param deploymentId the CodeDeploy deployment
 * @param status       CodeDeploy's status
 * @param message      CodeDeploy's error or rollback message, or the gate that stopped it; {@code null} when all is well
 * @param measurements what the Cutover gates measured at this check
 */
public record CodeDeployProgress(String deploymentId, DeploymentStatus status, String message, List<Measurement> measurements) {

    public CodeDeployProgress {
        measurements = List.copyOf(measurements);
    }

    /** True once CodeDeploy will do nothing more (succeeded, failed or stopped). */
    public boolean done() {
        return status == DeploymentStatus.SUCCEEDED || status == DeploymentStatus.FAILED || status == DeploymentStatus.STOPPED;
    }

    public boolean succeeded() {
        return status == DeploymentStatus.SUCCEEDED;
    }
}
