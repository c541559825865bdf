package io.cutover.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Phase;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.Revision;
import io.cutover.spi.StateStore;
import io.cutover.spi.TrafficSplit;
import io.cutover.state.RolloutState;
import io.cutover.state.StateConflictException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link StateStore} must do: faithful round trips and compare-and-set. */
public abstract class StateStoreContract {

    /** The store under test: a new one from {@link #newStore()} before every test. */
    protected StateStore store;

    /**
     * Makes an empty store for one test.
     *
     * @return a store holding no rollout yet
     */
    protected abstract StateStore newStore();

    @BeforeEach
    void setUpStore() {
        store = newStore();
    }

    /**
     * A state with its fields away from their defaults: paused at step 5 (index 4), with a header route, a
     * mirror, two measurements and a history line. Adapter tests use it to check round trips.
     *
     * @return the sample state, the same each time it is called
     */
    public static RolloutState sample() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return RolloutState.initial("myapp", "myapp", Revision.of("v2.0.0", "myapp:v2.0.0").withAttribute("team", "payments"),
                        "abc123", 5, "v1.0.0", t)
                .toBuilder()
                .phase(Phase.PAUSED, "gate success-rate inconclusive")
                .step(4, t.plusSeconds(90))
                .split(new TrafficSplit(25, List.of(HeaderMatch.exact("x-canary", "true")), 10))
                .measured(new Measurement("success-rate", Verdict.INCONCLUSIVE, Double.NaN, "value is NaN", t.plusSeconds(120)))
                .measured(new Measurement("latency-p99", Verdict.PASSED, 0.12, "0.12 meets <= 0.3", t.plusSeconds(120)))
                .note(t.plusSeconds(120), "paused")
                .build();
    }

    @Test
    void nothingStoredReadsAsEmpty() {
        assertThat(store.load("absent")).isEmpty();
    }

    @Test
    void whatIsSavedIsWhatIsLoaded() {
        RolloutState state = sample();
        String version = store.save("myapp", state, null);
        StateStore.Stored stored = store.load("myapp").orElseThrow();
        assertThat(stored.version()).isEqualTo(version);
        assertThat(stored.state()).isEqualTo(state); // record equality: NaN equals NaN
        assertThat(Double.isNaN(stored.state().measurements().get(0).value())).isTrue();
    }

    @Test
    void saveIsCompareAndSet() {
        String v1 = store.save("myapp", sample(), null);
        String v2 = store.save("myapp", sample().toBuilder().phase(Phase.PROGRESSING, null).build(), v1);
        assertThat(v2).isNotEqualTo(v1);
        assertThatThrownBy(() -> store.save("myapp", sample(), v1)).isInstanceOf(StateConflictException.class);
        assertThatThrownBy(() -> store.save("myapp", sample(), null)).isInstanceOf(StateConflictException.class);
        assertThat(store.load("myapp").orElseThrow().state().phase()).isEqualTo(Phase.PROGRESSING);
    }

    @Test
    void rolloutsAreKeptApart() {
        store.save("a", sample(), null);
        store.save("b", sample().toBuilder().phase(Phase.ABORTED, "x").build(), null);
        assertThat(store.load("a").orElseThrow().state().phase()).isEqualTo(Phase.PAUSED);
        assertThat(store.load("b").orElseThrow().state().phase()).isEqualTo(Phase.ABORTED);
    }
}
