package io.cutover.kubernetes.argo;

import io.cutover.gate.Condition;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Argo metric's {@code successCondition} / {@code failureCondition} in their simple forms
 * ({@code result[0] >= 0.95}, {@code result < 0.9}) as the one {@link Condition} a Cutover gate passes on.
 * A strict comparison is exact: {@code > x} passes from the next double above {@code x}.
 */
final class ArgoCondition {

    private static final Pattern SIMPLE = Pattern.compile(
            "\\s*result(?:\\s*\\[\\s*0\\s*])?\\s*(>=|<=|>|<)\\s*([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*");

    private ArgoCondition() { }

    /** The condition a value passes on, from {@code success}, {@code failure}, or both (then they must agree). */
    static Condition passing(Node metric) {
        boolean hasSuccess = metric.has("successCondition");
        boolean hasFailure = metric.has("failureCondition");
        if (!hasSuccess && !hasFailure) {
            throw metric.error("needs successCondition or failureCondition: a Cutover gate passes or fails on a condition");
        }
        Condition success = hasSuccess ? parse(metric.get("successCondition"), false) : null;
        Condition failure = hasFailure ? parse(metric.get("failureCondition"), true) : null;
        if (success != null && failure != null && !success.equals(failure)) {
            throw metric.get("failureCondition").error("leaves values that meet neither it nor successCondition (Argo's "
                    + "inconclusive); a Cutover gate passes or fails: give one condition, or make the failure the exact "
                    + "opposite of the success");
        }
        return success != null ? success : failure;
    }

    /** {@code node}'s comparison as the condition a passing value meets (negated for a failure condition). */
    static Condition parse(Node node, boolean failure) {
        String text = node.text();
        Matcher m = SIMPLE.matcher(text);
        if (!m.matches()) {
            String why = text.contains("isNaN") || text.contains("len(")
                    ? "Cutover never passes missing data or NaN (they are INCONCLUSIVE), so guards for them are not needed"
                    : "Cutover reads the simple form 'result[0] >= 0.95' (>=, >, <=, < against a number)";
            throw node.error("no Cutover equivalent for '" + text + "': " + why);
        }
        double x = Double.parseDouble(m.group(2));
        if (!Double.isFinite(x)) {
            throw node.error("must compare against a finite number: '" + text + "'");
        }
        String op = failure ? negate(m.group(1)) : m.group(1);
        return switch (op) {
            case ">=" -> Condition.atLeast(x);
            case ">" -> Condition.atLeast(Math.nextUp(x));
            case "<=" -> Condition.atMost(x);
            default -> Condition.atMost(Math.nextDown(x));
        };
    }

    private static String negate(String op) {
        return switch (op) {
            case ">=" -> "<";
            case ">" -> "<=";
            case "<=" -> ">";
            default -> ">=";
        };
    }
}
