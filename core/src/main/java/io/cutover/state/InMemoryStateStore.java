package io.cutover.state;

import io.cutover.spi.StateStore;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps rollout state in memory. Several engines sharing one instance see each other's writes, and
 * saves are compare-and-set like in every durable store.
 *
 * <p>{@code new InMemoryStateStore()} keeps the immutable state objects as they are (the fast choice
 * for simulations); {@link #encodingJson()} sends every save through the JSON encoding the durable
 * stores use, so a test proves that all of a rollout's state survives it.
 */
public final class InMemoryStateStore implements StateStore {

    private record Entry(RolloutState state, String json, long version) { }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final boolean json;

    /** A store keeping the state objects as they are, not encoded. */
    public InMemoryStateStore() {
        this(false);
    }

    private InMemoryStateStore(boolean json) {
        this.json = json;
    }

    /**
     * A store that encodes every save as JSON and decodes every load.
     *
     * @return a new, empty store
     */
    public static InMemoryStateStore encodingJson() {
        return new InMemoryStateStore(true);
    }

    @Override
    public Optional<Stored> load(String rollout) {
        Entry e = entries.get(rollout);
        if (e == null) {
            return Optional.empty();
        }
        RolloutState state = json ? StateCodec.fromJson(e.json, "memory:" + rollout) : e.state;
        return Optional.of(new Stored(state, Long.toString(e.version)));
    }

    @Override
    public String save(String rollout, RolloutState state, String expectedVersion) {
        Objects.requireNonNull(state, "state");
        String encoded = json ? StateCodec.toJson(state) : null;
        Entry[] written = new Entry[1];
        entries.compute(rollout, (k, current) -> {
            String actual = current == null ? null : Long.toString(current.version);
            if (!Objects.equals(actual, expectedVersion)) {
                throw new StateConflictException(rollout, expectedVersion, actual);
            }
            written[0] = new Entry(json ? null : state, encoded, current == null ? 1 : current.version + 1);
            return written[0];
        });
        return Long.toString(written[0].version);
    }

    /** Nothing outside this process writes it: a loaded state is the one saved. */
    @Override
    public boolean integrityProtected() {
        return true;
    }

    /** Nothing to seal: the store is this process's memory. */
    @Override
    public InMemoryStateStore withIntegrity(StateIntegrity integrity) {
        java.util.Objects.requireNonNull(integrity, "integrity");
        return this;
    }

    /**
     * The names of the stored rollouts.
     *
     * @return the names, a snapshot
     */
    public java.util.Set<String> names() {
        return java.util.Set.copyOf(entries.keySet());
    }
}
