package io.cutover.test.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Role;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Run by {@link CutoverExtensionTest} through the launcher: the default world. */
@Tag("launched-by-tests")
@ExtendWith(CutoverExtension.class)
final class DefaultWorld {
    @Test
    void hasAHealthyStableOfFive(SimulatedPlatform platform) {
        assertThat(platform.readyReplicas(Role.STABLE)).isEqualTo(5);
        assertThat(platform.stableRevision()).isEqualTo("v1");
    }
}
