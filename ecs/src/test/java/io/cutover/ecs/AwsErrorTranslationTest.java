package io.cutover.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static io.cutover.ecs.Fixtures.BLUE;
import static io.cutover.ecs.Fixtures.CLUSTER;
import static io.cutover.ecs.Fixtures.GREEN;
import static io.cutover.ecs.Fixtures.LISTENER;
import static io.cutover.ecs.Fixtures.SERVICE;
import static io.cutover.ecs.Fixtures.TD1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cutover.CutoverException;
import io.cutover.CutoverException.Kind;
import io.cutover.ecs.fake.AwsFake;
import io.cutover.spi.Role;
import java.net.URI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

class AwsErrorTranslationTest {

    private final AwsFakeServer server = new AwsFakeServer();
    @RegisterExtension
    final WireMockExtension wireMock = server.wireMock;
    private AwsClients aws;
    private EcsTaskSetWorkloads workloads;
    private AlbWeightedRouter router;

    @BeforeEach
    void setUp() {
        aws = server.clients();
        server.fake.ecs().createExternalService(CLUSTER, SERVICE, 4, TD1, "v1", BLUE);
        server.fake.elb().createListener(LISTENER);
        workloads = EcsTaskSetWorkloads.builder(aws.ecs(), CLUSTER, SERVICE).targetGroups(BLUE, GREEN).container("web", 8080).build();
        router = AlbWeightedRouter.forListener(aws.elb(), LISTENER, TargetGroupRoles.fixed(BLUE, GREEN));
    }

    private void ecsAnswers(int status, String type, String message) {
        wireMock.stubFor(post(anyUrl()).atPriority(1)
                .withHeader("X-Amz-Target", containing("AmazonEC2ContainerServiceV20141113."))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}")));
    }

