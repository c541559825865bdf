package io.cutover.kubernetes;

import io.cutover.CutoverException;
import io.cutover.kubernetes.internal.Kube;
import io.cutover.kubernetes.internal.Ownership;
import io.cutover.kubernetes.internal.Raw;
import io.cutover.spi.Role;
import io.cutover.spi.RouterCapability;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blue-green by a Service's selector: all traffic goes to the colour the Service selects, what
 * {@code kubectl patch svc myapp -p '{"spec":{"selector":{"version":"green"}}}'} does by hand.
 *
 * <pre>{@code
 * var workloads = DeploymentWorkloads.blueGreen(client, "prod", "myapp").activeService("myapp").build();
 * var router = ServiceSelectorRouter.builder(workloads, "myapp").previewService("myapp-preview").build();
 * }</pre>
 *
 * <p>Only the selector keys that tell the roles apart (the colour label, {@code version}) are
 * written, as a JSON merge patch; the rest of the selector and of the Service stays as it is. An
 * optional preview Service always selects the candidate, for test traffic before the switch.
 * The router only switches all or nothing: {@link #capabilities()} is empty.
 */
public final class ServiceSelectorRouter implements TrafficRouter {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceSelectorRouter.class);

    private final DeploymentWorkloads workloads;
    private final String service;
    private final String previewService;
    private final Raw raw;

    private ServiceSelectorRouter(Builder b) {
        this.workloads = b.workloads;
        this.service = b.service;
        this.previewService = b.previewService;
        this.raw = new Raw(workloads.client());
    }

    /**
     * Starts a router that points the Service {@code service} at one colour at a time. Default: no preview Service.
     *
     * @param workloads the blue-green Deployments whose pod labels the selector takes
     * @param service   the Service users reach, DNS-1123
     * @return a new builder
     */
    public static Builder builder(DeploymentWorkloads workloads, String service) {
        return new Builder(workloads, service);
    }

    /**
     * The Service users reach.
     *
     * @return the Service's name
     */
    public String service() {
        return service;
    }

    @Override
    public Set<RouterCapability> capabilities() {
        return Set.of();
    }

    @Override
    public void apply(TrafficSplit split) {
        Objects.requireNonNull(split, "split");
        if (split.candidateWeight() != 0 && split.candidateWeight() != 100) {
            throw new IllegalArgumentException("a Service selector switches all traffic or none: candidateWeight must be 0 or 100, not "
                    + split.candidateWeight());
        }
        if (!split.candidateMatches().isEmpty() || split.mirrorPercent() != 0) {
            throw new IllegalArgumentException("a Service selector cannot route by header or mirror: " + split);
        }
        DeploymentWorkloads.Live live = workloads.liveMarked();
        select(service, live, split.candidateWeight() == 100 ? Role.CANDIDATE : Role.STABLE);
        if (previewService != null) {
            select(previewService, live, Role.CANDIDATE);
        }
    }

    @Override
    public TrafficSplit read() {
        Map<String, String> selector = selector(get(service));
        DeploymentWorkloads.Live live = workloads.live();
        Map<String, String> stable = live.slot(Role.STABLE).podLabels();
        Map<String, String> candidate = live.slot(Role.CANDIDATE).podLabels();
        if (selects(selector, candidate)) {
            return TrafficSplit.weighted(100);
        }
        if (selects(selector, stable)) {
            return TrafficSplit.stableOnly();
        }
        throw new CutoverException(CutoverException.Kind.PERMANENT, "read service " + ref(service),
                "service " + ref(service) + " selects " + selector + ", neither stable " + stable + " nor candidate " + candidate);
    }

    private void select(String name, DeploymentWorkloads.Live live, Role role) {
        Map<String, String> labels = live.slot(role).podLabels();
        Kube.reapplyOnConflict(() -> {
            Service s = get(name);
            if (selects(selector(s), labels)) {
                return null;
            }
            // the Service must be the application's: apart from the colour keys, it selects the pods it is about to switch to
            java.util.Set<String> owned = new java.util.HashSet<>(labels.keySet());
            owned.addAll(live.slot(role == Role.STABLE ? Role.CANDIDATE : Role.STABLE).podLabels().keySet());
            Deployment pods = live.deployment(role) != null ? live.deployment(role) : live.deployment(Role.STABLE);
            Ownership.requireServiceOfApplication(s, ref(name), Ownership.podTemplateLabels(pods), owned, "patch");
            String json = raw.json(workloads.reads().guarded(Raw.path("spec", "selector", labels), s));
            workloads.reads().wrote(Kube.call("patch", "service " + ref(name), () -> workloads.client().services()
                    .inNamespace(workloads.namespace()).resource(s).patch(PatchContext.of(PatchType.JSON_MERGE), json)));
            LOG.info("service {} selects {} now", ref(name), labels);
            return null;
        });
    }

    private Service get(String name) {
        Service s = workloads.reads().get(Service.class, workloads.namespace(), name, "service");
        if (s == null) {
            throw new CutoverException(CutoverException.Kind.PERMANENT, "get service " + ref(name),
                    "get service " + ref(name) + " found nothing (404): the router switches an existing Service");
        }
        return s;
    }

    private static Map<String, String> selector(Service s) {
        Map<String, String> selector = s.getSpec() == null ? null : s.getSpec().getSelector();
        return selector == null ? Map.of() : selector;
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return labels.entrySet().stream().allMatch(e -> e.getValue().equals(selector.get(e.getKey())));
    }

    private String ref(String name) {
        return workloads.namespace() + "/" + name;
    }

    @Override
    public String toString() {
        return "ServiceSelectorRouter[" + ref(service) + (previewService == null ? "" : ", preview " + ref(previewService)) + "]";
    }

    /** Builds a {@link ServiceSelectorRouter}; no preview Service by default. */
    public static final class Builder {
        private final DeploymentWorkloads workloads;
        private final String service;
        private String previewService;

        private Builder(DeploymentWorkloads workloads, String service) {
            this.workloads = Objects.requireNonNull(workloads, "workloads");
            this.service = DeploymentWorkloads.requireName("service", service);
        }

        /**
         * A Service that always selects the candidate, for test traffic before the switch.
         *
         * @param name the preview Service's name, DNS-1123
         * @return this builder
         */
        public Builder previewService(String name) {
            this.previewService = DeploymentWorkloads.requireName("previewService", name);
            return this;
        }

        /**
         * Builds the router; nothing is read or written until a rollout calls it.
         *
         * @return the router
         */
        public ServiceSelectorRouter build() {
            if (workloads.mode() != DeploymentWorkloads.Mode.BLUE_GREEN) {
                throw new IllegalArgumentException("a Service selector router needs blue-green workloads (two colours), not "
                        + workloads.mode());
            }
            if (service.equals(previewService)) {
                throw new IllegalArgumentException("previewService must differ from service: " + service);
            }
            return new ServiceSelectorRouter(this);
        }
    }
}
