package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Phase;
import io.cutover.RolloutEngine;
import io.cutover.sim.SimulatedCrash;
import io.cutover.sim.SimulatedPlatform;
import io.cutover.state.FileStateStore;
import io.cutover.time.VirtualScheduler;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume always happens in a new process: this JVM starts a rollout with lambda hooks at several
 * stages and a custom gate, dies after its first platform write, and a freshly forked JVM resumes it
 * from the file store and finishes it.
 */
class ForkedResumeTest {

    @Test
    void aRolloutWithHooksAndACustomGateResumesInAFreshlyForkedJvm(@TempDir Path dir) throws IOException, InterruptedException {
        VirtualScheduler time = new VirtualScheduler();
        SimulatedPlatform platform = ResumeInFreshJvm.platform(time);
        RolloutEngine engine = RolloutEngine.builder().withScheduler(time).withStateStore(new FileStateStore(dir)).owner("parent").build();
        platform.crashAfterWrite(1);
        assertThatThrownBy(() -> engine.start("app", ResumeInFreshJvm.deployment(), Fixture.V2, platform.target("app")).await())
                .isInstanceOf(SimulatedCrash.class);
        engine.shutdown();
        String parentFingerprint = new FileStateStore(dir).load("app").orElseThrow().state().planFingerprint();

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the tests may run on the module path: the child gets every entry of both on its class path
        String classpath = Stream.of(System.getProperty("jdk.module.path"), System.getProperty("java.class.path"))
                .filter(p -> p != null && !p.isBlank()).collect(Collectors.joining(File.pathSeparator));
        Process child = new ProcessBuilder(List.of(java, "-cp", classpath,
                ResumeInFreshJvm.class.getName(), dir.toString())).redirectErrorStream(true).start();
        boolean ended = child.waitFor(60, TimeUnit.SECONDS);
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ended).as("child ended: %s", output).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("fingerprint " + parentFingerprint).contains("phase SUCCEEDED stable v2");
        var stored = new FileStateStore(dir).load("app").orElseThrow().state();
        assertThat(stored.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(stored.owner()).isEqualTo("child");
        assertThat(stored.epoch()).isEqualTo(2);
    }
}
