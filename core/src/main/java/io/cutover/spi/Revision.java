package io.cutover.spi;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A version of the application: a name used in labels and metrics ({@code v2.0.0}) and the
 * artifact that runs it ({@code myapp:v2.0.0}, a task definition ARN, ...).
 *
 * <pre>{@code Revision.of("v2.0.0", "myapp:v2.0.0")}</pre>
 */
public record Revision(String name, String artifact, Map<String, String> attributes) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");

    /**
     * Checks the name's form and the artifact, and copies the attributes.
     *
     * @param name       1 to 63 letters, digits, {@code .}, {@code _} or {@code -}, starting and ending with a letter or digit
     * @param artifact   what the platform runs, such as an image reference; not blank
     * @param attributes extra facts adapters may use, or {@code null} for none
     */
    public Revision {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(artifact, "artifact");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("revision name must be 1-63 characters of letters, digits, '.', '_' or '-', "
                    + "starting and ending with a letter or digit: '" + name + "'");
        }
        if (artifact.isBlank()) {
            throw new IllegalArgumentException("revision artifact must not be blank");
        }
        attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
    }

    /**
     * A revision without attributes.
     *
     * @param name     the revision's name, such as {@code v2.0.0}
     * @param artifact what the platform runs, such as {@code myapp:v2.0.0}
     * @return the revision
     */
    public static Revision of(String name, String artifact) {
        return new Revision(name, artifact, Map.of());
    }

    /**
     * This revision with one more attribute (or another value for it).
     *
     * @param key   the attribute's name
     * @param value its value
     * @return a new revision
     */
    public Revision withAttribute(String key, String value) {
        var copy = new java.util.HashMap<>(attributes);
        copy.put(key, value);
        return new Revision(name, artifact, copy);
    }
}
