package io.cutover.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.sim.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelineHtmlTest {

    @TempDir
    Path dir;

    static List<RolloutTimeline> three() {
        return List.of(
                RolloutTimeline.of("healthy", Simulation.run(TimelineRecorderTest.canary(), TimelineRecorderTest.scenario(0.0))),
                RolloutTimeline.of("20% errors", Simulation.run(TimelineRecorderTest.canary(), TimelineRecorderTest.scenario(0.2))),
                RolloutTimeline.of("known", TimelineSvgTest.abortedCanary()));
    }

    @Test
    void severalRolloutsOnOnePageEachWithItsOwnPicture() {
        SvgDom page = SvgDom.parse(TimelineHtml.render("releases", three()));
        assertThat(page.all("section", "rollout")).extracting(e -> e.getAttribute("id")).containsExactly("rollout-1", "rollout-2", "rollout-3");
        assertThat(page.all("svg", "timeline")).hasSize(3);
        assertThat(page.all("text", "title")).extracting(e -> e.getTextContent()).containsExactly("healthy", "20% errors", "known");
        assertThat(page.all("g", "mark", "promoted")).hasSize(1);
        assertThat(page.all("g", "mark", "abort")).hasSize(2);
    }

    @Test
    void thePageRunsNoScriptAndFetchesNothing() {
        String html = TimelineHtml.render(three());
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContain("href=", "src=", "url(", "@import");
        Matcher links = Pattern.compile("https?://[^\"\\s]+").matcher(html);
        while (links.find()) {
            assertThat(links.group()).as("only XML namespace names").isIn("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml");
        }
    }

    @Test
    void writesTheWholePageCreatingItsDirectoryAndReplacingAnOldOne() throws IOException {
        Path file = dir.resolve("a/b/rollouts.html");
        assertThat(TimelineHtml.write(file, three())).isEqualTo(file);
        TimelineHtml.write(file, List.of(three().get(2)));
        assertThat(Files.readString(file)).isEqualTo(TimelineHtml.render(List.of(three().get(2))));
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void anEmptyPageIsRefused() {
        assertThatThrownBy(() -> TimelineHtml.render(List.of())).hasMessage("timelines must not be empty");
    }
}
