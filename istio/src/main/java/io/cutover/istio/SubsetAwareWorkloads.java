package io.cutover.istio;

import io.cutover.CutoverException;
import io.cutover.kubernetes.DeploymentWorkloads;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.cutover.spi.WorkloadIdentity;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a {@link Workloads} and keeps the DestinationRule subsets pointing at the right pods, in an
 * order that never sends traffic to a subset that is missing or selects the wrong pods.
 *
 * <p><b>By identity</b> (when the workloads report {@link Workloads#identity} for both roles, as
 * {@link DeploymentWorkloads} does): each subset selects exactly its role's pod labels
 * ({@code cutover.io/track: stable|canary} by default). The stable subset narrows to them only once
 * every stable pod carries them ({@link DeploymentWorkloads#prepareIdentity()}); until then
 * {@link #deploy} fails TRANSIENT and creates nothing. On promotion the stable subset follows the
 * stable role's identity (a new colour in blue-green; unchanged in a canary).
 *
 * <p><b>By revision</b> (workloads that report no identity, whose pods carry a version label with
 * the revision name):
 * <ul>
 *   <li>{@link #deploy}: the stable subset is created for the running revision if missing, and the
 *       candidate subset is pointed at the new revision while it carries no traffic; then the
 *       candidate is deployed.</li>
 *   <li>{@link #promote}: all traffic goes to the candidate subset (the promoted pods), then the
 *       workloads are promoted, then the stable subset moves to the new revision. The engine then
 *       sends all traffic back to the stable subset, which now selects the promoted pods.</li>
 * </ul>
 *
 * <pre>{@code
 * Workloads workloads = SubsetAwareWorkloads.wrap(deployments, subsets, router);
 * }</pre>
 */
public final class SubsetAwareWorkloads implements Workloads {

    private static final Logger LOG = LoggerFactory.getLogger(SubsetAwareWorkloads.class);

    private final Workloads delegate;
    private final DestinationRuleSubsets subsets;
    private final TrafficRouter router;

    private SubsetAwareWorkloads(Workloads delegate, DestinationRuleSubsets subsets, TrafficRouter router) {
        this.delegate = Objects.requireNonNull(delegate, "workloads");
        this.subsets = Objects.requireNonNull(subsets, "subsets");
        this.router = Objects.requireNonNull(router, "router");
    }

    /**
     * Keeps the subsets on the right pods around the workloads' deploy and promote.
     *
     * @param workloads the workloads that run the pods (for example Kubernetes Deployments)
     * @param subsets the DestinationRule subsets to keep in step
     * @param router the router that moves traffic during the promotion
     * @return workloads to give to the {@code Target}
     */
    public static SubsetAwareWorkloads wrap(Workloads workloads, DestinationRuleSubsets subsets, TrafficRouter router) {
        return new SubsetAwareWorkloads(workloads, subsets, router);
    }

    @Override
    public Optional<WorkloadIdentity> identity(Role role) {
        return delegate.identity(role);
    }

    private Optional<WorkloadIdentity> known(Role role) {
        Optional<WorkloadIdentity> id = delegate.identity(role);
        return id == null ? Optional.empty() : id.filter(i -> !i.labels().isEmpty());
    }

    @Override
    public void deploy(Revision revision, int replicas) {
        Objects.requireNonNull(revision, "revision");
        Optional<WorkloadIdentity> stableId = known(Role.STABLE);
        Optional<WorkloadIdentity> candidateId = known(Role.CANDIDATE);
        if (stableId.isPresent() && candidateId.isPresent()) {
            deployByIdentity(revision, replicas, stableId.get(), candidateId.get());
            return;
        }
        if (subsets.labelValue(Role.STABLE).isEmpty()) {
            String running = delegate.status(Role.STABLE).revision();
            if (running == null) {
                throw CutoverException.permanent("deploy " + revision.name(), "no stable revision runs and the DestinationRule "
                        + "has no subset '" + subsets.subsetName(Role.STABLE) + "': nothing to route stable traffic to", null);
            }
            subsets.point(Role.STABLE, running);
        }
        Optional<String> candidate = subsets.labelValue(Role.CANDIDATE);
        if (!candidate.equals(Optional.of(revision.name()))) {
            TrafficSplit split = router.read();
            if (!split.isStableOnly()) {
                throw CutoverException.permanent("deploy " + revision.name(), "subset '" + subsets.subsetName(Role.CANDIDATE)
                        + "' selects " + candidate.orElse("nothing") + " and carries traffic (" + split
                        + "): Cutover will not point it at " + revision.name(), null);
            }
            subsets.point(Role.CANDIDATE, revision.name());
        }
        delegate.deploy(revision, replicas);
    }

    private void deployByIdentity(Revision revision, int replicas, WorkloadIdentity stable, WorkloadIdentity candidate) {
        if (!subsets.labels(Role.CANDIDATE).equals(candidate.labels())) {
            TrafficSplit split = router.read();
            if (!split.isStableOnly()) {
                throw CutoverException.permanent("deploy " + revision.name(), "subset '" + subsets.subsetName(Role.CANDIDATE)
                        + "' selects " + subsets.labels(Role.CANDIDATE) + " and carries traffic (" + split
                        + "): Cutover will not point it at " + candidate.labels(), null);
            }
            subsets.select(Role.CANDIDATE, candidate.labels());
        }
        if (!subsets.labels(Role.STABLE).equals(stable.labels())) {
            if (delegate instanceof DeploymentWorkloads d && !d.prepareIdentity()) {
                throw CutoverException.transientFailure("deploy " + revision.name(), "subset '" + subsets.subsetName(Role.STABLE)
                        + "' can select only pods labelled " + stable.labels() + " once every pod of " + stable.workload()
                        + " carries them; its pods are being relabelled", null);
            }
            subsets.select(Role.STABLE, stable.labels());
        }
        delegate.deploy(revision, replicas);
    }

    @Override
    public void promote(Revision revision) {
        Objects.requireNonNull(revision, "revision");
        if (known(Role.STABLE).isPresent() && known(Role.CANDIDATE).isPresent()) {
            promoteByIdentity(revision);
            return;
        }
        if (subsets.labelValue(Role.STABLE).equals(Optional.of(revision.name()))) {
            delegate.promote(revision);
            return;
        }
        if (!subsets.labelValue(Role.CANDIDATE).equals(Optional.of(revision.name()))) {
            throw CutoverException.permanent("promote " + revision.name(), "subset '" + subsets.subsetName(Role.CANDIDATE)
                    + "' does not select " + revision.name() + ": Cutover will not send all traffic to it", null);
        }
        router.apply(router.read().withCandidateWeight(100));
        LOG.info("promoting {}: all traffic on subset {} before subset {} moves", revision.name(),
                subsets.subsetName(Role.CANDIDATE), subsets.subsetName(Role.STABLE));
        delegate.promote(revision);
        subsets.point(Role.STABLE, revision.name());
    }

    /**
     * All traffic to the candidate subset (it selects the candidate's pods), promote, then the stable
     * subset follows the stable role's identity while it carries no traffic. The candidate subset
     * moves on the next deploy, once traffic is back on stable.
     */
    private void promoteByIdentity(Revision revision) {
        WorkloadIdentity candidate = known(Role.CANDIDATE).orElseThrow();
        if (!subsets.labels(Role.CANDIDATE).equals(candidate.labels())) {
            throw CutoverException.permanent("promote " + revision.name(), "subset '" + subsets.subsetName(Role.CANDIDATE)
                    + "' selects " + subsets.labels(Role.CANDIDATE) + ", not the candidate's pods " + candidate.labels()
                    + ": Cutover will not send all traffic to it", null);
        }
        router.apply(router.read().withCandidateWeight(100));
        delegate.promote(revision);
        subsets.select(Role.STABLE, known(Role.STABLE).orElseThrow().labels());
    }

    @Override
    public void scale(Role role, int replicas) {
        delegate.scale(role, replicas);
    }

    @Override
    public WorkloadStatus status(Role role) {
        return delegate.status(role);
    }

    @Override
    public void retire(Role role) {
        delegate.retire(role);
    }
}
