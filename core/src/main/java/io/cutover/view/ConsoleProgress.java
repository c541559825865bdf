package io.cutover.view;

import io.cutover.event.RolloutEvent;
import io.cutover.spi.TrafficSplit;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Prints a rollout as it happens, one line per event: the time since the rollout's first event, the
 * traffic split after every change, every gate's verdict with what it saw, pauses, abort, rollback,
 * promotion and the end. For pipelines and demos; it writes only where it is told to.
 *
 * <pre>{@code
 * RolloutEngine engine = RolloutEngine.builder().onEvent(ConsoleProgress.to(System.out)).build();
 * }</pre>
 *
 * A line reads {@code "   0:05:10  gate      success-rate FAILED (0.8 misses >= 0.95) at candidate=10%"}.
 * With {@link #showingRolloutNames()} each line also names its rollout, for engines that run several.
 */
public final class ConsoleProgress implements io.cutover.event.RolloutListener {

    private final Consumer<String> out;
    private final boolean names;
    private final Map<String, Instant> starts = new HashMap<>();
    private final Map<String, TrafficSplit> splits = new HashMap<>();

    private ConsoleProgress(Consumer<String> out, boolean names) {
        this.out = out;
        this.names = names;
    }

    /**
     * Hands every line, without its line break, to {@code lines}.
     *
     * @param lines receives each line
     * @return a listener to add to an engine or a simulation
     */
    public static ConsoleProgress to(Consumer<String> lines) {
        return new ConsoleProgress(Objects.requireNonNull(lines, "lines"), false);
    }

    /**
     * Prints every line to {@code stream}.
     *
     * @param stream the stream, such as {@code System.out}
     * @return a listener to add to an engine or a simulation
     */
    public static ConsoleProgress to(PrintStream stream) {
        Objects.requireNonNull(stream, "stream");
        return new ConsoleProgress(stream::println, false);
    }

    /**
     * Appends every line, with a line break, to {@code appendable}.
     *
     * @param appendable the target; an {@code IOException} it throws is rethrown unchecked
     * @return a listener to add to an engine or a simulation
     */
    public static ConsoleProgress to(Appendable appendable) {
        Objects.requireNonNull(appendable, "appendable");
        return new ConsoleProgress(line -> {
            try {
                appendable.append(line).append(System.lineSeparator());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, false);
    }

    /**
     * The same progress with the rollout's name on every line.
     *
     * @return a new listener
     */
    public ConsoleProgress showingRolloutNames() {
        return new ConsoleProgress(out, true);
    }

    @Override
    public void onEvent(RolloutEvent event) {
        String line;
        synchronized (this) {
            Instant start = starts.computeIfAbsent(event.rollout(), n -> event.at());
            if (event instanceof RolloutEvent.TrafficChanged t) {
                splits.put(event.rollout(), t.split());
            }
            String text = line(event, splits.get(event.rollout()));
            if (text == null) {
                return;
            }
            line = "   " + RolloutTimeline.clock(Duration.between(start, event.at())) + "  " + (names ? event.rollout() + "  " : "") + text;
        }
        out.accept(line);
    }

    private static String line(RolloutEvent event, TrafficSplit split) {
        if (event instanceof RolloutEvent.TrafficChanged t) {
            return "traffic   " + t.split();
        } else if (event instanceof RolloutEvent.ReplicasChanged r) {
            return "replicas  " + r.role().toLowerCase() + " -> " + r.replicas();
        } else if (event instanceof RolloutEvent.MeasurementTaken m) {
            return "gate      " + m.measurement().gate() + " " + m.measurement().verdict() + " (" + m.measurement().detail() + ")"
                    + (split == null ? "" : " at candidate=" + split.candidateWeight() + "%");
        } else if (event instanceof RolloutEvent.Paused p) {
            return "PAUSED    " + p.reason();
        } else if (event instanceof RolloutEvent.Resumed) {
            return "resumed";
        } else if (event instanceof RolloutEvent.AbortStarted a) {
            return "ABORT     " + a.reason();
        } else if (event instanceof RolloutEvent.RolledBack) {
            return "rolled back: all traffic on stable, candidate scaled down";
        } else if (event instanceof RolloutEvent.Promoted p) {
            return "promoted  " + p.revision() + " is stable";
        } else if (event instanceof RolloutEvent.Succeeded) {
            return "succeeded";
        } else if (event instanceof RolloutEvent.Failed f) {
            return "FAILED    " + f.reason() + "; traffic " + f.split();
        }
        return null; // steps and phase changes: the lines above already say what matters
    }

    /** One event in words, as a timeline's point text. */
    static String describe(RolloutEvent event) {
        if (event instanceof RolloutEvent.StepStarted s) {
            return "step " + (s.index() + 1) + ": " + s.step();
        } else if (event instanceof RolloutEvent.PhaseChanged p) {
            return "phase " + p.phase() + (p.reason() == null ? "" : ": " + p.reason());
        }
        String line = line(event, null);
        return line == null ? event.getClass().getSimpleName() : line.replaceAll(" {2,}", " ");
    }
}
