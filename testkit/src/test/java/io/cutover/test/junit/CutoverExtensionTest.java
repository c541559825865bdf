package io.cutover.test.junit;

import static io.cutover.test.CutoverAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.cutover.Phase;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.test.Worlds;
import io.cutover.time.VirtualScheduler;
import io.cutover.view.TimelineRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class CutoverExtensionTest {

    @RegisterExtension
    CutoverExtension cutover = CutoverExtension.of(Worlds.failing());

    @Test
    void injectsTheWorldItsScenarioDescribesOnVirtualTime(VirtualScheduler time, SimulatedPlatform platform, RolloutEngine engine,
                                                          TimelineRecorder recorder) {
        assertThat(time.now()).isEqualTo(CutoverExtension.START);
        assertThat(platform.stableRevision()).isEqualTo("v1");
        assertThat(platform.readyReplicas(Role.STABLE)).isEqualTo(4);
        assertThat(time).isSameAs(cutover.time());
        assertThat(platform).isSameAs(cutover.platform());
        assertThat(engine).isSameAs(cutover.engine());
        Rollout rollout = engine.start("shop", Worlds.canary(), Revision.of("v2", "shop:v2"), platform.target("shop"));
        rollout.await();
        assertThat(recorder.timeline("shop")).isPresent();
        assertThat(time.now()).as("the canary's time passed virtually").isAfter(CutoverExtension.START.plusSeconds(60));
    }

    @Test
    void startsTheScenariosCandidateAndRecordsItsTimelineWithReadyReplicas() {
        Rollout rollout = cutover.start(Worlds.canary());
        assertThat(rollout.await()).endedIn(Phase.ABORTED).endedOnStable().rolledBackWithin(Duration.ofMinutes(1));
        assertThat(cutover.timeline(rollout)).endedIn(Phase.ABORTED).detectedWithin(Duration.ofMinutes(2))
                .rolledBackWithin(Duration.ofMinutes(1)).neverServedUnreadyReplicas().neverExceededWeight(10);
        assertThat(cutover.timeline(rollout).candidateRevision()).isEqualTo("v2");
    }

    record Outcome(String test, TestExecutionResult result, List<ReportEntry> entries) { }

    static List<Outcome> run(Class<?> testClass) {
        List<Outcome> outcomes = new ArrayList<>();
        Map<String, List<ReportEntry>> entries = new ConcurrentHashMap<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
                new TestExecutionListener() {
                    @Override
                    public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
                        entries.computeIfAbsent(test.getUniqueId(), k -> new ArrayList<>()).add(entry);
                    }

                    @Override
                    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                        if (test.isTest()) {
                            outcomes.add(new Outcome(test.getDisplayName(), result, entries.getOrDefault(test.getUniqueId(), List.of())));
                        }
                    }
                });
        return outcomes;
    }

    @Test
    void aFailingTestNamesItsTimelinePictureAndTheEngineIsShutDownAfterEveryTest(@TempDir Path dir) throws Exception {
        FailingRelease.pictures = dir;
        List<Outcome> outcomes = run(FailingRelease.class);
        assertThat(outcomes).hasSize(2);

        Outcome failed = outcomes.stream().filter(o -> o.test().equals("expectsPromotion()")).findFirst().orElseThrow();
        assertThat(failed.result().getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
        Throwable failure = failed.result().getThrowable().orElseThrow();
        assertThat(failure).isInstanceOf(AssertionError.class);
        Path picture = dir.resolve("FailingRelease.expectsPromotion__.html");
        assertThat(failure.getSuppressed()).singleElement().isInstanceOf(CutoverExtension.TimelinePicture.class)
                .extracting(Throwable::getMessage).isEqualTo("timeline picture of this test's rollouts: " + picture.toUri());
        assertThat(failed.entries()).singleElement().satisfies(e -> assertThat(e.getKeyValuePairs())
                .containsEntry("cutover.timeline", picture.toUri().toString()));
        assertThat(Files.readString(picture)).contains("<svg", "class=\"mark abort\"", "shop");

        Outcome passed = outcomes.stream().filter(o -> o.test().equals("leavesARolloutInItsPause()")).findFirst().orElseThrow();
        assertThat(passed.result().getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(passed.entries()).as("no picture for a passing test").isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(picture);
        }
        VirtualScheduler time = (VirtualScheduler) FailingRelease.LEFT.get("time");
        Rollout rollout = (Rollout) FailingRelease.LEFT.get("rollout");
        assertThat(rollout.phase()).isEqualTo(Phase.PROGRESSING);
        time.advance(Duration.ofHours(3));
        assertThat(rollout.phase()).as("a shut-down engine drives nothing more").isEqualTo(Phase.PROGRESSING);
    }

    @Test
    void withExtendWithTheWorldIsTheDefaultOne() {
        assertThat(run(DefaultWorld.class)).singleElement()
                .satisfies(o -> assertThat(o.result().getStatus()).as("%s", o.result()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL));
    }

    @Test
    void outsideATestThereIsNoWorld() {
        CutoverExtension idle = CutoverExtension.of(Worlds.failing());
        org.assertj.core.api.Assertions.assertThatThrownBy(idle::engine).isInstanceOf(IllegalStateException.class)
                .hasMessage("no test is running: the extension's world exists from beforeEach to afterEach");
    }
}
