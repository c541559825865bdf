package io.cutover.plan;

import io.cutover.gate.Gate;
import io.cutover.gate.GatePolicy;
import io.cutover.spi.Hook;
import io.cutover.spi.HookStage;
import io.cutover.spi.RouterCapability;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a strategy compiles to: an ordered list of {@link Step}s and the settings the engine runs
 * them with. Plans are values: they can be printed with {@link #describe()}, compared and tested
 * without any platform.
 *
 * @param strategy           the strategy's name
 * @param steps              the steps, in order
 * @param backgroundGates    gates measured at their policy's interval during every pause from {@code backgroundFrom} on
 * @param backgroundPolicy   how the background gates are measured and judged
 * @param backgroundFrom     the index of the first step during which background gates run
 * @param hooks              hooks by stage
 * @param progressDeadline   how long a wait for readiness may take
 * @param onDeadline         what happens when it is exceeded
 * @param drainDelay         on abort, the wait between moving traffic to stable and scaling the candidate down
 * @param unavailableAllowed replicas (of stable's count) the plan may leave unavailable: the rolling
 *                           strategy's {@code maxUnavailable}, everything for recreate, none otherwise
 */
public record Plan(String strategy, List<Step> steps, List<Gate> backgroundGates, GatePolicy backgroundPolicy,
                   int backgroundFrom, Map<HookStage, List<Hook>> hooks, Duration progressDeadline,
                   DeadlineAction onDeadline, Duration drainDelay, Replicas unavailableAllowed) {

    /** What to do when a wait for readiness exceeds the progress deadline. */
    public enum DeadlineAction {
        /** Roll back, as a failed gate does. The default. */
        ABORT,
        /** Pause for a person to decide. */
        PAUSE
    }

    /**
     * Copies the lists and the hooks map, and refuses missing fields and an empty plan.
     *
     * @param strategy           the strategy's name
     * @param steps              the steps, one or more
     * @param backgroundGates    gates measured throughout
     * @param backgroundPolicy   how background gates are measured
     * @param backgroundFrom     the index of the step from which they run
     * @param hooks              hooks by stage
     * @param progressDeadline   the longest wait for readiness
     * @param onDeadline         what happens when it passes
     * @param drainDelay         the wait between traffic leaving the candidate and its scale-down on abort
     * @param unavailableAllowed replicas the plan may leave unavailable
     */
    public Plan {
        Objects.requireNonNull(strategy, "strategy");
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one step");
        }
        backgroundGates = List.copyOf(backgroundGates);
        Objects.requireNonNull(backgroundPolicy, "backgroundPolicy");
        var copy = new EnumMap<HookStage, List<Hook>>(HookStage.class);
        hooks.forEach((stage, list) -> copy.put(stage, List.copyOf(list)));
        hooks = Map.copyOf(copy);
        Objects.requireNonNull(progressDeadline, "progressDeadline");
        Objects.requireNonNull(onDeadline, "onDeadline");
        Objects.requireNonNull(drainDelay, "drainDelay");
        Objects.requireNonNull(unavailableAllowed, "unavailableAllowed");
    }

    /**
     * The hooks registered for {@code stage}, in the order they run.
     *
     * @param stage the stage
     * @return the hooks, empty when none
     */
    public List<Hook> hooks(HookStage stage) {
        return hooks.getOrDefault(stage, List.of());
    }

    /**
     * The router capabilities this plan needs; a router lacking one is refused when the rollout is bound.
     *
     * @return the capabilities, empty for a plan any router honours
     */
    public Set<RouterCapability> requiredCapabilities() {
        Set<RouterCapability> needed = EnumSet.noneOf(RouterCapability.class);
        for (Step step : steps) {
            if (step instanceof Step.SetWeight w && w.weight() > 0 && w.weight() < 100) {
                needed.add(RouterCapability.WEIGHTED);
            } else if (step instanceof Step.SetHeaderRoutes r && !r.matches().isEmpty()) {
                needed.add(RouterCapability.HEADER_ROUTES);
            } else if (step instanceof Step.SetMirror m && m.percent() > 0) {
                needed.add(RouterCapability.MIRROR);
            }
        }
        return needed;
    }

    /**
     * What an abort runs, in order: stable at full capacity and ready (nothing to write or wait for when
     * it already is), then all traffic to stable (read back to confirm), and only then the
     * {@code BEFORE_ROLLBACK} hooks, so a slow hook never keeps users on a failing candidate; the drain
     * delay, the candidate scaled down last, then the {@code AFTER_ROLLBACK} hooks.
     *
     * @return the rollback steps
     */
    public List<Step> rollbackSteps() {
        List<Step> rollback = new ArrayList<>(List.of(
                new Step.Scale(io.cutover.spi.Role.STABLE, Replicas.full()),
                new Step.AwaitReady(io.cutover.spi.Role.STABLE),
                new Step.ResetTraffic(),
                new Step.RunHooks(HookStage.BEFORE_ROLLBACK)));
        if (!drainDelay.isZero()) {
            rollback.add(new Step.Pause(drainDelay));
        }
        rollback.add(new Step.Scale(io.cutover.spi.Role.CANDIDATE, Replicas.exactly(0)));
        rollback.add(new Step.RunHooks(HookStage.AFTER_ROLLBACK));
        return List.copyOf(rollback);
    }

    /**
     * The plan as numbered lines, its rollback plan last.
     *
     * @return the description; steps are numbered from 1, rollback steps {@code r1}, {@code r2}, ...
     */
    public String describe() {
        List<String> lines = new ArrayList<>();
        lines.add(strategy + " plan (" + steps.size() + " steps, progress deadline " + progressDeadline
                + " then " + onDeadline.name().toLowerCase() + ", drain " + drainDelay + ")");
        for (int i = 0; i < steps.size(); i++) {
            int n = i + 1;
            lines.add((n < 10 ? "  " : n < 100 ? " " : "") + n + ". " + steps.get(i).describe());
        }
        if (!backgroundGates.isEmpty()) {
            lines.add("background from step " + (backgroundFrom + 1) + ": "
                    + backgroundGates.stream().map(Plan::display).collect(Collectors.joining(", ")) + " (" + backgroundPolicy + ")");
        }
        for (HookStage stage : HookStage.values()) {
            List<Hook> list = hooks(stage);
            if (!list.isEmpty()) {
                lines.add("hooks " + stage.name().toLowerCase().replace('_', '-') + ": "
                        + list.stream().map(Hook::name).collect(Collectors.joining(", ")));
            }
        }
        lines.add("on abort:");
        List<Step> rollback = rollbackSteps();
        for (int i = 0; i < rollback.size(); i++) {
            lines.add("  r" + (i + 1) + ". " + rollback.get(i).describe());
        }
        lines.add("  (aborted only when stable serves all traffic at full capacity; else failed with the exact traffic state)");
        return String.join("\n", lines);
    }

    /**
     * A short digest of the plan's canonical form: a resumed rollout must run the plan it started with.
     * The same plan gives the same fingerprint in every JVM: hooks in stage order by {@link Hook#name()},
     * gates by {@link Gate#name()} and their own description when they give one, nothing that depends on
     * identity hashes or map order.
     *
     * @return a short hex digest
     */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The plan as canonical text: what the fingerprint digests.
     *
     * @return the text
     */
    public String canonical() {
        StringBuilder b = new StringBuilder("plan v1\n");
        b.append("strategy=").append(strategy).append('\n');
        b.append("progressDeadline=").append(progressDeadline).append(" on=").append(onDeadline.name()).append('\n');
        b.append("drain=").append(drainDelay).append(" unavailable=").append(unavailableAllowed).append('\n');
        for (Step step : steps) {
            b.append("step ").append(canonical(step)).append('\n');
        }
        b.append("background from=").append(backgroundFrom).append(" policy=").append(backgroundPolicy).append('\n');
        for (Gate gate : backgroundGates) {
            b.append("background gate ").append(canonical(gate)).append('\n');
        }
        for (HookStage stage : HookStage.values()) {
            for (Hook hook : hooks(stage)) {
                b.append("hook ").append(stage.name()).append(' ').append(canonical(hook)).append('\n');
            }
        }
        return b.toString();
    }

    private static String canonical(Step step) {
        if (step instanceof Step.Analyze a) {
            return "analyze " + a.name() + " policy=" + a.policy() + " gates=["
                    + a.gates().stream().map(Plan::canonical).collect(Collectors.joining("; ")) + "]";
        }
        return step.describe();
    }

    /** A gate by its name, and by its own text when its class gives one that is not an identity hash. */
    static String canonical(Gate gate) {
        return gate.name() + ownText(gate);
    }

    /** A gate for people: its own text when it gives one, else its name. */
    static String display(Gate gate) {
        String own = ownText(gate);
        return own.isEmpty() ? gate.name() : own.substring(2, own.length() - 1);
    }

    static String canonical(Hook hook) {
        return hook.name() + ownText(hook);
    }

    private static String ownText(Object o) {
        try {
            if (o.getClass().getMethod("toString").getDeclaringClass() == Object.class) {
                return "";
            }
        } catch (NoSuchMethodException e) {
            return "";
        }
        String text = o.toString();
        return text == null || text.matches(".*@[0-9a-f]{4,}.*") ? "" : " {" + text + "}";
    }
}
