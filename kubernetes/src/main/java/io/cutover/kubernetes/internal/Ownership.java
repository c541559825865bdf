package io.cutover.kubernetes.internal;

import io.cutover.CutoverException;
import io.cutover.kubernetes.CutoverLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Whether Cutover may write an object it did not get from the user by name: only one it created
 * itself, which carries the marks it writes on creation. A Deployment of the same name made by
 * someone else (another team's {@code myapp-canary}) is refused before any write. A Service the user
 * named is written only when it is the application's: apart from the selector keys Cutover writes,
 * its selector must select the application's pods, so a name that collides with another team's
 * Service is refused before any write too.
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

    /**
     * Refuses to change the selector of {@code service} unless it is the application's Service: it has a
     * selector, and each of its keys that Cutover does not write ({@code owned}) has the value the
     * application's pods carry ({@code podLabels}, the stable pod template's labels).
     *
     * @throws CutoverException (permanent) naming the Service and the keys that differ
     */
    public static void requireServiceOfApplication(Service service, String ref, Map<String, String> podLabels,
                                                   Set<String> owned, String verb) {
        Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            throw new CutoverException(CutoverException.Kind.PERMANENT, verb + " service " + ref, "service " + ref
                    + " has no selector (its endpoints are managed some other way): Cutover will not give it one; it was not changed");
        }
        Map<String, String> foreign = new TreeMap<>();
        selector.forEach((k, v) -> {
            if (!owned.contains(k) && (podLabels == null || !v.equals(podLabels.get(k)))) {
                foreign.put(k, v);
            }
        });
        if (!foreign.isEmpty()) {
            throw new CutoverException(CutoverException.Kind.PERMANENT, verb + " service " + ref, "service " + ref
                    + " selects " + foreign + ", which the application's pods " + (podLabels == null ? "{}" : new TreeMap<>(podLabels))
                    + " do not carry: it is not this application's Service (another team's?) and it was not changed; "
                    + "name the Service in front of the application's pods");
        }
    }

    /** The labels of {@code d}'s pod template ({@code null} when it has none). */
    public static Map<String, String> podTemplateLabels(Deployment d) {
        return d == null || d.getSpec() == null || d.getSpec().getTemplate() == null || d.getSpec().getTemplate().getMetadata() == null
                ? null : d.getSpec().getTemplate().getMetadata().getLabels();
    }
}
