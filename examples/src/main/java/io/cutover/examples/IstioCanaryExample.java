package io.cutover.examples;

import static io.cutover.gate.Gates.query;
import static io.cutover.gate.Gates.successRate;

import io.cutover.Deployment;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.gate.Condition;
import io.cutover.istio.DestinationRuleSubsets;
import io.cutover.istio.SubsetAwareWorkloads;
import io.cutover.istio.VirtualServiceRouter;
import io.cutover.spi.MetricSource;
import io.cutover.spi.Revision;
import io.cutover.spi.Workloads;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;

/**
 * An Istio canary gated on Istio's own request metrics: 10, 25, 50, 75% of traffic to the candidate
 * through the VirtualService {@code myapp}, five minutes per step, rolled back on its own when the
 * candidate's success rate drops below 95%.
 *
 * <pre>
 * IstioCanaryExample &lt;namespace&gt; &lt;virtualservice&gt;
 * </pre>
 * prints the split the VirtualService holds now and the plan a rollout would follow; it changes
 * nothing. {@link #rollOut} is the whole wiring of a real rollout.
 */
public final class IstioCanaryExample {

    /** Success rate of the candidate as the Istio sidecars count it, over the last minute. */
    static final String CANDIDATE_SUCCESS_RATE = """
            sum(rate(istio_requests_total{reporter="destination",destination_workload="myapp-canary",response_code!~"5.."}[1m]))
            /
            sum(rate(istio_requests_total{reporter="destination",destination_workload="myapp-canary"}[1m]))""";

    private IstioCanaryExample() {
    }

    public static Deployment canary() {
        return Deployment.canary()
                .steps(10, 25, 50, 75)
                .pauseBetween(Duration.ofMinutes(5))
                .gate(successRate(0.95))                                         // through the MetricSource's own query
                .gate(query("istio-success-rate", CANDIDATE_SUCCESS_RATE, Condition.atLeast(0.95)))
                .build();
    }

    /**
     * Rolls {@code revision} out to the pods of {@code deployments}, whose pods carry the label
     * {@code version=<revision name>}. {@code deployments} is the kubernetes module's Deployments
     * workloads; {@code prometheus} the prometheus module's metric source (its Istio preset reads
     * {@code istio_requests_total}); any other {@link Workloads} and {@link MetricSource} work too.
     */
    public static RolloutResult rollOut(KubernetesClient client, String namespace, Revision revision,
                                        Workloads deployments, MetricSource prometheus) {
        DestinationRuleSubsets subsets = DestinationRuleSubsets.builder(client)
                .destinationRule(namespace, "myapp")
                .host("myapp")
                .labelKey("version")
                .build();
        VirtualServiceRouter router = VirtualServiceRouter.builder(client)
                .virtualService(namespace, "myapp")                 // the mesh route
                .virtualService(namespace, "myapp-public")          // the gateway route, split alike
                .verifySubsets(subsets)
                .build();
        Target target = Target.builder("myapp")
                .workloads(SubsetAwareWorkloads.wrap(deployments, subsets, router))
                .router(router)
                .metrics(prometheus)
                .build();
        RolloutEngine engine = RolloutEngine.builder()
                .onEvent(event -> System.out.println(event))
                .build();
        try {
            return engine.start("myapp", canary(), revision, target).await();
        } finally {
            engine.shutdown();
        }
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: IstioCanaryExample <namespace> <virtualservice>");
            System.exit(2);
        }
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            VirtualServiceRouter router = VirtualServiceRouter.builder(client).virtualService(args[0], args[1]).build();
            System.out.println("virtualservice " + args[0] + "/" + args[1] + " holds: " + router.read());
            System.out.println("a rollout would:");
            System.out.println(canary().describe());
        }
    }
}
