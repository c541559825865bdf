package io.cutover.ecs;

import io.cutover.ecs.internal.AwsCalls;
import io.cutover.ecs.internal.Watch;
import io.cutover.gate.GateContext;
import io.cutover.gate.Measurement;
import io.cutover.spi.Revision;
import io.cutover.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.codedeploy.model.DeploymentInfo;
import software.amazon.awssdk.services.codedeploy.model.DeploymentStatus;

/**
 * One CodeDeploy deployment started by {@link CodeDeployBlueGreen}: read its progress, check the
 * Cutover gates beside it, and stop it with rollback when one fails.
 */
public final class CodeDeployRollout {

    private static final Logger log = LoggerFactory.getLogger(CodeDeployRollout.class);
    private final CodeDeployBlueGreen owner;
    private final String deploymentId;
    private final Revision revision;

    CodeDeployRollout(CodeDeployBlueGreen owner, String deploymentId, Revision revision) {
        this.owner = owner;
        this.deploymentId = deploymentId;
        this.revision = revision;
    }

    public String deploymentId() {
        return deploymentId;
    }

    public Revision revision() {
        return revision;
    }

    /**
     * Reads the deployment and, while it runs, measures every gate; a FAILED gate stops the
     * deployment with rollback. Errors and inconclusive results are reported, not acted on.
     */
    public CodeDeployProgress check(Instant now) {
        Objects.requireNonNull(now, "now");
        DeploymentInfo info = read();
        if (terminal(info.status())) {
            return progress(info, List.of());
        }
        GateContext ctx = new GateContext("codedeploy-" + deploymentId, owner.application, revision, now, owner.metrics, owner.health);
        List<Measurement> measurements = Watch.measure(owner.gates, ctx);
        Measurement failed = Watch.firstFailed(measurements);
        if (failed != null) {
            String reason = "gate " + failed.gate() + " failed: " + failed.detail();
            stop(reason);
            return new CodeDeployProgress(deploymentId, read().status(), reason, measurements);
        }
        return progress(info, measurements);
    }

    /** Stops the deployment and lets CodeDeploy roll traffic back to the original task set; safe to repeat. */
    public void stop(String reason) {
        DeploymentInfo info = read();
        if (terminal(info.status())) {
            return;
        }
        log.warn("CodeDeploy {}: stopping with rollback: {}", deploymentId, reason);
        AwsCalls.call("StopDeployment " + deploymentId,
                () -> owner.codeDeploy.stopDeployment(r -> r.deploymentId(deploymentId).autoRollbackEnabled(true)));
    }

    /**
     * Checks every {@code every} on {@code scheduler} until the deployment ends; transient failures
     * are retried at the next check, up to {@value Watch#RETRY_BUDGET} in a row.
     */
    public CompletableFuture<CodeDeployProgress> watch(Scheduler scheduler, Clock clock, Duration every) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(clock, "clock");
        return Watch.until(scheduler, clock, every, this::check, CodeDeployProgress::done);
    }

    private DeploymentInfo read() {
        return AwsCalls.call("GetDeployment " + deploymentId,
                () -> owner.codeDeploy.getDeployment(r -> r.deploymentId(deploymentId)).deploymentInfo());
    }

    private CodeDeployProgress progress(DeploymentInfo info, List<Measurement> measurements) {
        String message = null;
        if (info.errorInformation() != null && info.errorInformation().message() != null) {
            message = info.errorInformation().message();
        }
        if (info.rollbackInfo() != null && info.rollbackInfo().rollbackMessage() != null) {
            message = (message == null ? "" : message + "; ") + info.rollbackInfo().rollbackMessage();
        }
        return new CodeDeployProgress(deploymentId, info.status(), message, measurements);
    }

    private static boolean terminal(DeploymentStatus s) {
        return s == DeploymentStatus.SUCCEEDED || s == DeploymentStatus.FAILED || s == DeploymentStatus.STOPPED;
    }

    @Override
    public String toString() {
        return "CodeDeployRollout[" + deploymentId + " " + revision.name() + "]";
    }
}
