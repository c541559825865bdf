package io.cutover.ecs;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.ecs.fake.AwsFake;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** A WireMock server playing the AWS services with state, and SDK clients pointed at it. */
final class AwsFakeServer {

    final AwsFake fake = new AwsFake();
    final WireMockExtension wireMock = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(fake))
            .configureStaticDsl(false)
            .build();

    private boolean routed;

    AwsClients clients() {
        if (!routed) {
            wireMock.stubFor(AwsFake.stubAll());
            routed = true;
        }
        return AwsClients.builder()
                .region(Region.US_EAST_1)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("test-key", "test-secret")))
                .endpointOverride(URI.create(wireMock.baseUrl()))
                .build();
    }
}
