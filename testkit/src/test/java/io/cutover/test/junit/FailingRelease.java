package io.cutover.test.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.test.Worlds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Run by {@link CutoverExtensionTest} through the launcher, never on its own: it fails on purpose and leaves a rollout running. */
@Tag("launched-by-tests")
final class FailingRelease {
    static Path pictures;
    static final Map<String, Object> LEFT = new ConcurrentHashMap<>();

    @RegisterExtension
    CutoverExtension cutover = CutoverExtension.of(Worlds.failing()).picturesIn(pictures);

    @Test
    void expectsPromotion() {
        Rollout rollout = cutover.start(Worlds.canary());
        rollout.await();
        assertThat(rollout.phase()).isEqualTo(Phase.SUCCEEDED);
    }

    @Test
    void leavesARolloutInItsPause() {
        Rollout rollout = cutover.start(Deployment.canary().steps(50).pauseBetween(Duration.ofHours(1)).build());
        cutover.advance(Duration.ofMinutes(1));
        LEFT.put("time", cutover.time());
        LEFT.put("recorder", cutover.timelines());
        LEFT.put("rollout", rollout);
    }
}
