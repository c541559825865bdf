package io.cutover.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.spi.HeaderMatch;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The split's fields were once named after the canary strategy; a state saved under those names (a
 * file, a ConfigMap written by an older engine) must load with its weight and routes, never as 0%.
 * The old names are built from pieces so that renaming tools leave them alone.
 */
class LegacySplitNamesTest {

    private static final String OLD_WEIGHT = "\"canary" + "Weight\"";
    private static final String OLD_MATCHES = "\"canary" + "Matches\"";
    private static final String NEW_WEIGHT = "\"candidate" + "Weight\"";
    private static final String NEW_MATCHES = "\"candidate" + "Matches\"";

    @Test
    void aStateSavedUnderTheOldSplitNamesLoadsWithItsWeightAndRoutes() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        TrafficSplit split = new TrafficSplit(25, List.of(HeaderMatch.exact("x-tester", "yes")), 10);
        RolloutState state = RolloutState.initial("shop", "shop", Revision.of("v2", "shop:v2"), "abc123", 4, "v1", t)
                .toBuilder().split(split).build();

        String old = StateCodec.toJson(state).replace(NEW_WEIGHT, OLD_WEIGHT).replace(NEW_MATCHES, OLD_MATCHES);

        assertThat(old).contains(OLD_WEIGHT, OLD_MATCHES).doesNotContain(NEW_WEIGHT, NEW_MATCHES);
        RolloutState loaded = StateCodec.fromJson(old, "a file an older engine wrote");
        assertThat(loaded.split()).isEqualTo(split);
        assertThat(loaded.split().isSplit()).isTrue();
    }
}
