package io.cutover.ecs;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Builds the AWS SDK clients the ECS adapter uses, with the SDK's own retries set so they do not
 * stack blindly on the engine's retry budget.
 *
 * <p>By default every client makes exactly <b>one attempt</b> per call ({@code maxAttempts(1)}):
 * the rollout engine retries transient failures (throttling, 5xx, timeouts) with its own backoff
 * and counts them against its budget. Raising {@link Builder#maxAttempts(int)} multiplies the
 * engine's budget by that factor in the worst case.
 *
 * <pre>{@code
 * AwsClients aws = AwsClients.builder().region(Region.EU_WEST_1).build();
 * EcsTaskSetWorkloads workloads = EcsTaskSetWorkloads.builder(aws.ecs(), "prod", "myapp")...build();
 * }</pre>
 */
public final class AwsClients implements AutoCloseable {

    private final EcsClient ecs;
    private final ElasticLoadBalancingV2Client elb;
    private final CodeDeployClient codeDeploy;
    private final CloudWatchClient cloudWatch;
    private final SdkHttpClient httpClient;
    private final AwsCredentialsProvider ownCredentials;

    private AwsClients(Builder b) {
        this.httpClient = b.httpClient != null ? b.httpClient : UrlConnectionHttpClient.create();
        this.ownCredentials = b.credentials == null ? DefaultCredentialsProvider.builder().build() : null;
        this.ecs = configure(EcsClient.builder(), b).build();
        this.elb = configure(ElasticLoadBalancingV2Client.builder(), b).build();
        this.codeDeploy = configure(CodeDeployClient.builder(), b).build();
        this.cloudWatch = configure(CloudWatchClient.builder(), b).build();
    }

    private <T extends AwsClientBuilder<T, ?> & AwsSyncClientBuilder<T, ?>> T configure(T builder, Builder b) {
        builder.region(b.region)
                .credentialsProvider(b.credentials != null ? b.credentials : ownCredentials)
                .httpClient(httpClient)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(b.maxAttempts == 1
                                ? AwsRetryStrategy.doNotRetry()
                                : AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(b.maxAttempts).build())
                        .apiCallTimeout(b.callTimeout)
                        .build());
        if (b.endpoint != null) {
            builder.endpointOverride(b.endpoint);
        }
        return builder;
    }

    /**
     * Starts the clients' settings; the region is required, the other defaults are listed on {@link Builder}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The ECS client.
     *
     * @return the client
     */
    public EcsClient ecs() { return ecs; }
    /**
     * The Elastic Load Balancing v2 client.
     *
     * @return the client
     */
    public ElasticLoadBalancingV2Client elb() { return elb; }
    /**
     * The CodeDeploy client.
     *
     * @return the client
     */
    public CodeDeployClient codeDeploy() { return codeDeploy; }
    /**
     * The CloudWatch client.
     *
     * @return the client
     */
    public CloudWatchClient cloudWatch() { return cloudWatch; }

    @Override
    public void close() {
        ecs.close();
        elb.close();
        codeDeploy.close();
        cloudWatch.close();
        httpClient.close();
        if (ownCredentials instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }

    /** Defaults: the default credentials chain, one attempt per call, a 30-second call timeout, the URL-connection HTTP client. */
    public static final class Builder {
        private Region region;
        private AwsCredentialsProvider credentials;
        private URI endpoint;
        private SdkHttpClient httpClient;
        private int maxAttempts = 1;
        private Duration callTimeout = Duration.ofSeconds(30);

        private Builder() { }

        /**
         * The AWS region of every client; required.
         *
         * @param region the region
         * @return this builder
         */
        public Builder region(Region region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /**
         * Where credentials come from. Default: the SDK's default credentials chain.
         *
         * @param credentials the provider
         * @return this builder
         */
        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * One endpoint for every service (a VPC endpoint proxy, or a test double); default: the regional endpoints.
         *
         * @param endpoint the endpoint's base URI
         * @return this builder
         */
        public Builder endpointOverride(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /**
         * The HTTP client every SDK client shares. Default: the URL-connection client.
         *
         * @param httpClient the HTTP client; the caller closes it
         * @return this builder
         */
        public Builder httpClient(SdkHttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * Attempts per SDK call, including the first; default 1 so only the engine retries.
         *
         * @param maxAttempts 1 or more
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > 10) {
                throw new IllegalArgumentException("maxAttempts must be within 1..10: " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * The longest an SDK call may take, retries included. Default 30 seconds.
         *
         * @param callTimeout above zero
         * @return this builder
         */
        public Builder callTimeout(Duration callTimeout) {
            if (callTimeout == null || callTimeout.isZero() || callTimeout.isNegative()) {
                throw new IllegalArgumentException("callTimeout must be positive: " + callTimeout);
            }
            this.callTimeout = callTimeout;
            return this;
        }

        /**
         * Builds the four clients; close them with {@link AwsClients#close()}.
         *
         * @return the clients
         * @throws IllegalArgumentException if no region was given
         */
        public AwsClients build() {
            if (region == null) {
                throw new IllegalArgumentException("region must be set");
            }
            return new AwsClients(this);
        }
    }
}
