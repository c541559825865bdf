package io.cutover.view;

import io.cutover.Phase;
import io.cutover.event.RolloutEvent;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Draws one {@link RolloutTimeline} as a standalone SVG image: users' traffic per revision stacked over time,
 * gate verdicts as markers (hover shows the value and the condition), replicas per role, pause and analysis
 * bands, the abort, promotion and rollback instants, and the window in which users reached a rolled-back
 * candidate with the blast radius. Plain SVG 1.1: no script, no external reference.
 */
public final class TimelineSvg {

    static final int WIDTH = 960;
    static final int LEFT = 80;
    static final int PLOT_WIDTH = WIDTH - LEFT - 30;
    static final int TRAFFIC_TOP = 64;
    static final int TRAFFIC_HEIGHT = 160;
    static final int LANE_TOP = TRAFFIC_TOP + TRAFFIC_HEIGHT + 8;
    static final int LANE_HEIGHT = 28;
    static final int REPLICAS_TOP = LANE_TOP + LANE_HEIGHT + 12;
    static final int REPLICAS_HEIGHT = 90;
    static final int AXIS_Y = REPLICAS_TOP + REPLICAS_HEIGHT;
    static final int HEIGHT = AXIS_Y + 66;

    static final String OLD_COLOUR = "#4e79a7";
    static final String NEW_COLOUR = "#f28e2b";
    private static final long[] TICK_SECONDS = {10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400};

    private final RolloutTimeline timeline;
    private final long spanMillis;
    private final StringBuilder svg = new StringBuilder();

    private TimelineSvg(RolloutTimeline timeline) {
        this.timeline = timeline;
        long last = timeline.points().stream().mapToLong(p -> p.at().toMillis()).max().orElse(0);
        this.spanMillis = Math.max(1000, Math.max(last, timeline.end().toMillis()));
    }

    /**
     * The timeline as an SVG document (an {@code <svg>} element, no XML prolog), ready to inline in HTML.
     *
     * @param timeline the timeline to draw
     * @return the SVG text
     */
    public static String render(RolloutTimeline timeline) {
        return new TimelineSvg(timeline).draw();
    }

    /** The x coordinate of a moment. */
    double x(Duration at) {
        return LEFT + PLOT_WIDTH * (double) Math.min(at.toMillis(), spanMillis) / spanMillis;
    }

    /** The y coordinate of a traffic percentage. */
    static double trafficY(double percent) {
        return TRAFFIC_TOP + TRAFFIC_HEIGHT * (1 - percent / 100.0);
    }

