package io.cutover;

import io.cutover.internal.RolloutRunner;
import io.cutover.spi.Revision;
import io.cutover.state.RolloutState;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What {@link RolloutEngine#update} does: a new revision takes over from the rollout in progress. */
final class Updates {

    private Updates() { }

    static CompletableFuture<Rollout> update(RolloutEngine engine, String name, Deployment deployment, Revision revision, Target target) {
        Optional<RolloutState> stored = engine.status(name);
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
            runner.abort("superseded: stable revision " + revision.name() + " re-applied, rolled back without analysis");
            return CompletableFuture.completedFuture(new Rollout(runner, engine));
        }
        runner.abort("superseded by revision " + revision.name());
        return runner.result().thenApply(ended -> {
            if (ended.phase() != Phase.ABORTED) {
                throw new IllegalStateException("revision " + s.candidate().name() + " could not be retired (" + ended.phase()
                        + ": " + ended.reason() + "); " + revision.name() + " was not started");
            }
            return engine.start(name, deployment, revision, target);
        });
    }
}
