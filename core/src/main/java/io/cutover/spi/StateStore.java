package io.cutover.spi;

import io.cutover.state.RolloutState;
import java.util.Optional;

/**
 * Keeps rollout state between engine runs. Saves are compare-and-set on an opaque version, so two
 * engines can never both advance the same rollout.
 */
public interface StateStore {

    /**
     * The stored state and its version, if any.
     *
     * @param rollout the rollout's name
     * @return the state and its version, or empty when nothing is stored
     */
    Optional<Stored> load(String rollout);

    /**
     * Stores {@code state} if the stored version is still {@code expectedVersion} ({@code null}: nothing
     * is stored yet) and returns the new version.
     *
     * @throws io.cutover.state.StateConflictException when another writer got there first
     * @param rollout         the rollout's name
     * @param state           the state to store
     * @param expectedVersion the version last loaded, or {@code null} for a first save
     * @return the new version, to pass to the next save
     */
    String save(String rollout, RolloutState state, String expectedVersion);

    /**
     * Whether a state altered outside this process is refused on load: true for a store sealing with
     * a {@link io.cutover.state.StateIntegrity} key, and for one nothing outside the process can
     * write. An engine warns once when its store is not.
     *
     * @return {@code true} when altered state cannot be loaded unnoticed; the default says {@code false}
     */
    default boolean integrityProtected() {
        return false;
    }

    /**
     * This store sealing and checking every state with {@code integrity}.
     *
     * @throws UnsupportedOperationException when the store cannot seal what it keeps
     * @param integrity the seal to add and check
     * @return a store that seals; the default refuses
     */
    default StateStore withIntegrity(io.cutover.state.StateIntegrity integrity) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot seal rollout state: "
                + "give it the key itself or use a store that can");
    }

    /** A stored state with the version to pass to the next {@link #save}. */
    record Stored(RolloutState state, String version) { }
}
