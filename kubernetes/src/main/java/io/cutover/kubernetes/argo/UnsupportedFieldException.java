package io.cutover.kubernetes.argo;

/**
 * A field of an Argo {@code Rollout} that Cutover cannot honour, or a value it cannot read; the
 * message starts with the field's path, as in {@code spec.strategy.canary.steps[2].experiment}.
 */
public final class UnsupportedFieldException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The field's path from the manifest's root. */
    private final String field;

    UnsupportedFieldException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /**
     * The path of the field, from the manifest's root.
     *
     * @return a path such as {@code spec.strategy.canary.steps[2].experiment}
     */
    public String field() {
        return field;
    }
}
