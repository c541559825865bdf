package io.cutover.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/** An alarm gate is a value over its client: same client, same alarms, same rule for missing data. */
class CloudWatchAlarmGateEqualityTest {

    private static CloudWatchClient client() {
        return CloudWatchClient.builder().endpointOverride(URI.create("http://127.0.0.1:9"))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void gatesOnTheSameClientAndAlarmsAreEqualAndSoAreTheirPlans() {
        try (CloudWatchClient cw = client()) {
            CloudWatchAlarmGate one = CloudWatchAlarmGate.alarms(cw, "myapp-5xx", "myapp-latency");
            CloudWatchAlarmGate two = CloudWatchAlarmGate.alarms(cw, "myapp-5xx", "myapp-latency");
            assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
            assertThat(one.insufficientDataPasses()).isEqualTo(two.insufficientDataPasses());
            assertThat(Deployment.blueGreen().prePromotionGate(one).build().plan())
                    .isEqualTo(Deployment.blueGreen().prePromotionGate(two).build().plan());
        }
    }

    @Test
    void anotherAlarmListRuleOrClientMakesADifferentGate() {
        try (CloudWatchClient cw = client(); CloudWatchClient other = client()) {
            CloudWatchAlarmGate reference = CloudWatchAlarmGate.alarms(cw, "myapp-5xx", "myapp-latency");
            assertThat(reference)
                    .isNotEqualTo(CloudWatchAlarmGate.alarms(cw, "myapp-5xx"))
                    .isNotEqualTo(CloudWatchAlarmGate.alarms(cw, "myapp-latency", "myapp-5xx"))
                    .isNotEqualTo(reference.insufficientDataPasses())
                    .isNotEqualTo(CloudWatchAlarmGate.alarms(other, "myapp-5xx", "myapp-latency"));
            assertThat(Deployment.blueGreen().prePromotionGate(reference).build().plan())
                    .isNotEqualTo(Deployment.blueGreen().prePromotionGate(reference.insufficientDataPasses()).build().plan());
        }
    }
}
