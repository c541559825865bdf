package io.cutover;

import io.cutover.internal.RolloutRunner;
import io.cutover.spi.Revision;
import io.cutover.state.RolloutState;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link RolloutEngine#update} does: a new revision takes over from the rollout in progress. The
 * intent is saved with the abort ({@link RolloutState#supersededBy()}), so an engine that resumes the
 * rollback after a crash starts the new revision too.
 */
final class Updates {

    private static final Logger LOG = LoggerFactory.getLogger(Updates.class);

    private Updates() { }

    static CompletableFuture<Rollout> update(RolloutEngine engine, String name, Deployment deployment, Revision revision, Target target) {
        Optional<RolloutState> stored = engine.status(name);
        if (stored.isPresent() && stored.get().phase() == Phase.FAILED) {
            // its traffic may still be split: a new candidate must not be deployed over it
            throw new IllegalStateException("rollout '" + name + "' is FAILED with traffic " + stored.get().split()
                    + "; abort it (the rollback runs again) before updating it");
        }
        if (stored.isEmpty() || stored.get().phase().isTerminal()) {
            return CompletableFuture.completedFuture(engine.start(name, deployment, revision, target));
        }
        RolloutState s = stored.get();
        RolloutRunner runner = engine.runner(name);
        if (runner == null) {
            throw new IllegalStateException("rollout '" + name + "' is " + s.phase()
                    + " but not driven by this engine; resume it here before updating it");
        }
        if (s.candidate().equals(revision)) {
            return CompletableFuture.completedFuture(new Rollout(runner, engine));
        }
        if (s.promoted()) {
            // past the switch there is nothing to retire: the rollout finishes, then the new revision starts
            return runner.result().thenApply(ended -> engine.start(name, deployment, revision, target));
        }
        if (revision.name().equals(s.stableRevision())) {
            runner.supersede(fastRollback(revision, s.candidate()), null);
            return CompletableFuture.completedFuture(new Rollout(runner, engine));
        }
        runner.supersede(supersededBy(revision, s.candidate()), revision);
        return takeOver(engine, runner, deployment, target, revision);
    }

    /**
     * On a resumed rollout that an update was superseding: once its rollback ends, the revision saved
     * in its state starts under the same name with {@code deployment}.
     */
    static void resumed(RolloutEngine engine, RolloutRunner runner, Deployment deployment, Target target) {
        Revision next = runner.state().supersededBy();
        if (next == null) {
            return;
        }
        takeOver(engine, runner, deployment, target, next).whenComplete((started, failure) -> {
            if (failure != null) {
                LOG.warn("rollout {}: revision {} that superseded it was not started: {}", runner.name(), next.name(),
                        failure.getMessage());
            }
        });
    }

    /** The rollout of {@code next}, started once the runner's rollback ended ABORTED with {@code next} still its successor. */
    private static CompletableFuture<Rollout> takeOver(RolloutEngine engine, RolloutRunner runner, Deployment deployment,
                                                       Target target, Revision next) {
        String name = runner.name();
        return runner.result().thenApply(ended -> {
            RolloutState last = runner.state();
            if (ended.phase() != Phase.ABORTED) {
                throw new IllegalStateException("revision " + last.candidate().name() + " could not be retired (" + ended.phase()
                        + ": " + ended.reason() + "); " + next.name() + " was not started");
            }
            if (!next.equals(last.supersededBy())) {
                throw new IllegalStateException("rollout '" + name + "' was superseded by "
                        + (last.supersededBy() == null ? "nothing" : last.supersededBy().name()) + " since; " + next.name() + " was not started");
            }
            return engine.start(name, deployment, next, target);
        });
    }

    static String supersededBy(Revision next, Revision candidate) {
        return "superseded by revision " + next.name() + ": candidate " + candidate.name() + " retired";
    }

    static String fastRollback(Revision stable, Revision candidate) {
        return "fast rollback: stable revision " + stable.name() + " re-applied; candidate " + candidate.name()
                + " retired without analysis";
    }
}
