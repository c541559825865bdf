package io.cutover.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The public surface is the API: core is the named module {@code io.cutover}, and it exports every package but the internal ones. */
class ModuleDescriptorTest {

    private static final ModuleDescriptor CORE = Deployment.class.getModule().getDescriptor();

    @Test
    void coreRunsAsTheNamedModuleIoCutover() {
        assertThat(Deployment.class.getModule().isNamed()).isTrue();
        assertThat(CORE.name()).isEqualTo("io.cutover");
        assertThat(CORE.isAutomatic()).isFalse();
    }

    @Test
    void everyMainPackageButTheInternalOnesIsExportedToEveryone() {
        Set<String> exported = CORE.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());

        assertThat(exported).contains("io.cutover", "io.cutover.spi", "io.cutover.gate", "io.cutover.plan", "io.cutover.sim",
                "io.cutover.event", "io.cutover.state", "io.cutover.time", "io.cutover.hook", "io.cutover.probe");
        assertThat(exported).noneMatch(p -> p.contains(".internal"));
        assertThat(CORE.packages()).contains("io.cutover.internal");
    }

    @Test
    void theInternalPackageIsNeitherExportedNorOpenedToAnyModule() {
        // read from the descriptor: at test time the build tool opens test packages (io.cutover.internal has
        // tests) to the unnamed module, so Module.isExported would report the test setup, not the descriptor
        assertThat(CORE.exports()).noneMatch(e -> e.source().startsWith("io.cutover.internal"));
        assertThat(CORE.opens()).noneMatch(o -> o.source().startsWith("io.cutover.internal"));
        assertThat(CORE.opens()).allSatisfy(o -> assertThat(o.targets()).containsExactly("tools.jackson.databind"));
    }
}
