package io.cutover.examples;

import static io.cutover.gate.Gates.health;

import io.cutover.Deployment;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.kubernetes.ConfigMapStateStore;
import io.cutover.kubernetes.KubernetesTarget;
import io.cutover.spi.Revision;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/**
 * Blue-green on the cluster of the current kubeconfig context: the seed's {@code myapp-blue} /
 * {@code myapp-green} Deployments and the {@code myapp} Service, switched from one colour to the
 * other once the new colour is ready and healthy, with the rollout's state in a ConfigMap.
 *
 * <pre>
 * java io.cutover.examples.KubernetesBlueGreenExample [namespace] [revision] [image]
 *      (defaults: default v2.0.0 myapp:v2.0.0)
 * </pre>
 */
public final class KubernetesBlueGreenExample {

    private KubernetesBlueGreenExample() { }

    /** The seed's layout: Deployments myapp-blue / myapp-green, Service myapp. */
    public static Target target(KubernetesClient client, String namespace) {
        return KubernetesTarget.blueGreen(client, namespace, "myapp").build();
    }

    /** Switch one minute after the new colour is ready, if it stays healthy. */
    public static Deployment strategy() {
        return Deployment.blueGreen().prePromotionGate(health()).autoPromoteAfter(Duration.ofMinutes(1)).build();
    }

    public static RolloutResult run(RolloutEngine engine, Target target, Revision revision) {
        return engine.start("myapp", strategy(), revision, target).await();
    }

    public static void main(String[] args) {
        String namespace = args.length > 0 ? args[0] : "default";
        Revision revision = Revision.of(args.length > 1 ? args[1] : "v2.0.0", args.length > 2 ? args[2] : "myapp:v2.0.0");
        try (KubernetesClient client = KubernetesTarget.client()) {
            RolloutEngine engine = RolloutEngine.builder()
                    .withStateStore(new ConfigMapStateStore(client, namespace))
                    .onEvent(event -> System.out.println(event))
                    .build();
            try {
                RolloutResult result = run(engine, target(client, namespace), revision);
                System.out.println(result.phase() + (result.reason() == null ? "" : ": " + result.reason()));
                System.exit(result.succeeded() ? 0 : 1);
            } finally {
                engine.shutdown();
            }
        }
    }
}