    private String draw() {
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n");
        svg.append("<title>").append(Svg.esc(timeline.title() + ": " + timeline.phase())).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        header();
        bands();
        traffic();
        exposure();
        verdicts();
        replicas();
        axes();
        marks();
        legend();
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void header() {
        text(LEFT, 20, "title", "font-size=\"15\" font-weight=\"bold\"", timeline.title());
        List<String> facts = new ArrayList<>();
        facts.add(timeline.phase() + " after " + RolloutTimeline.clock(timeline.end()));
        timeline.blastRadiusIfKnown().ifPresent(b -> facts.add("blast radius " + b + " failed requests"));
        timeline.timeToDetect().ifPresent(d -> facts.add("detected in " + RolloutTimeline.clock(d)));
        timeline.timeToRollBack().ifPresent(d -> facts.add("rolled back in " + RolloutTimeline.clock(d)));
        if (timeline.violations() != null) {
            facts.add(timeline.violations().isEmpty() ? "invariants held" : timeline.violations().size() + " invariant violations");
        }
        text(LEFT, 38, "facts", "font-size=\"12\" fill=\"" + (timeline.phase() == Phase.SUCCEEDED ? "#2e7d32" : "#b71c1c") + "\"",
                String.join(" · ", facts));
        if (timeline.reason() != null) {
            text(LEFT, 53, "reason", "fill=\"#555555\"", Svg.clip(timeline.reason(), 140));
        }
    }

    /** Pauses, analysis steps and holds for a person, as bands behind everything. */
    private void bands() {
        List<RolloutTimeline.Point> points = timeline.points();
        Duration heldSince = null;
        for (int i = 0; i < points.size(); i++) {
            RolloutTimeline.Point p = points.get(i);
            if (p.event() instanceof RolloutEvent.StepStarted s) {
                String kind = s.step().startsWith("pause") ? "pause" : s.step().startsWith("analyze") ? "analysis" : null;
                if (kind != null) {
                    band(kind, p.at(), nextStepOrEnd(i), s.step());
                }
            } else if (p.event() instanceof RolloutEvent.Paused) {
                heldSince = heldSince == null ? p.at() : heldSince;
            } else if (p.event() instanceof RolloutEvent.Resumed && heldSince != null) {
                band("held", heldSince, p.at(), "waiting for a person");
                heldSince = null;
            }
        }
        if (heldSince != null) {
            band("held", heldSince, timeline.end(), "waiting for a person");
        }
    }

    private Duration nextStepOrEnd(int index) {
        for (RolloutTimeline.Point p : timeline.points().subList(index + 1, timeline.points().size())) {
            if (p.event() instanceof RolloutEvent.StepStarted || p.event() instanceof RolloutEvent.AbortStarted
                    || p.event() instanceof RolloutEvent.Failed) {
                return p.at();
            }
        }
        return timeline.end();
    }

    private void band(String kind, Duration from, Duration to, String what) {
        String fill = switch (kind) {
            case "pause" -> "#eeeeee";
            case "analysis" -> "#e8e0f4";
            default -> "#fff3cd";
        };
        svg.append("<rect class=\"band ").append(kind).append("\" x=\"").append(Svg.num(x(from))).append("\" y=\"").append(TRAFFIC_TOP)
                .append("\" width=\"").append(Svg.num(Math.max(1, x(to) - x(from)))).append("\" height=\"").append(AXIS_Y - TRAFFIC_TOP)
                .append("\" fill=\"").append(fill).append("\"><title>").append(Svg.esc(what + ", " + span(from, to))).append("</title></rect>\n");
    }

    /** The window in which users reached a candidate that was then rolled back (or left failed). */
    private void exposure() {
        Optional<Duration> from = timeline.firstCandidateTraffic();
        Optional<Duration> to = timeline.rolledBack().or(timeline::failed);
        if (from.isEmpty() || to.isEmpty() || timeline.abortStarted().isEmpty() && timeline.failed().isEmpty()) {
            return;
        }
        String blast = timeline.blastRadiusIfKnown().stream().mapToObj(b -> ": blast radius " + b + " failed requests").findFirst().orElse("");
        svg.append("<rect class=\"exposure\" x=\"").append(Svg.num(x(from.get()))).append("\" y=\"").append(TRAFFIC_TOP).append("\" width=\"")
                .append(Svg.num(Math.max(1, x(to.get()) - x(from.get())))).append("\" height=\"").append(TRAFFIC_HEIGHT)
                .append("\" fill=\"none\" stroke=\"#b71c1c\" stroke-width=\"2\" stroke-dasharray=\"5 3\" pointer-events=\"all\"><title>")
                .append(Svg.esc("users reached the candidate " + span(from.get(), to.get()) + blast)).append("</title></rect>\n");
        timeline.blastRadiusIfKnown().ifPresent(b -> text(x(from.get()) + 4, TRAFFIC_TOP + 14, "blast", "fill=\"#b71c1c\" font-weight=\"bold\""
                + " stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"", "blast radius " + b));
    }

    /** The new revision's share of users' traffic from the start: its weight, or all of it once promoted. */
    List<double[]> newShare() {
        List<double[]> steps = new ArrayList<>();
        steps.add(new double[] {0, 0});
        boolean promoted = false;
        for (RolloutTimeline.Point p : timeline.points()) {
            promoted |= p.event() instanceof RolloutEvent.Promoted;
            double share = promoted ? 100 - p.candidateWeight() : p.candidateWeight();
            if (share != steps.get(steps.size() - 1)[1]) {
                steps.add(new double[] {p.at().toMillis(), share});
            }
        }
        return steps;
    }

    private void traffic() {
        List<double[]> share = newShare();
        List<double[]> edge = stepEdge(share, v -> trafficY(v));
        double x0 = LEFT;
        double x1 = LEFT + PLOT_WIDTH;
        StringBuilder newArea = new StringBuilder("M" + Svg.num(x0) + " " + Svg.num(trafficY(0)));
        edge.forEach(v -> newArea.append(" L").append(Svg.num(v[0])).append(' ').append(Svg.num(v[1])));
        newArea.append(" L").append(Svg.num(x1)).append(' ').append(Svg.num(trafficY(0))).append(" Z");
        StringBuilder oldArea = new StringBuilder("M" + Svg.num(x0) + " " + Svg.num(trafficY(100)) + " L" + Svg.num(x1) + " " + Svg.num(trafficY(100)));
        for (int i = edge.size() - 1; i >= 0; i--) {
            oldArea.append(" L").append(Svg.num(edge.get(i)[0])).append(' ').append(Svg.num(edge.get(i)[1]));
        }
        oldArea.append(" Z");
        path("traffic old", "old", oldArea, OLD_COLOUR, "0.85", timeline.stableRevision() + " (stable at the start)");
        path("traffic new", "new", newArea, NEW_COLOUR, "0.9", timeline.candidateRevision() + " (the candidate)");
        text(8, TRAFFIC_TOP + TRAFFIC_HEIGHT / 2.0, "label", "font-weight=\"bold\"", "traffic");
    }

    /** The vertices of a step function's top edge across the plot, starting at its first value. */
    private List<double[]> stepEdge(List<double[]> steps, java.util.function.DoubleUnaryOperator y) {
        List<double[]> edge = new ArrayList<>();
        edge.add(new double[] {LEFT, y.applyAsDouble(steps.get(0)[1])});
        for (int i = 1; i < steps.size(); i++) {
            double xi = x(Duration.ofMillis((long) steps.get(i)[0]));
            edge.add(new double[] {xi, y.applyAsDouble(steps.get(i - 1)[1])});
            edge.add(new double[] {xi, y.applyAsDouble(steps.get(i)[1])});
        }
        edge.add(new double[] {LEFT + PLOT_WIDTH, y.applyAsDouble(steps.get(steps.size() - 1)[1])});
        return edge;
    }

    private void path(String cls, String series, CharSequence d, String colour, String opacity, String title) {
        svg.append("<path class=\"").append(cls).append("\" data-series=\"").append(series).append("\" d=\"").append(d)
                .append("\" fill=\"").append(colour).append("\" fill-opacity=\"").append(opacity).append("\"><title>")
                .append(Svg.esc(title)).append("</title></path>\n");
    }

    private void verdicts() {
        text(8, LANE_TOP + LANE_HEIGHT / 2.0 + 4, "label", "font-weight=\"bold\"", "gates");
        Map<String, Integer> lanes = new LinkedHashMap<>();
        for (RolloutTimeline.Point p : timeline.points()) {
            if (p.event() instanceof RolloutEvent.MeasurementTaken m) {
                Measurement v = m.measurement();
                int lane = lanes.computeIfAbsent(v.gate(), g -> lanes.size());
                svg.append("<circle class=\"verdict ").append(v.verdict().name().toLowerCase(Locale.ROOT)).append("\" data-gate=\"")
                        .append(Svg.esc(v.gate())).append("\" data-verdict=\"").append(v.verdict()).append("\" cx=\"").append(Svg.num(x(p.at())))
                        .append("\" cy=\"").append(verdictY(lane)).append("\" r=\"4.5\" fill=\"").append(colour(v.verdict()))
                        .append("\" stroke=\"#ffffff\"><title>").append(Svg.esc(v.gate() + " " + v.verdict() + " at " + RolloutTimeline.clock(p.at())
                                + ": value " + v.value() + "; " + v.detail())).append("</title></circle>\n");
            }
        }
    }

    static int verdictY(int lane) {
        return LANE_TOP + 7 + 7 * (lane % 3);
    }

    static String colour(Verdict verdict) {
        return switch (verdict) {
            case PASSED -> "#2e7d32";
            case FAILED -> "#d32f2f";
            case INCONCLUSIVE -> "#f9a825";
            case ERROR -> "#6a1b9a";
        };
    }

    private void replicas() {
        int max = 1;
        for (RolloutTimeline.Point p : timeline.points()) {
            max = Math.max(max, Math.max(p.stableReplicas(), p.candidateReplicas()));
        }
        int top = max;
        java.util.function.DoubleUnaryOperator y = v -> REPLICAS_TOP + REPLICAS_HEIGHT * (1 - v / top);
        replicaLine("stable", OLD_COLOUR, y, true);
        replicaLine("candidate", NEW_COLOUR, y, false);
        String label = timeline.replicas() == RolloutTimeline.ReplicaCount.READY ? "ready" : "requested";
        text(8, REPLICAS_TOP + REPLICAS_HEIGHT / 2.0, "label", "font-weight=\"bold\"", "replicas");
        text(8, REPLICAS_TOP + REPLICAS_HEIGHT / 2.0 + 13, "label", "fill=\"#555555\"", "(" + label + ")");
        text(LEFT - 6, REPLICAS_TOP + 4, "tick", "text-anchor=\"end\"", Integer.toString(top));
        text(LEFT - 6, AXIS_Y + 4, "tick", "text-anchor=\"end\"", "0");
    }

    private void replicaLine(String role, String colour, java.util.function.DoubleUnaryOperator y, boolean stable) {
        StringBuilder d = new StringBuilder();
        Integer previous = null;
        for (RolloutTimeline.Point p : timeline.points()) {
            int count = stable ? p.stableReplicas() : p.candidateReplicas();
            double xi = x(p.at());
            if (count < 0) {
                previous = null;
                continue;
            }
            if (previous == null) {
                d.append(d.length() == 0 ? "" : " ").append('M').append(Svg.num(xi)).append(' ').append(Svg.num(y.applyAsDouble(count)));
            } else if (previous != count) {
                d.append(" L").append(Svg.num(xi)).append(' ').append(Svg.num(y.applyAsDouble(previous)));
                d.append(" L").append(Svg.num(xi)).append(' ').append(Svg.num(y.applyAsDouble(count)));
            }
            previous = count;
        }
        if (previous != null) {
            d.append(" L").append(Svg.num(LEFT + PLOT_WIDTH)).append(' ').append(Svg.num(y.applyAsDouble(previous)));
        }
        svg.append("<path class=\"replicas ").append(role).append("\" data-series=\"").append(role).append("-replicas\" d=\"").append(d)
                .append("\" fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\"><title>").append(role)
                .append(" replicas</title></path>\n");
    }

    private void axes() {
        double right = LEFT + PLOT_WIDTH;
        for (int pct : new int[] {0, 50, 100}) {
            svg.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(Svg.num(right)).append("\" y1=\"")
                    .append(Svg.num(trafficY(pct))).append("\" y2=\"").append(Svg.num(trafficY(pct))).append("\" stroke=\"#999999\" stroke-width=\"0.5\"/>\n");
            text(LEFT - 6, trafficY(pct) + 4, "tick", "text-anchor=\"end\"", pct + "%");
        }
        svg.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" x2=\"").append(Svg.num(right)).append("\" y1=\"").append(AXIS_Y)
                .append("\" y2=\"").append(AXIS_Y).append("\" stroke=\"#333333\"/>\n");
        long step = TICK_SECONDS[TICK_SECONDS.length - 1];
        for (long s : TICK_SECONDS) {
            if (spanMillis / (s * 1000) <= 10) {
                step = s;
                break;
            }
        }
        for (long s = 0; s * 1000 <= spanMillis; s += step) {
            double xi = x(Duration.ofSeconds(s));
            svg.append("<line class=\"tick\" x1=\"").append(Svg.num(xi)).append("\" x2=\"").append(Svg.num(xi)).append("\" y1=\"").append(AXIS_Y)
                    .append("\" y2=\"").append(AXIS_Y + 4).append("\" stroke=\"#333333\"/>\n");
            text(xi, AXIS_Y + 16, "tick", "text-anchor=\"middle\"", RolloutTimeline.clock(Duration.ofSeconds(s)));
        }
    }

    /** Vertical lines at the instants that decide a rollout. */
    private void marks() {
        int row = 0;
        for (RolloutTimeline.Point p : timeline.points()) {
            String kind;
            String label;
            String colour;
            if (p.event() instanceof RolloutEvent.AbortStarted) {
                kind = "abort"; label = "abort"; colour = "#d32f2f";
            } else if (p.event() instanceof RolloutEvent.RolledBack) {
                kind = "rolled-back"; label = "back on stable"; colour = "#1565c0";
            } else if (p.event() instanceof RolloutEvent.Promoted) {
                kind = "promoted"; label = "promoted"; colour = "#2e7d32";
            } else if (p.event() instanceof RolloutEvent.Failed) {
                kind = "failed"; label = "FAILED"; colour = "#7f0000";
            } else {
                continue;
            }
            double xi = x(p.at());
            svg.append("<g class=\"mark ").append(kind).append("\"><line x1=\"").append(Svg.num(xi)).append("\" x2=\"").append(Svg.num(xi))
                    .append("\" y1=\"").append(TRAFFIC_TOP).append("\" y2=\"").append(AXIS_Y).append("\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/><title>").append(Svg.esc(p.text() + " at " + RolloutTimeline.clock(p.at())))
                    .append("</title>");
            boolean leftSide = xi > LEFT + PLOT_WIDTH - 90;
            svg.append("<text x=\"").append(Svg.num(leftSide ? xi - 3 : xi + 3)).append("\" y=\"").append(TRAFFIC_TOP + 12 + 13 * (row % 3))
                    .append("\" fill=\"").append(colour).append("\" font-weight=\"bold\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"")
                    .append(leftSide ? " text-anchor=\"end\"" : "").append('>').append(Svg.esc(label)).append("</text></g>\n");
            row++;
        }
    }

    private void legend() {
        double y = HEIGHT - 30;
        double xi = LEFT;
        xi = swatch(xi, y, OLD_COLOUR, timeline.stableRevision() + " (stable at the start)");
        swatch(xi, y, NEW_COLOUR, timeline.candidateRevision() + " (candidate)");
        y += 16;
        xi = LEFT;
        xi = swatch(xi, y, "#eeeeee", "pause");
        xi = swatch(xi, y, "#e8e0f4", "analysis");
        xi = swatch(xi, y, "#fff3cd", "held for a person");
        svg.append("<rect x=\"").append(Svg.num(xi)).append("\" y=\"").append(Svg.num(y - 9)).append("\" width=\"10\" height=\"10\" fill=\"none\" ")
                .append("stroke=\"#b71c1c\" stroke-width=\"1.5\" stroke-dasharray=\"3 1\"/>");
        text(xi + 14, y, "legend", "", "users on a rolled-back candidate");
        xi += 24 + 6 * "users on a rolled-back candidate".length();
        for (Verdict v : Verdict.values()) {
            svg.append("<circle cx=\"").append(Svg.num(xi + 5)).append("\" cy=\"").append(Svg.num(y - 4)).append("\" r=\"4.5\" fill=\"")
                    .append(colour(v)).append("\"/>");
            text(xi + 13, y, "legend", "", v.name().toLowerCase(Locale.ROOT));
            xi += 22 + 6.5 * v.name().length();
        }
        svg.append('\n');
    }

    private double swatch(double xi, double y, String colour, String label) {
        svg.append("<rect x=\"").append(Svg.num(xi)).append("\" y=\"").append(Svg.num(y - 9)).append("\" width=\"10\" height=\"10\" fill=\"")
                .append(colour).append("\" stroke=\"#999999\" stroke-width=\"0.5\"/>");
        text(xi + 14, y, "legend", "", label);
        return xi + 24 + 6 * label.length();
    }

    private void text(double xi, double y, String cls, String attributes, String content) {
        svg.append("<text class=\"").append(cls).append("\" x=\"").append(Svg.num(xi)).append("\" y=\"").append(Svg.num(y)).append('"')
                .append(attributes.isEmpty() ? "" : " " + attributes).append('>').append(Svg.esc(content)).append("</text>\n");
    }

    private static String span(Duration from, Duration to) {
        return "from " + RolloutTimeline.clock(from) + " to " + RolloutTimeline.clock(to);
    }
}
