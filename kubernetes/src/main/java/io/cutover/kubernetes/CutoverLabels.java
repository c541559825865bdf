package io.cutover.kubernetes;

/**
 * The labels and annotations Cutover writes. Everything else on a user's object is left as it is.
 */
public final class CutoverLabels {

    /** Label (on the Deployment and its pod template) and annotation: the revision name a Deployment runs. */
    public static final String REVISION = "cutover.io/revision";
    /** Annotation: the artifact (image) of that revision. */
    public static final String ARTIFACT = "cutover.io/artifact";
    /**
     * Annotation on Deployments, and label on the pods of every template Cutover writes: the
     * application. With {@link #REVISION} it selects a revision's series in Prometheus.
     */
    public static final String APPLICATION = "cutover.io/application";
    /** Annotation on a Deployment Cutover created: the Deployment whose template it was made from. */
    public static final String CREATED_FROM = "cutover.io/created-from";
    /**
     * Annotation on blue-green Deployments: the higher number marks the stable colour. Promotion is
     * one write of this annotation, so a crash can never leave two stable colours.
     */
    public static final String STABLE_EPOCH = "cutover.io/stable-epoch";
    /**
     * Pod label of the {@linkplain PodIdentity default pod identity}: {@code stable} on the stable
     * Deployment's pods, {@code canary} on the candidate's (whose selector differs from stable's by it).
     */
    public static final String TRACK = "cutover.io/track";
    /** Standard label on the objects Cutover creates. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** The value of {@link #MANAGED_BY} on the objects Cutover creates. */
    public static final String MANAGED_BY_VALUE = "cutover";

    private CutoverLabels() { }
}
