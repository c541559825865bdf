package io.cutover.kubernetes.internal;

import io.cutover.CutoverException;
import io.cutover.kubernetes.CutoverLabels;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * Whether Cutover may write an object it did not get from the user by name: only one it created
 * itself, which carries the marks it writes on creation. A Deployment of the same name made by
 * someone else (another team's {@code myapp-canary}) is refused before any write.
 */
public final class Ownership {

    private Ownership() { }

    /** Whether {@code d} was created by Cutover from {@code stable} for {@code application}. */
    public static boolean createdByCutover(Deployment d, String stable, String application) {
        return stable.equals(Deployments.annotation(d, CutoverLabels.CREATED_FROM))
                && application.equals(Deployments.annotation(d, CutoverLabels.APPLICATION))
                && d.getMetadata().getLabels() != null
                && CutoverLabels.MANAGED_BY_VALUE.equals(d.getMetadata().getLabels().get(CutoverLabels.MANAGED_BY));
    }

    /**
     * @throws CutoverException (permanent) naming the object when Cutover did not create {@code d} and
     *                          the user did not hand it over
     */
    public static void requireCreatedByCutover(Deployment d, String ref, String stable, String application, String verb) {
        if (!createdByCutover(d, stable, application)) {
            throw new CutoverException(CutoverException.Kind.PERMANENT, verb + " deployment " + ref,
                    "deployment " + ref + " exists but Cutover did not create it for " + application + " (it lacks the "
                            + CutoverLabels.CREATED_FROM + "=" + stable + " and " + CutoverLabels.APPLICATION + " marks): it may "
                            + "be another team's, and it was not changed; choose another candidate name with candidate(..), "
                            + "remove it, or hand it over with manageExistingCandidate()");
        }
    }
}
