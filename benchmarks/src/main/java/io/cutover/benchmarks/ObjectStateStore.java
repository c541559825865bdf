package io.cutover.benchmarks;

import io.cutover.spi.StateStore;
import io.cutover.state.RolloutState;
import io.cutover.state.StateConflictException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A compare-and-set store that keeps the state objects as they are, without encoding them: the
 * control that shows what the JSON encoding of every save costs. It counts saves.
 */
final class ObjectStateStore implements StateStore {

    private record Entry(RolloutState state, long version) { }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    final AtomicLong saves = new AtomicLong();

    @Override
    public Optional<Stored> load(String rollout) {
        Entry e = entries.get(rollout);
        return e == null ? Optional.empty() : Optional.of(new Stored(e.state, Long.toString(e.version)));
    }

    @Override
    public String save(String rollout, RolloutState state, String expectedVersion) {
        saves.incrementAndGet();
        Entry[] written = new Entry[1];
        entries.compute(rollout, (k, current) -> {
            String actual = current == null ? null : Long.toString(current.version);
            if (!Objects.equals(actual, expectedVersion)) {
                throw new StateConflictException(rollout, expectedVersion, actual);
            }
            written[0] = new Entry(state, current == null ? 1 : current.version + 1);
            return written[0];
        });
        return Long.toString(written[0].version);
    }

    /** Forgets every state (what a store's own copy weighs is measured by dropping it). */
    void clear() {
        entries.clear();
    }
}