    private void elbAnswers(int status, String code, String message) {
        wireMock.stubFor(post(anyUrl()).atPriority(1).withRequestBody(containing("Version=2015-12-01"))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml")
                        .withBody(AwsFake.queryErrorBody(code, message))));
    }

    private CutoverException statusFails() {
        return catchThrowableOfType(CutoverException.class, () -> workloads.status(Role.STABLE));
    }

    private CutoverException readFails() {
        return catchThrowableOfType(CutoverException.class, router::read);
    }

    @Test
    void ecsThrottlingIsTransientAndTriedOnceOnly() {
        ecsAnswers(400, "ThrottlingException", "Rate exceeded");

        CutoverException e = statusFails();

        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.getMessage()).contains("DescribeTaskSets of service myapp").contains("throttled");
        wireMock.verify(1, postRequestedFor(anyUrl())
                .withHeader("X-Amz-Target", equalTo("AmazonEC2ContainerServiceV20141113.DescribeTaskSets")));
    }

    @Test
    void elbThrottlingIsTransientAndTriedOnceOnly() {
        elbAnswers(400, "Throttling", "Rate exceeded");

        CutoverException e = readFails();

        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.operation()).isEqualTo("DescribeListeners " + LISTENER);
        wireMock.verify(1, postRequestedFor(anyUrl()).withRequestBody(containing("Action=DescribeListeners")));
    }

    @Test
    void serverErrorsAreTransient() {
        ecsAnswers(500, "ServerException", "internal");
        assertThat(statusFails().kind()).isEqualTo(Kind.TRANSIENT);
        elbAnswers(503, "ServiceUnavailable", "try later");
        assertThat(readFails().kind()).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void accessDeniedIsPermanentAndPointsAtIam() {
        ecsAnswers(400, "AccessDeniedException", "User is not authorized to perform: ecs:DescribeTaskSets");
        CutoverException e = statusFails();
        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e.getMessage()).contains("ecs:DescribeTaskSets").contains("IAM");

        elbAnswers(403, "AccessDenied", "not authorized");
        assertThat(readFails().kind()).isEqualTo(Kind.PERMANENT);
    }

    @Test
    void validationErrorsArePermanentWithTheServiceMessage() {
        elbAnswers(400, "ValidationError", "Weight must be between 0 and 999");
        CutoverException e = readFails();
        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e.getMessage()).contains("ValidationError").contains("Weight must be between 0 and 999");

        ecsAnswers(400, "InvalidParameterException", "bad task definition");
        assertThat(statusFails().kind()).isEqualTo(Kind.PERMANENT);
    }

    @Test
    void cloudWatchAndCodeDeployThrottlingIsTransientToo() {
        wireMock.stubFor(post(anyUrl()).atPriority(1).withRequestBody(containing("Action=GetMetricData"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "text/xml")
                        .withBody(AwsFake.queryErrorBody("Throttling", "Rate exceeded"))));
        wireMock.stubFor(post(anyUrl()).atPriority(1).withHeader("X-Amz-Target", containing("CodeDeploy_20141006."))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")));
        var metrics = CloudWatchAlbMetrics.of(aws.cloudWatch(), Fixtures.LB + "loadbalancer/app/myapp/50dc6c495c0c9188",
                TargetGroupRoles.fixed(BLUE, GREEN));
        var query = new io.cutover.spi.MetricQuery("myapp", io.cutover.spi.Revision.of("v2", "myapp:2"), Role.CANDIDATE,
                java.time.Duration.ofMinutes(5), java.time.Instant.parse("2026-01-01T00:10:00Z"));

        CutoverException cw = catchThrowableOfType(CutoverException.class, () -> metrics.errorRate(query));
        CutoverException cd = catchThrowableOfType(CutoverException.class, () -> CodeDeployBlueGreen
                .builder(aws.codeDeploy(), "myapp", "myapp-prod").service(aws.ecs(), CLUSTER, SERVICE).container("web", 8080).build()
                .deploy(io.cutover.spi.Revision.of("v2", Fixtures.TD2), 4));

        assertThat(cw.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(cw.getMessage()).contains("GetMetricData").contains("throttled");
        assertThat(cd.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(cd.getMessage()).contains("ListDeployments of myapp/myapp-prod");
    }

    @Test
    void concurrentUpdatesAreConflicts() {
        ecsAnswers(409, "ConflictException", "another update is in progress");
        assertThat(statusFails().kind()).isEqualTo(Kind.CONFLICT);
    }

    @Test
    void anUnreachableEndpointIsTransient() {
        AwsClients nowhere = AwsClients.builder().region(Region.US_EAST_1)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .endpointOverride(URI.create("http://127.0.0.1:1")).build();
        var w = EcsTaskSetWorkloads.builder(nowhere.ecs(), CLUSTER, SERVICE).targetGroups(BLUE, GREEN).container("web", 8080).build();

        CutoverException e = catchThrowableOfType(CutoverException.class, () -> w.status(Role.STABLE));

        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.getMessage()).contains("could not reach AWS");
    }

    @Test
    void moreSdkAttemptsCanBeChosenAndAreMadeInsideOneCall() {
        ecsAnswers(400, "ThrottlingException", "Rate exceeded");
        AwsClients three = AwsClients.builder().region(Region.US_EAST_1)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .endpointOverride(URI.create(wireMock.baseUrl())).maxAttempts(2).build();
        var w = EcsTaskSetWorkloads.builder(three.ecs(), CLUSTER, SERVICE).targetGroups(BLUE, GREEN).container("web", 8080).build();

        assertThat(catchThrowableOfType(CutoverException.class, () -> w.status(Role.STABLE)).kind()).isEqualTo(Kind.TRANSIENT);
        wireMock.verify(2, postRequestedFor(anyUrl())
                .withHeader("X-Amz-Target", equalTo("AmazonEC2ContainerServiceV20141113.DescribeTaskSets")));
    }

    @Test
    void missingCredentialsArePermanentNameTheFixAndSendNothing() {
        AwsClients anonymous = AwsClients.builder().region(Region.US_EAST_1)
                .credentials(software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider.create())
                .endpointOverride(URI.create(wireMock.baseUrl())).build();
        var w = EcsTaskSetWorkloads.builder(anonymous.ecs(), CLUSTER, SERVICE).targetGroups(BLUE, GREEN).container("web", 8080).build();

        CutoverException e = catchThrowableOfType(CutoverException.class, () -> w.status(Role.STABLE));

        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e.getMessage()).contains("no usable AWS credentials").contains("AwsClients.Builder#credentials");
        wireMock.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void aRegionAwsDoesNotHaveIsPermanentAndNamesTheRegion() {
        AwsClients typo = AwsClients.builder().region(Region.of("eu-wst-1"))
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
        var w = EcsTaskSetWorkloads.builder(typo.ecs(), CLUSTER, SERVICE).targetGroups(BLUE, GREEN).container("web", 8080).build();

        CutoverException e = catchThrowableOfType(CutoverException.class, () -> w.status(Role.STABLE));

        assertThat(e.kind()).as(e.getMessage()).isEqualTo(Kind.PERMANENT);
        assertThat(e.getMessage()).contains("eu-wst-1").contains("AwsClients.Builder#region");
    }

    @Test
    void aHostThatDoesNotResolveInAKnownRegionIsANetworkFailure() {
        var dns = software.amazon.awssdk.core.exception.SdkClientException.create("Unable to execute HTTP request: ecs.us-east-1.amazonaws.com",
                new java.net.UnknownHostException("ecs.us-east-1.amazonaws.com"));
        var refused = software.amazon.awssdk.core.exception.SdkClientException.create("Unable to execute HTTP request: Connection refused",
                new java.net.ConnectException("Connection refused"));

        assertThat(io.cutover.ecs.internal.AwsCalls.translate("DescribeServices", dns).kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(io.cutover.ecs.internal.AwsCalls.translate("DescribeServices", refused).kind()).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void anUntrustedCertificateIsPermanent() {
        var tls = software.amazon.awssdk.core.exception.SdkClientException.create("Unable to execute HTTP request: PKIX path building failed",
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed"));

        CutoverException e = io.cutover.ecs.internal.AwsCalls.translate("DescribeServices", tls);

        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e.getMessage()).contains("trust store");
    }
}
