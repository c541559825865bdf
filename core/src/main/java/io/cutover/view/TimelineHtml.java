package io.cutover.view;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A self-contained HTML page with one SVG timeline per rollout: it opens from disk in any browser, runs no
 * script and fetches nothing. The page is well-formed XML as well, so tools can parse it. Each rollout's section
 * has an anchor, {@code #rollout-1}, {@code #rollout-2}..., in the order given; opening the page at an anchor
 * shows that rollout alone (plain CSS, in browsers that know {@code :has}).
 *
 * <pre>{@code
 * TimelineHtml.write(Path.of("target/rollout.html"), List.of(RolloutTimeline.of("canary", report)));
 * }</pre>
 */
public final class TimelineHtml {

    private TimelineHtml() { }

    /**
     * The page, titled {@code "Cutover rollouts"}.
     *
     * @param timelines one timeline or more, each drawn as a picture with its text
     * @return a self-contained HTML page
     */
    public static String render(List<RolloutTimeline> timelines) {
        return render("Cutover rollouts", timelines);
    }

    /**
     * The page under {@code title}.
     *
     * @param title     the page's title
     * @param timelines one timeline or more
     * @return a self-contained HTML page
     */
    public static String render(String title, List<RolloutTimeline> timelines) {
        if (timelines.isEmpty()) {
            throw new IllegalArgumentException("timelines must not be empty");
        }
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
                .append(Svg.esc(title)).append("</title>\n<style>\n")
                .append("body { font-family: sans-serif; margin: 16px; color: #222222; background: #fafafa; }\n")
                .append("section { background: #ffffff; border: 1px solid #dddddd; margin: 0 0 16px 0; padding: 8px; width: max-content; }\n")
                .append("h1 { font-size: 18px; } p.hint { color: #555555; font-size: 12px; }\n")
                .append("body:has(section:target) > :not(section:target) { display: none; }\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(Svg.esc(title)).append("</h1>\n")
                .append("<p class=\"hint\">Hover a gate marker for its value and condition, a band for its step, a line for its instant.</p>\n");
        for (int i = 0; i < timelines.size(); i++) {
            html.append("<section class=\"rollout\" id=\"rollout-").append(i + 1).append("\">\n").append(TimelineSvg.render(timelines.get(i)))
                    .append("</section>\n");
        }
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    /**
     * Writes the page to {@code file} (replacing it whole, never half-written), creating its directory; returns the file.
     *
     * @param file      the file to write
     * @param timelines one timeline or more
     * @return {@code file}
     */
    public static Path write(Path file, List<RolloutTimeline> timelines) {
        String page = render(timelines);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".timeline", ".tmp");
            Files.writeString(temp, page, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the timeline to " + file, e);
        }
    }
}
