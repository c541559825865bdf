package io.cutover.state;

import io.cutover.spi.StateStore;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps rollout state in memory, as JSON, so what is saved goes through the same encoding as in
 * every durable store. Several engines sharing one instance see each other's writes.
 */
public final class InMemoryStateStore implements StateStore {

    private record Entry(String json, long version) { }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    @Override
    public Optional<Stored> load(String rollout) {
        Entry e = entries.get(rollout);
        return e == null ? Optional.empty()
                : Optional.of(new Stored(StateCodec.fromJson(e.json, "memory:" + rollout), Long.toString(e.version)));
    }

    @Override
    public String save(String rollout, RolloutState state, String expectedVersion) {
        String json = StateCodec.toJson(state);
        Entry[] written = new Entry[1];
        entries.compute(rollout, (k, current) -> {
            String actual = current == null ? null : Long.toString(current.version);
            if (!Objects.equals(actual, expectedVersion)) {
                throw new StateConflictException(rollout, expectedVersion, actual);
            }
            written[0] = new Entry(json, current == null ? 1 : current.version + 1);
            return written[0];
        });
        return Long.toString(written[0].version);
    }

    /** The names of the stored rollouts. */
    public java.util.Set<String> names() {
        return java.util.Set.copyOf(entries.keySet());
    }
}
