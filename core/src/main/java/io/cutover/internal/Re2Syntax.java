package io.cutover.internal;

/**
 * Refuses the regular-expression constructs Java accepts and RE2 does not. Envoy (Istio) and the
 * Gateway implementations built on it evaluate header regexes with RE2, so a header match that
 * uses one would be rejected by the mesh when the route is applied, halfway through a rollout.
 */
public final class Re2Syntax {

    private Re2Syntax() { }

    /** The first construct RE2 refuses in {@code regex}, described, or {@code null} when there is none. */
    public static String unsupported(String regex) {
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            char next = i + 1 < regex.length() ? regex.charAt(i + 1) : 0;
            if (c == '\\') {
                if (next == 'Q') {
                    int end = regex.indexOf("\\E", i + 2);
                    if (end < 0) {
                        return null; // quoted to the end
                    }
                    i = end + 1;
                    continue;
                }
                if (!inClass && next >= '1' && next <= '9') {
                    return "a backreference (\\" + next + ")";
                }
                if (!inClass && next == 'k') {
                    return "a named backreference (\\k)";
                }
                if (next == 'G' || next == 'Z' || next == 'R' || next == 'X') {
                    return "the escape \\" + next;
                }
                i++;
                continue;
            }
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
                continue;
            }
            if (c == '[') {
                inClass = true;
                if (next == ']' || next == '^' && i + 2 < regex.length() && regex.charAt(i + 2) == ']') {
                    i += next == '^' ? 2 : 1; // a ']' first in a class is literal
                }
                continue;
            }
            if (c == '(' && next == '?') {
                String rest = regex.substring(i + 2);
                if (rest.startsWith("=") || rest.startsWith("!")) {
                    return "a lookahead (" + "?" + rest.charAt(0) + ")";
                }
                if (rest.startsWith("<=") || rest.startsWith("<!")) {
                    return "a lookbehind (?" + rest.substring(0, 2) + ")";
                }
                if (rest.startsWith(">")) {
                    return "an atomic group (?>)";
                }
                continue;
            }
            if ((c == '*' || c == '+' || c == '?' || c == '}') && next == '+') {
                return "a possessive quantifier (" + c + "+)";
            }
        }
        return null;
    }
}
