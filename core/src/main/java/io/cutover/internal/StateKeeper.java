package io.cutover.internal;

import io.cutover.CutoverException;
import io.cutover.spi.StateStore;
import io.cutover.state.RolloutState;
import io.cutover.state.StateConflictException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rollout's door to the state store: compare-and-set saves under the version it holds, the
 * ownership check before every platform write (the stored epoch must be the one this engine claimed),
 * and saves that a safety transition does not wait for.
 */
final class StateKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(StateKeeper.class);

    private final String name;
    private final EngineContext ctx;
    private final Failures failures;
    private final RunnerCalls calls;
    private String version;

    StateKeeper(String name, EngineContext ctx, Failures failures, String version, RunnerCalls calls) {
        this.name = name;
        this.ctx = ctx;
        this.failures = failures;
        this.version = version;
        this.calls = calls;
    }

    /**
     * Saves {@code next} by compare-and-set.
     *
     * @throws StateConflictException when another engine has claimed the rollout
     * @throws CutoverException       (transient for anything unclassified) when the store fails
     */
    void save(RolloutState next) {
        try {
            try {
                version = saveAs(next, version);
            } catch (StateConflictException e) {
                version = ownVersion(e, next);
                version = saveAs(next, version);
            }
        } catch (CutoverException | io.cutover.sim.SimulatedCrash e) {
            throw e;
        } catch (Throwable e) {
            throw CutoverException.transientFailure("save state", "state store failed: " + e, e);
        }
    }

    /**
     * Saves {@code next} on the way to safety (abort, pause, fail, a rollback step): when the store fails,
     * the failure is counted and logged and the caller goes on with {@code next} held in memory.
     */
    void saveOrHold(RolloutState next) {
        try {
            save(next);
        } catch (StateConflictException | io.cutover.sim.SimulatedCrash e) {
            throw e;
        } catch (Throwable e) {
            failures.storeDown(e, next.phase());
        }
    }

    /** Before every platform write: the stored epoch must still be the one {@code current} claimed. */
    void checkOwnership(RolloutState current) {
        StateStore.Stored stored = load("cannot check ownership before writing", true);
        if (stored != null && stored.state().epoch() != current.epoch()) {
            throw new StateConflictException(name, "epoch " + current.epoch(), "epoch " + stored.state().epoch()
                    + " of engine " + stored.state().owner());
        }
    }

    /**
     * The stored version when the stored state is still this engine's claim (the answer to one of its own
     * saves was lost, or the store answered no version): only the claimer writes under an epoch, so it may
     * write on. Otherwise the conflict stands: another engine has claimed the rollout.
     */
    private String ownVersion(StateConflictException conflict, RolloutState next) {
        StateStore.Stored stored = load("state conflict, and the store cannot be read to check it", false);
        if (stored == null || stored.state().epoch() != next.epoch() || !Objects.equals(stored.state().owner(), next.owner())
                || stored.version() == null) {
            throw conflict;
        }
        LOG.info("rollout {}: the store holds this engine's own claim under version {}; saving on", name, stored.version());
        return stored.version();
    }

    private String saveAs(RolloutState next, String expected) {
        return calls.store("save state", () -> ctx.store().save(name, next, expected));
    }

    private StateStore.Stored load(String what, boolean beforeWrite) {
        try {
            java.util.Optional<StateStore.Stored> loaded = beforeWrite
                    ? calls.storeForCheck("load state", () -> ctx.store().load(name))
                    : calls.store("load state", () -> ctx.store().load(name));
            if (loaded == null) {
                throw CutoverException.transientFailure("load state", "the store returned nothing (null)", null);
            }
            return loaded.orElse(null);
        } catch (io.cutover.sim.SimulatedCrash crash) {
            throw crash;
        } catch (Throwable e) {
            throw CutoverException.transientFailure("load state", what + ": " + e, e);
        }
    }
}
