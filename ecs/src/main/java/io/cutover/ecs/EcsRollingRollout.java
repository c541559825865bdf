package io.cutover.ecs;

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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;

/** One rolling update started by {@link EcsRollingUpdate}: progress, gates and rollback. */
public final class EcsRollingRollout {

    private static final Logger log = LoggerFactory.getLogger(EcsRollingRollout.class);

    private final EcsRollingUpdate owner;
    private final Revision revision;
    private final String previous;
    private volatile String rollbackReason;

    EcsRollingRollout(EcsRollingUpdate owner, Revision revision, String previous) {
        this.owner = owner;
        this.revision = revision;
        this.previous = previous;
    }

    /** The task definition a rollback returns to, or {@code null} when it is not known. */
    public String previousTaskDefinition() {
        return previous;
    }

    /**
     * Reads the service's deployments; while the new one rolls, measures the gates and puts the
     * previous task definition back when one fails.
     */
    public EcsRollingProgress check(Instant now) {
        Objects.requireNonNull(now, "now");
        Service s = owner.describe();
        Optional<Deployment> primary = s.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst();
        if (primary.isEmpty()) {
            return new EcsRollingProgress(EcsRollingProgress.State.FAILED, 0, nz(s.desiredCount()),
                    "service " + owner.service + " has no primary deployment", List.of());
        }
        Deployment p = primary.get();
        int running = nz(p.runningCount());
        int desired = nz(p.desiredCount());
        if (same(p.taskDefinition(), revision.artifact())) {
            if (p.rolloutState() == DeploymentRolloutState.COMPLETED) {
                return new EcsRollingProgress(EcsRollingProgress.State.COMPLETED, running, desired, p.rolloutStateReason(), List.of());
            }
            if (p.rolloutState() == DeploymentRolloutState.FAILED) {
                return new EcsRollingProgress(EcsRollingProgress.State.FAILED, running, desired, p.rolloutStateReason(), List.of());
            }
            GateContext ctx = new GateContext("ecs-rolling-" + owner.service, owner.service, revision, now, owner.metrics, owner.health);
            List<Measurement> measurements = Watch.measure(owner.gates, ctx);
            Measurement failed = Watch.firstFailed(measurements);
            if (failed != null) {
                String reason = "gate " + failed.gate() + " failed: " + failed.detail();
                rollback(reason);
                return new EcsRollingProgress(EcsRollingProgress.State.ROLLING_BACK, running, desired, reason, measurements);
            }
            return new EcsRollingProgress(EcsRollingProgress.State.IN_PROGRESS, running, desired, p.rolloutStateReason(), measurements);
        }
        if (previous != null && same(p.taskDefinition(), previous)) {
            String why = rollbackReason != null ? rollbackReason : failedReason(s);
            EcsRollingProgress.State state = p.rolloutState() == DeploymentRolloutState.COMPLETED
                    ? EcsRollingProgress.State.ROLLED_BACK : EcsRollingProgress.State.ROLLING_BACK;
            return new EcsRollingProgress(state, running, desired, why, List.of());
        }
        return new EcsRollingProgress(EcsRollingProgress.State.FAILED, running, desired,
                "service " + owner.service + " now runs " + p.taskDefinition() + ", neither " + revision.artifact()
                        + " nor the previous " + previous, List.of());
    }

    /** Puts the previous task definition back; safe to repeat. */
    public void rollback(String reason) {
        if (previous == null) {
            throw new IllegalStateException("the task definition before " + revision.artifact() + " is not known; cannot roll back");
        }
        this.rollbackReason = reason;
        Service s = owner.describe();
        boolean already = s.deployments().stream().anyMatch(d -> "PRIMARY".equals(d.status()) && same(d.taskDefinition(), previous));
        if (already) {
            return;
        }
        log.warn("service {}: rolling back to {}: {}", owner.service, previous, reason);
        owner.update(previous, s);
    }

    /** Checks every {@code every} until the update completes, rolls back or fails. */
    public CompletableFuture<EcsRollingProgress> watch(Scheduler scheduler, Clock clock, Duration every) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(clock, "clock");
        return Watch.until(scheduler, clock, every, this::check, EcsRollingProgress::done);
    }

    private String failedReason(Service s) {
        return s.deployments().stream().filter(d -> same(d.taskDefinition(), revision.artifact()))
                .filter(d -> d.rolloutState() == DeploymentRolloutState.FAILED)
                .map(d -> "ECS rolled back: " + d.rolloutStateReason()).findFirst()
                .orElse("the previous task definition " + previous + " runs again");
    }

    static boolean same(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return a.equals(b) || a.substring(a.lastIndexOf('/') + 1).equals(b.substring(b.lastIndexOf('/') + 1));
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }

    @Override
    public String toString() {
        return "EcsRollingRollout[" + owner.service + " " + revision.name() + "]";
    }
}
