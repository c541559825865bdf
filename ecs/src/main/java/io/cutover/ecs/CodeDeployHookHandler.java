package io.cutover.ecs;

import io.cutover.ecs.internal.AwsCalls;
import io.cutover.spi.Hook;
import io.cutover.spi.HookContext;
import io.cutover.spi.HookResult;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEventStatus;

/**
 * Answers CodeDeploy lifecycle hooks with Cutover {@link Hook}s. The hook function CodeDeploy calls
 * receives {@code DeploymentId} and {@code LifecycleEventHookExecutionId}; it passes them (and the
 * event it serves) to {@link #answer}, which runs the registered hook and reports Succeeded or
 * Failed. A hook that throws, or an event with no hook registered, is reported Failed: CodeDeploy
 * then rolls the deployment back.
 */
public final class CodeDeployHookHandler {

    private static final Logger log = LoggerFactory.getLogger(CodeDeployHookHandler.class);

    private final CodeDeployBlueGreen owner;

    CodeDeployHookHandler(CodeDeployBlueGreen owner) {
        this.owner = owner;
    }

    /**
     * Runs the hook for {@code event} of a deployment that {@link CodeDeployBlueGreen} started
     * (its revision is read back from the deployment) and reports the result. This is all a hook
     * function has to pass on: the two ids CodeDeploy gave it and the event it serves.
     *
     * @param deploymentId the CodeDeploy deployment id
     * @param hookExecutionId the lifecycle event hook execution id
     * @param event the event the hook function serves
     * @return what the hook said (also what was reported)
     * @throws IllegalArgumentException if {@code deploymentId} is blank
     */
    public HookResult answer(String deploymentId, String hookExecutionId, CodeDeployEvent event) {
        if (deploymentId == null || deploymentId.isBlank()) {
            throw new IllegalArgumentException("deploymentId must not be blank");
        }
        String description = AwsCalls.call("GetDeployment " + deploymentId,
                () -> owner.codeDeploy.getDeployment(r -> r.deploymentId(deploymentId)).deploymentInfo().description());
        Optional<Revision> revision = CodeDeployBlueGreen.revisionOf(description);
        if (revision.isEmpty()) {
            HookResult refused = HookResult.fail("deployment " + deploymentId + " was not started by Cutover: '" + description + "'");
            report(deploymentId, hookExecutionId, event, refused);
            return refused;
        }
        return answer(deploymentId, hookExecutionId, event, revision.get(), owner.clock);
    }

    /**
     * Runs the hook for {@code event} of the deployment of {@code revision} and reports its result.
     *
     * @return what the hook said (also what was reported)
     * @param deploymentId the CodeDeploy deployment id
     * @param hookExecutionId the lifecycle event hook execution id
     * @param event the event the hook function serves
     * @param revision the revision being deployed
     * @param clock the clock the hook context's time is read from
     * @throws IllegalArgumentException if either id is blank
     */
    public HookResult answer(String deploymentId, String hookExecutionId, CodeDeployEvent event, Revision revision, Clock clock) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(clock, "clock");
        if (deploymentId == null || deploymentId.isBlank()) {
            throw new IllegalArgumentException("deploymentId must not be blank");
        }
        if (hookExecutionId == null || hookExecutionId.isBlank()) {
            throw new IllegalArgumentException("hookExecutionId must not be blank");
        }
        Hook hook = owner.hooks.get(event);
        HookResult result;
        if (hook == null) {
            result = HookResult.fail("no Cutover hook is registered for " + event.appSpecName());
        } else {
            HookContext ctx = new HookContext("codedeploy-" + deploymentId, owner.application, event.stage(), revision,
                    null, event == CodeDeployEvent.AFTER_ALLOW_TRAFFIC ? TrafficSplit.weighted(100) : TrafficSplit.stableOnly(),
                    clock.instant());
            try {
                result = Objects.requireNonNull(hook.run(ctx), "hook result");
            } catch (RuntimeException e) {
                result = HookResult.fail("hook threw: " + e.getMessage());
            }
        }
        report(deploymentId, hookExecutionId, event, result);
        return result;
    }

    private void report(String deploymentId, String hookExecutionId, CodeDeployEvent event, HookResult result) {
        LifecycleEventStatus status = result.passed() ? LifecycleEventStatus.SUCCEEDED : LifecycleEventStatus.FAILED;
        log.info("CodeDeploy {}: {} hook {}: {}", deploymentId, event.appSpecName(), status, result.message());
        AwsCalls.call("PutLifecycleEventHookExecutionStatus " + event.appSpecName() + " of " + deploymentId,
                () -> owner.codeDeploy.putLifecycleEventHookExecutionStatus(r -> r.deploymentId(deploymentId)
                        .lifecycleEventHookExecutionId(hookExecutionId).status(status)));
    }
}
