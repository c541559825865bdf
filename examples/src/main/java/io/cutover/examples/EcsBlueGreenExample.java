package io.cutover.examples;

import static io.cutover.gate.Gates.successRate;

import io.cutover.Deployment;
import io.cutover.RolloutEngine;
import io.cutover.RolloutResult;
import io.cutover.Target;
import io.cutover.ecs.AlbWeightedRouter;
import io.cutover.ecs.AwsClients;
import io.cutover.ecs.CloudWatchAlarmGate;
import io.cutover.ecs.CloudWatchAlbMetrics;
import io.cutover.ecs.EcsTaskSetWorkloads;
import io.cutover.spi.Revision;
import io.cutover.state.FileStateStore;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;

/**
 * Blue-green on an ECS service with the EXTERNAL deployment controller behind an ALB listener:
 * the new task definition comes up as a task set in the idle target group, a CloudWatch alarm must
 * stay quiet before the switch, and the candidate's success rate (from the ALB's target-group
 * metrics) must hold after it, or traffic switches straight back.
 *
 * <pre>
 * AWS_REGION=eu-west-1 java io.cutover.examples.EcsBlueGreenExample \
 *     prod myapp LISTENER_ARN BLUE_TG_ARN GREEN_TG_ARN LOAD_BALANCER_ARN \
 *     v2.0.0 arn:aws:ecs:eu-west-1:123456789012:task-definition/myapp:42 myapp-5xx-alarm
 * </pre>
 *
 * Credentials come from the default AWS chain. The rollout's state is kept in {@code .cutover/}, so
 * running the same command again after an interruption resumes it.
 */
public final class EcsBlueGreenExample {

    private static final Logger log = LoggerFactory.getLogger(EcsBlueGreenExample.class);

    private EcsBlueGreenExample() { }

    public static void main(String[] args) {
        Deployment blueGreen = Deployment.blueGreen()
                .autoPromoteAfter(Duration.ofMinutes(2))
                .postPromotionGate(successRate(0.99))
                .scaleDownDelay(Duration.ofMinutes(5))
                .build();
        if (args.length != 9) {
            log.info("usage: EcsBlueGreenExample CLUSTER SERVICE LISTENER_ARN BLUE_TG_ARN GREEN_TG_ARN "
                    + "LOAD_BALANCER_ARN REVISION TASK_DEFINITION ALARM\nplan:\n{}", blueGreen.describe());
            return;
        }
        String cluster = args[0];
        String service = args[1];
        String region = System.getenv().getOrDefault("AWS_REGION", "us-east-1");

        try (AwsClients aws = AwsClients.builder().region(Region.of(region)).build()) {
            EcsTaskSetWorkloads workloads = EcsTaskSetWorkloads.builder(aws.ecs(), cluster, service)
                    .targetGroups(args[3], args[4])
                    .container(service, 8080)
                    .build();
            Target target = Target.builder(service)
                    .workloads(workloads)
                    .router(AlbWeightedRouter.forListener(aws.elb(), args[2], workloads.targetGroupRoles()))
                    .metrics(CloudWatchAlbMetrics.of(aws.cloudWatch(), args[5], workloads.targetGroupRoles()))
                    .build();
            Deployment gated = Deployment.blueGreen()
                    .prePromotionGate(CloudWatchAlarmGate.alarms(aws.cloudWatch(), args[8]))
                    .autoPromoteAfter(Duration.ofMinutes(2))
                    .postPromotionGate(successRate(0.99), CloudWatchAlarmGate.alarms(aws.cloudWatch(), args[8]))
                    .scaleDownDelay(Duration.ofMinutes(5))
                    .build();

            FileStateStore store = new FileStateStore(Path.of(".cutover"));
            RolloutEngine engine = RolloutEngine.builder()
                    .withStateStore(store)
                    .onEvent(event -> log.info("{}", event))
                    .build();
            RolloutResult result = engine.status(service).isPresent()
                    ? engine.resume(service, gated, target).await()
                    : engine.start(service, gated, Revision.of(args[6], args[7]), target).await();
            log.info("{} ended {} ({}); traffic {}", service, result.phase(),
                    result.reason() == null ? "no error" : result.reason(), result.split());
            engine.shutdown();
        }
    }
}
