package io.cutover.examples.readme;

import static io.cutover.gate.Gates.successRate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.sim.Behaviour;
import io.cutover.sim.Scenario;
import io.cutover.spi.Revision;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.stream.Stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README cannot drift from the code: every {@code java} block in it compiles, with the imports
 * it shows, against the classpath of this module (every Cutover module, AssertJ and JUnit).
 */
class ReadmeSnippetsTest {

    @Test
    void everyJavaSnippetOfTheReadmeCompilesWithTheImportsItShows() throws IOException {
        List<String> readme = Files.readAllLines(readme(), StandardCharsets.UTF_8);
        List<ReadmeSnippets.Snippet> snippets = ReadmeSnippets.extract(readme);
        long fences = readme.stream().filter(l -> l.strip().equals("```java")).count();

        assertThat(snippets.size()).isEqualTo((int) fences).isGreaterThanOrEqualTo(8);
        assertThat(ReadmeSnippets.compile(snippets, classpath()))
                .as("compiler errors in README.md's java blocks (see README 'Contributing' for the given-comment)")
                .isEmpty();
    }

    @Test
    void theFirstTestSectionRunsAsWrittenAndItsAssertionsHold() throws Exception {
        List<String> section = ReadmeSnippets.section(Files.readAllLines(readme(), StandardCharsets.UTF_8),
                "## First test of your release logic");
        List<ReadmeSnippets.Snippet> snippets = ReadmeSnippets.extract(section);
        assertThat(snippets).hasSizeGreaterThanOrEqualTo(3);
        Path out = Files.createTempDirectory("readme-run-");
        try {
            assertThat(ReadmeSnippets.compile(snippets, classpath(), out)).isEmpty();
            try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
                for (ReadmeSnippets.Snippet snippet : snippets) {
                    Class<?> type = loader.loadClass("readme." + snippet.className());
                    Method run = Stream.of(type.getDeclaredMethods()).filter(m -> m.getName().equals("run")).findFirst().orElseThrow();
                    Object[] args = Stream.of(run.getParameterTypes()).map(ReadmeSnippetsTest::given).toArray();
                    Constructor<?> constructor = type.getDeclaredConstructor();
                    constructor.setAccessible(true);
                    run.setAccessible(true);
                    try {
                        run.invoke(constructor.newInstance(), args);
                    } catch (InvocationTargetException e) {
                        throw new AssertionError("the README's snippet at line " + snippet.firstLine() + " failed: "
                                + e.getCause(), e.getCause());
                    }
                }
            }
        } finally {
            ReadmeSnippets.delete(out);
        }
    }

    /** The values the section's snippets are given: the README's first canary and first scenario. */
    private static Object given(Class<?> type) {
        if (type == Deployment.class) {
            return Deployment.canary().steps(10, 25, 50, 75).pauseBetween(Duration.ofMinutes(5)).gate(successRate(0.95)).build();
        }
        if (type == Scenario.class) {
            return Scenario.builder()
                    .stable(Revision.of("v1", "myapp:v1"), 5, Behaviour.healthy())
                    .candidate(Revision.of("v2", "myapp:v2"), Behaviour.healthy().withErrorRate(0.2))
                    .requestsPerSecond(200).transientFailures(0.1).seed(42).build();
        }
        throw new IllegalArgumentException("the section's snippets are given an unexpected " + type);
    }

    @Test
    void aSnippetThatDoesNotCompileIsReportedWithItsReadmeLine() {
        List<String> markdown = List.of(
                "# Title",
                "<!-- given: io.cutover.Target target -->",
                "```java",
                "import io.cutover.Deployment;",
                "",
                "Deployment d = Deployment.canary().steps(10).build();",
                "RolloutResult r = d.rollout(null).on(target).start().await();",
                "```",
                "```java",
                "import io.cutover.Deployment;",
                "import io.cutover.NoSuchType;",
                "Deployment.canary().build();",
                "```");

        List<ReadmeSnippets.Snippet> snippets = ReadmeSnippets.extract(markdown);

        assertThat(snippets).extracting(ReadmeSnippets.Snippet::firstLine).containsExactly(4, 10);
        assertThat(ReadmeSnippets.compile(snippets, classpath()))
                .anySatisfy(e -> assertThat(e).startsWith("line 7: ").contains("RolloutResult"))
                .anySatisfy(e -> assertThat(e).startsWith("line 11: ").contains("NoSuchType"))
                .hasSize(2);
    }

    @Test
    void aSnippetThatCompilesGivesNoError() {
        List<String> markdown = List.of(
                "<!-- given: io.cutover.Target target -->",
                "```java",
                "import io.cutover.Deployment;",
                "import io.cutover.RolloutResult;",
                "Deployment d = Deployment.canary().steps(10).build();",
                "RolloutResult r = d.rollout(null).on(target).start().await();",
                "```");

        assertThat(ReadmeSnippets.compile(ReadmeSnippets.extract(markdown), classpath())).isEmpty();
    }

    private static Path readme() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("README.md");
            if (Files.isRegularFile(candidate) && Files.isDirectory(dir.resolve("core"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
    }

    private static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
