package io.cutover.kubernetes;

import io.cutover.CutoverException;
import io.cutover.kubernetes.internal.Kube;
import io.cutover.kubernetes.internal.Ownership;
import io.cutover.kubernetes.internal.Raw;
import io.cutover.kubernetes.internal.Reads;
import io.cutover.spi.Role;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a stable Service and a candidate Service each selecting one role's pods, by adding the
 * role's {@link PodIdentity} labels to their selectors (a JSON merge patch of those keys; the rest
 * of the selector and of the Service stays). A Service that selects {@code app: myapp} would
 * otherwise send its requests to the candidate's pods too, which inherit stable's labels. A Service
 * whose selector does not select the application's pods (another team's of that name) is refused
 * before any write.
 */
final class RoleServices {

    private static final Logger LOG = LoggerFactory.getLogger(RoleServices.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String stableService;
    private final String candidateService;
    private final Raw raw;
    private final Reads reads;

    RoleServices(Reads reads, String namespace, String stableService, String candidateService) {
        this.client = reads.client();
        this.reads = reads;
        this.namespace = namespace;
        this.stableService = stableService;
        this.candidateService = candidateService;
        this.raw = new Raw(client);
    }

    String service(Role role) {
        return role == Role.STABLE ? stableService : candidateService;
    }

    /**
     * Adds the role labels to both selectors. The stable Service's selector narrows only when every
     * stable pod carries the labels ({@code stableLabelled}); until then this throws a TRANSIENT
     * error, so the candidate is not created while the stable Service would send it requests.
     */
    void isolate(Map<String, String> stableLabels, Map<String, String> candidateLabels, boolean stableLabelled, String waiting,
                 Map<String, String> applicationPods) {
        java.util.Set<String> owned = new java.util.HashSet<>(stableLabels.keySet());
        owned.addAll(candidateLabels.keySet());
        select(candidateService, candidateLabels, applicationPods, owned);
        Service stable = get(stableService);
        if (selects(stable, stableLabels)) {
            return;
        }
        if (!stableLabelled) {
            throw CutoverException.transientFailure("isolate service " + ref(stableService), "service " + ref(stableService)
                    + " would send requests to the candidate's pods too: it can select only pods labelled " + stableLabels
                    + " once every stable pod carries them (" + waiting + ")", null);
        }
        select(stableService, stableLabels, applicationPods, owned);
    }

    private void select(String name, Map<String, String> labels, Map<String, String> applicationPods, java.util.Set<String> owned) {
        Kube.reapplyOnConflict(() -> {
            Service s = get(name);
            if (selects(s, labels)) {
                return null;
            }
            Ownership.requireServiceOfApplication(s, ref(name), applicationPods, owned, "patch");
            String json = raw.json(reads.guarded(Raw.path("spec", "selector", labels), s));
            reads.wrote(Kube.call("patch", "service " + ref(name), () -> client.services().inNamespace(namespace).resource(s)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), json)));
            LOG.info("service {} selects only pods labelled {} now", ref(name), labels);
            return null;
        });
    }

    private Service get(String name) {
        Service s = reads.get(Service.class, namespace, name, "service");
        if (s == null) {
            throw CutoverException.permanent("get service " + ref(name), "get service " + ref(name)
                    + " found nothing (404): the route's backends must exist", null);
        }
        return s;
    }

    private static boolean selects(Service s, Map<String, String> labels) {
        Map<String, String> selector = s.getSpec() == null ? null : s.getSpec().getSelector();
        return selector != null && labels.entrySet().stream().allMatch(e -> e.getValue().equals(selector.get(e.getKey())));
    }

    private String ref(String name) {
        return namespace + "/" + name;
    }
}
