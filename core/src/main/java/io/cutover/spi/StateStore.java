package io.cutover.spi;

import io.cutover.state.RolloutState;
import java.util.Optional;

/**
 * Keeps rollout state between engine runs. Saves are compare-and-set on an opaque version, so two
 * engines can never both advance the same rollout.
 */
public interface StateStore {

    /** The stored state and its version, if any. */
    Optional<Stored> load(String rollout);

    /**
     * Stores {@code state} if the stored version is still {@code expectedVersion} ({@code null}: nothing
     * is stored yet) and returns the new version.
     *
     * @throws io.cutover.state.StateConflictException when another writer got there first
     */
    String save(String rollout, RolloutState state, String expectedVersion);

    /** A stored state with the version to pass to the next {@link #save}. */
    record Stored(RolloutState state, String version) { }
}
