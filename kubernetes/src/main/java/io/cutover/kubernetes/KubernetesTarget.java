package io.cutover.kubernetes;

import io.cutover.Target;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.MetricSource;
import io.cutover.spi.TrafficRouter;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Target} on Kubernetes from a client, a namespace and an application, by convention:
 *
 * <pre>{@code
 * KubernetesClient client = KubernetesTarget.client();           // current kubeconfig, no hidden retries
 * // blue-green: Deployments myapp-blue / myapp-green (pods labelled version=blue|green), Service myapp
 * Target bg = KubernetesTarget.blueGreen(client, "prod", "myapp").previewService("myapp-preview").build();
 * // canary by replicas: Deployments myapp / myapp-canary behind Service myapp
 * Target canary = KubernetesTarget.canary(client, "prod", "myapp").build();
 * // canary on the Gateway API: HTTPRoute myapp over Services myapp / myapp-canary
 * Target gw = KubernetesTarget.canary(client, "prod", "myapp").gatewayApi("myapp", "myapp", "myapp-canary").build();
 * }</pre>
 *
 * <p>Every name is overridable. <b>Retries:</b> the engine counts every attempt against its retry
 * budget, so the adapter must not retry underneath it. {@link #client()} and {@link #client(Config)}
 * turn fabric8's own request retries off ({@code requestRetryBackoffLimit = 0}); a client built
 * elsewhere with retries on (fabric8's default is 10, on 429 and 5xx) makes one engine attempt
 * cost up to that many requests, and a warning is logged when such a client is given here.
 */
public final class KubernetesTarget {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesTarget.class);

    private KubernetesTarget() { }

    /**
     * A client for the current kubeconfig context (or the in-cluster service account), with fabric8's retries off.
     *
     * @return a new client; close it when the engine is done
     */
    public static KubernetesClient client() {
        return client(Config.autoConfigure(null));
    }

    /**
     * A client for {@code config} with fabric8's request retries off: the engine's retry budget counts every attempt.
     *
     * @param config the connection settings; its retry limit is replaced by 0
     * @return a new client; close it when the engine is done
     */
    public static KubernetesClient client(Config config) {
        Objects.requireNonNull(config, "config");
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(config).withRequestRetryBackoffLimit(0).build()).build();
    }

    /**
     * A client for {@code config} with fabric8's request retries off, whose every request waits for
     * {@code budget}: give each engine replica one budget, shared by all its rollouts.
     *
     * @param config the client's configuration
     * @param budget the request budget every request waits for
     * @return a new client; the caller closes it
     */
    public static KubernetesClient client(Config config, RequestBudget budget) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(budget, "budget");
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(config).withRequestRetryBackoffLimit(0).build())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("cutover-request-budget", budget.interceptor()))
                .build();
    }

    /**
     * Blue-green on {@code <application>-blue} and {@code <application>-green} behind the Service
     * {@code <application>}, switched by the Service's selector.
     *
     * @param client      the client, best built with {@link #client()}; one that retries by itself is logged
     * @param namespace   the namespace of the Deployments and Services
     * @param application the application's name
     * @return a builder of the target
     */
    public static BlueGreen blueGreen(KubernetesClient client, String namespace, String application) {
        return new BlueGreen(checked(client), namespace, application);
    }

    /**
     * Canary on the Deployment {@code <application>} and a candidate {@code <application>-canary} made
     * from it, weighted by replica counts behind the Service {@code <application>} unless
     * {@link Canary#gatewayApi} chooses an HTTPRoute.
     *
     * @param client      the client, best built with {@link #client()}; one that retries by itself is logged
     * @param namespace   the namespace of the Deployments, Services and route
     * @param application the application's name
     * @return a builder of the target
     */
    public static Canary canary(KubernetesClient client, String namespace, String application) {
        return new Canary(checked(client), namespace, application);
    }

    private static KubernetesClient checked(KubernetesClient client) {
        Objects.requireNonNull(client, "client");
        int retries = client.getConfiguration().getRequestRetryBackoffLimit();
        if (retries > 0) {
            LOG.warn("the Kubernetes client retries failed requests {} times by itself; each engine attempt may then cost up to {} requests. "
                    + "Build it with KubernetesTarget.client(..) or requestRetryBackoffLimit(0)", retries, retries + 1);
        }
        return client;
    }

    /** Shared settings of both conventions. */
    abstract static class Base<B extends Base<B>> {
        MetricSource metrics = MetricSource.NONE;
        HealthProbe health = HealthProbe.NONE;
        KubernetesCache cache;

        abstract B self();

        /**
         * Reads Deployments, Services and HTTPRoutes from {@code cache}'s watches (shared by every target
         * built with it; the caller closes it), and wakes the engine's readiness waits on the watch's
         * events. Default: no cache, every read is a GET and waits poll.
         *
         * @param cache the watch cache
         * @return this builder
         */
        public B cache(KubernetesCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return self();
        }

        Target target(String application, DeploymentWorkloads w, TrafficRouter router) {
            return Target.builder(application).workloads(w).router(router).metrics(metrics).health(health).changes(w.changes()).build();
        }

        /**
         * Where gates read metrics; default {@link MetricSource#NONE}.
         *
         * @param metrics the metric source gates read
         * @return this builder
         */
        public B metrics(MetricSource metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return self();
        }

        /**
         * How a revision's health is checked; default {@link HealthProbe#NONE}.
         *
         * @param health the probe of a revision's health
         * @return this builder
         */
        public B health(HealthProbe health) {
            this.health = Objects.requireNonNull(health, "health");
            return self();
        }
    }

    /** Blue-green: two colour Deployments and a Service whose selector is switched. */
    public static final class BlueGreen extends Base<BlueGreen> {
        private final DeploymentWorkloads.Builder workloads;
        private final String application;
        private String service;
        private String previewService;

        private BlueGreen(KubernetesClient client, String namespace, String application) {
            this.workloads = DeploymentWorkloads.blueGreen(client, namespace, application);
            this.application = application;
            this.service = application;
        }

        @Override BlueGreen self() { return this; }

        /**
         * The Service users reach (default {@code <app>}).
         *
         * @param name the Service's name, DNS-1123
         * @return this builder
         */
        public BlueGreen service(String name) {
            this.service = DeploymentWorkloads.requireName("service", name);
            return this;
        }

        /**
         * A Service that always selects the candidate, for test traffic; default none.
         *
         * @param name the Service's name, DNS-1123
         * @return this builder
         */
        public BlueGreen previewService(String name) {
            this.previewService = DeploymentWorkloads.requireName("previewService", name);
            return this;
        }

        /**
         * See {@link DeploymentWorkloads.Builder#colours}.
         *
         * @param label            the pod label whose value tells the colours apart
         * @param firstDeployment  the first colour's Deployment
         * @param firstValue       the value of {@code label} on its pods
         * @param secondDeployment the second colour's Deployment
         * @param secondValue      the value of {@code label} on its pods
         * @return this builder
         */
        public BlueGreen colours(String label, String firstDeployment, String firstValue, String secondDeployment, String secondValue) {
            workloads.colours(label, firstDeployment, firstValue, secondDeployment, secondValue);
            return this;
        }

        /**
         * The application container (default the first).
         *
         * @param name the container's name in the pod template
         * @return this builder
         */
        public BlueGreen container(String name) {
            workloads.container(name);
            return this;
        }

        /**
         * Builds the target: the Deployments as workloads and the Service's selector as the router.
         *
         * @return a target for {@link io.cutover.RolloutEngine#start}
         */
        public Target build() {
            if (cache != null) {
                workloads.cache(cache);
            }
            DeploymentWorkloads w = workloads.activeService(service).build();
            ServiceSelectorRouter.Builder router = ServiceSelectorRouter.builder(w, service);
            if (previewService != null) {
                router.previewService(previewService);
            }
            return target(application, w, router.build());
        }
    }

    /** Canary: a stable Deployment and a candidate made from it, weighted by replicas or by an HTTPRoute. */
    public static final class Canary extends Base<Canary> {
        private final DeploymentWorkloads.Builder workloads;
        private final KubernetesClient client;
        private final String namespace;
        private final String application;
        private String service;
        private String route;
        private String stableBackend;
        private String candidateBackend;

        private Canary(KubernetesClient client, String namespace, String application) {
            this.workloads = DeploymentWorkloads.canary(client, namespace, application);
            this.client = client;
            this.namespace = namespace;
            this.application = application;
            this.service = application;
        }

        @Override Canary self() { return this; }

        /**
         * The stable Deployment (default {@code <app>}).
         *
         * @param deployment the Deployment's name, DNS-1123
         * @return this builder
         */
        public Canary stable(String deployment) {
            workloads.stable(deployment);
            return this;
        }

        /**
         * The candidate Deployment and the labels that set its pods apart (default {@code <app>-canary}, {@code cutover.io/track=canary}).
         *
         * @param deployment the Deployment's name, DNS-1123
         * @param podLabels  labels only the candidate's pods carry
         * @return this builder
         */
        public Canary candidate(String deployment, Map<String, String> podLabels) {
            workloads.candidate(deployment, podLabels);
            return this;
        }

        /**
         * The application container (default the first).
         *
         * @param name the container's name in the pod template
         * @return this builder
         */
        public Canary container(String name) {
            workloads.container(name);
            return this;
        }

        /**
         * Weights by replica counts behind {@code service} (the default, with {@code <app>}).
         *
         * @param service the Service in front of both roles' pods, DNS-1123
         * @return this builder
         */
        public Canary replicaRatio(String service) {
            this.service = DeploymentWorkloads.requireName("service", service);
            this.route = null;
            return this;
        }

        /**
         * Weights and header routes on HTTPRoute {@code route} over the stable and candidate Services.
         * Each Service's selector gets its role's pod labels ({@link DeploymentWorkloads.Builder#roleServices}).
         *
         * @param route            the HTTPRoute's name, DNS-1123
         * @param stableService    the Service in front of stable's pods
         * @param candidateService the Service in front of the candidate's pods
         * @return this builder
         */
        public Canary gatewayApi(String route, String stableService, String candidateService) {
            this.route = DeploymentWorkloads.requireName("route", route);
            this.stableBackend = DeploymentWorkloads.requireName("stableService", stableService);
            this.candidateBackend = DeploymentWorkloads.requireName("candidateService", candidateService);
            return this;
        }

        /**
         * Builds the target: the Deployments as workloads and the replica-ratio or HTTPRoute router.
         *
         * @return a target for {@link io.cutover.RolloutEngine#start}
         */
        public Target build() {
            if (route != null) {
                workloads.roleServices(stableBackend, candidateBackend);
            }
            if (cache != null) {
                workloads.cache(cache);
            }
            DeploymentWorkloads w = workloads.build();
            GatewayApiRouter.Builder gateway = route == null ? null
                    : GatewayApiRouter.builder(client, namespace, route).backends(stableBackend, candidateBackend);
            if (gateway != null && cache != null) {
                gateway.cache(cache);
            }
            return target(application, w, gateway == null ? ReplicaRatioRouter.of(w, service) : gateway.build());
        }
    }
}
