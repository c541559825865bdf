package io.cutover.ecs.fake;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WireMock response transformer that plays ECS, ELBv2, CodeDeploy and CloudWatch with state.
 * Register it as an extension and route requests to it with {@link #stubAll}; stubs with a higher
 * priority (faults, throttling) still win.
 */
public final class AwsFake implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "aws-fake";
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private volatile EcsFake ecs = new EcsFake();
    private volatile ElbFake elb = new ElbFake();
    private volatile CodeDeployFake codeDeploy = new CodeDeployFake(ecs);
    private volatile CloudWatchFake cloudWatch = new CloudWatchFake();

    /** Forgets every resource: the services start empty again. */
    public void reset() {
        ecs = new EcsFake();
        elb = new ElbFake();
        codeDeploy = new CodeDeployFake(ecs);
        cloudWatch = new CloudWatchFake();
    }

    public EcsFake ecs() { return ecs; }
    public ElbFake elb() { return elb; }
    public CodeDeployFake codeDeploy() { return codeDeploy; }
    public CloudWatchFake cloudWatch() { return cloudWatch; }

    /** The catch-all stub that sends every AWS call to this fake, at the lowest priority. */
    public static com.github.tomakehurst.wiremock.client.MappingBuilder stubAll() {
        return com.github.tomakehurst.wiremock.client.WireMock.post(com.github.tomakehurst.wiremock.client.WireMock.anyUrl())
                .atPriority(100)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withTransformers(NAME));
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Reply reply = dispatch(event.getRequest());
        return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder()
                .withStatus(reply.status())
                .withHeader("Content-Type", reply.contentType())
                .withHeader("x-amzn-RequestId", "fake-request")
                .withBody(reply.body())
                .build();
    }

    private Reply dispatch(Request request) {
        String target = request.getHeader("X-Amz-Target");
        try {
            if (target != null && target.startsWith("AmazonEC2ContainerServiceV20141113.")) {
                return ecs.handle(target.substring(target.indexOf('.') + 1), MAPPER.readTree(request.getBodyAsString()));
            }
            if (target != null && target.startsWith("CodeDeploy_20141006.")) {
                return codeDeploy.handle(target.substring(target.indexOf('.') + 1), MAPPER.readTree(request.getBodyAsString()));
            }
            Map<String, String> params = Query.parse(request.getBodyAsString());
            String action = params.getOrDefault("Action", "");
            return switch (params.getOrDefault("Version", "")) {
                case "2015-12-01" -> elb.handle(action, params);
                case "2010-08-01" -> cloudWatch.handle(action, params);
                default -> queryError(400, "InvalidAction", "no service plays " + params + " / " + target);
            };
        } catch (RuntimeException e) {
            return jsonError(500, "InternalFailure", "fake failed: " + e);
        }
    }

    /** What the fake answers. */
    public record Reply(int status, String contentType, String body) { }

    static Reply json(int status, JsonNode body) {
        return new Reply(status, "application/x-amz-json-1.1", MAPPER.writeValueAsString(body));
    }

    static Reply jsonError(int status, String type, String message) {
        return new Reply(status, "application/x-amz-json-1.1",
                MAPPER.writeValueAsString(Map.of("__type", type, "message", message)));
    }

    static Reply xml(int status, String body) {
        return new Reply(status, "text/xml", body);
    }

    /** An error of a query-protocol service (ELBv2, CloudWatch). */
    public static Reply queryError(int status, String code, String message) {
        return xml(status, queryErrorBody(code, message));
    }

    public static String queryErrorBody(String code, String message) {
        return "<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + Query.escape(message)
                + "</Message></Error><RequestId>fake</RequestId></ErrorResponse>";
    }
}
