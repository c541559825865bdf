package io.cutover.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A PromQL expression with named variables, {@code ${name}}, that are filled in safely.
 *
 * <p>Where a variable stands decides how its value is written:
 * <ul>
 *   <li>inside a quoted string ({@code service="${app}"}): escaped by PromQL's string rules, so
 *       it cannot close the string;</li>
 *   <li>inside the string after {@code =~} or {@code !~}: regex metacharacters are escaped too,
 *       so the value matches only itself;</li>
 *   <li>outside a string ({@code [${window}]}, {@code ${metric}{...}}): the value must be one bare
 *       number, duration or name that is not a PromQL keyword, else rendering throws.</li>
 * </ul>
 * A variable inside a {@code #} comment is refused when the template is parsed, and so is an
 * unclosed string. A value such as {@code "} or vector(1) #} therefore never changes the structure of
 * the query.
 *
 * <pre>{@code
 * PromQlTemplate t = PromQlTemplate.of("sum(rate(http_requests_total{service=\"${app}\"}[${window}]))");
 * String q = t.render(Map.of("app", "myapp", "window", "5m"));
 * }</pre>
 */
public final class PromQlTemplate {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** Where a variable stands in the expression. */
    enum Place { BARE, DOUBLE_QUOTED, SINGLE_QUOTED, BACKTICK }

    private sealed interface Part permits Text, Var { }

    private record Text(String text) implements Part { }

    private record Var(String name, Place place, boolean regex) implements Part { }

    private final String source;
    private final List<Part> parts;
    private final Set<String> variables;

    private PromQlTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
        Set<String> names = new LinkedHashSet<>();
        for (Part p : parts) {
            if (p instanceof Var v) {
                names.add(v.name());
            }
        }
        this.variables = Set.copyOf(names);
    }

    /**
     * Parses {@code template}; throws {@link IllegalArgumentException} naming the problem and its position.
     *
     * @param template the expression with {@code ${name}} variables
     * @return the parsed template
     */
    public static PromQlTemplate of(String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("template must not be blank");
        }
        return new PromQlTemplate(template, parse(template));
    }

    /**
     * The names of the variables the template uses.
     *
     * @return the variable names, each once
     */
    public Set<String> variables() {
        return variables;
    }

    /**
     * The template as written.
     *
     * @return the source text given to {@link #of(String)}
     */
    public String source() {
        return source;
    }

    /**
     * The expression with every variable filled in from {@code values}.
     *
     * @throws IllegalArgumentException when a variable has no value, or a bare variable's value is
     *                                  not one safe token
     * @param values a value for every variable the template uses; extra entries are ignored
     * @return PromQL ready to run
     */
    public String render(Map<String, String> values) {
        StringBuilder out = new StringBuilder(source.length() + 64);
        for (Part part : parts) {
            if (part instanceof Text t) {
                out.append(t.text());
                continue;
            }
            Var v = (Var) part;
            String value = values.get(v.name());
            if (value == null) {
                throw new IllegalArgumentException("template variable '" + v.name() + "' has no value");
            }
            out.append(write(v, value));
        }
        return out.toString();
    }

    private static String write(Var v, String value) {
        String inner = v.regex() ? PromQl.escapeRegex(value) : value;
        return switch (v.place()) {
            case DOUBLE_QUOTED -> PromQl.escape(inner, '"');
            case SINGLE_QUOTED -> PromQl.escape(inner, '\'');
            case BACKTICK -> {
                if (inner.indexOf('`') >= 0) {
                    throw new IllegalArgumentException("value of '" + v.name()
                            + "' contains a backtick, which a `raw string` cannot hold: use double quotes in the template");
                }
                PromQl.escape(inner, '`'); // validates the text
                yield inner;
            }
            case BARE -> {
                if (!PromQl.isBareToken(value)) {
                    throw new IllegalArgumentException("value of '" + v.name() + "' stands outside a string, so it must be "
                            + "a number, a duration or a name that is not a PromQL keyword: '" + value + "'");
                }
                yield value;
            }
        };
    }

    private static List<Part> parse(String s) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        char quote = 0;              // the open string's quote, or 0 outside strings
        boolean regexString = false; // the open string follows =~ or !~
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                int close = s.indexOf('}', i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '${' at index " + i + " in template: " + s);
                }
                String name = s.substring(i + 2, close);
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("variable name must match [a-zA-Z_][a-zA-Z0-9_]*: '" + name
                            + "' at index " + i);
                }
                if (text.length() > 0) {
                    parts.add(new Text(text.toString()));
                    text.setLength(0);
                }
                parts.add(new Var(name, place(quote), regexString));
                i = close + 1;
                continue;
            }
            text.append(c);
            if (quote == 0) {
                if (c == '"' || c == '\'' || c == '`') {
                    quote = c;
                    regexString = followsRegexMatcher(s, i);
                } else if (c == '#') {
                    int end = s.indexOf('\n', i);
                    end = end < 0 ? s.length() : end;
                    if (s.substring(i, end).contains("${")) {
                        throw new IllegalArgumentException("a variable inside a '#' comment could end the comment: index " + i);
                    }
                    text.append(s, i + 1, end);
                    i = end;
                    continue;
                }
            } else if (c == '\\' && quote != '`') {
                if (i + 1 < s.length()) {
                    text.append(s.charAt(i + 1));
                    i++;
                }
            } else if (c == quote) {
                quote = 0;
                regexString = false;
            }
            i++;
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed " + quote + " string in template: " + s);
        }
        if (text.length() > 0) {
            parts.add(new Text(text.toString()));
        }
        return parts;
    }

    private static boolean followsRegexMatcher(String s, int quoteIndex) {
        int j = quoteIndex - 1;
        while (j >= 0 && Character.isWhitespace(s.charAt(j))) {
            j--;
        }
        return j >= 1 && s.charAt(j) == '~' && (s.charAt(j - 1) == '=' || s.charAt(j - 1) == '!');
    }

    private static Place place(char quote) {
        return switch (quote) {
            case 0 -> Place.BARE;
            case '"' -> Place.DOUBLE_QUOTED;
            case '\'' -> Place.SINGLE_QUOTED;
            default -> Place.BACKTICK;
        };
    }

    @Override
    public String toString() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromQlTemplate t && t.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }
}
