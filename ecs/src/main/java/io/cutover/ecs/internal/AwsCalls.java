package io.cutover.ecs.internal;

import io.cutover.CutoverException;
import java.io.InterruptedIOException;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The boundary where AWS SDK exceptions become {@link CutoverException}s: throttling, 5xx and
 * timeouts are transient, 409 and concurrent-update errors are conflicts, everything else
 * (access denied, validation, not found) is permanent. A client-side failure (no answer from AWS) is
 * transient when the network failed, and permanent, with the fix in its message, when the client's
 * configuration is at fault: missing credentials or region, an untrusted certificate, a bad endpoint.
 */
public final class AwsCalls {

    private static final Set<String> CONFLICT_CODES = Set.of(
            "ConflictException", "UpdateInProgressException", "ResourceInUse", "ResourceInUseException",
            "ConcurrentModificationException", "ConcurrentModification");
    private static final Set<String> TRANSIENT_CODES = Set.of(
            "ServerException", "ServiceUnavailable", "ServiceUnavailableException", "InternalFailure",
            "InternalError", "RequestTimeout", "RequestTimeoutException");
    private static final Set<String> ACCESS_CODES = Set.of(
            "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnrecognizedClientException",
            "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException", "AuthFailure");

    private AwsCalls() { }

    /** Runs one SDK call; {@code operation} names the verb and resource ("ModifyListener arn:..."). */
    public static <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw translate(operation, e);
        }
    }

    public static CutoverException translate(String operation, SdkException e) {
        if (e instanceof AbortedException || hasInterruptCause(e)) {
            Thread.currentThread().interrupt();
            return CutoverException.transientFailure(operation, operation + " was interrupted", e);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return CutoverException.transientFailure(operation, operation + " timed out: " + e.getMessage(), e);
        }
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            String detail = service.awsErrorDetails() == null ? e.getMessage() : service.awsErrorDetails().errorMessage();
            int status = service.statusCode();
            String said = operation + " failed: " + (code == null ? "HTTP " + status : code) + (detail == null ? "" : ": " + detail);
            if (service.isThrottlingException() || status == 429 || (code != null && code.contains("Throttl"))) {
                return CutoverException.transientFailure(operation, said + " (throttled)", e);
            }
            if (status >= 500 || (code != null && TRANSIENT_CODES.contains(code))) {
                return CutoverException.transientFailure(operation, said, e);
            }
            if (status == 409 || (code != null && CONFLICT_CODES.contains(code))) {
                return CutoverException.conflict(operation, said, e);
            }
            if (status == 403 || (code != null && ACCESS_CODES.contains(code))) {
                return CutoverException.permanent(operation, said
                        + " (the credentials lack an IAM permission this adapter needs; see the ECS adapter's IAM action list)", e);
            }
            return CutoverException.permanent(operation, said, e);
        }
        if (e instanceof SdkClientException) {
            String fix = configurationFix(e);
            if (fix != null) {
                return CutoverException.permanent(operation, operation + " cannot be sent: " + e.getMessage() + " (" + fix + ")", e);
            }
            // No answer from the service (connection refused, reset, timed out, DNS): the same call may succeed later.
            return CutoverException.transientFailure(operation, operation + " could not reach AWS: " + e.getMessage(), e);
        }
        return CutoverException.permanent(operation, operation + " failed: " + e.getMessage(), e);
    }

    /**
     * What the user must change when a client-side failure is a matter of configuration (credentials,
     * region, endpoint, certificates) rather than of the network; {@code null} for a network failure.
     * Retrying such a failure cannot help, so it must not spend the engine's retry budget.
     */
    static String configurationFix(SdkException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException || t instanceof java.security.cert.CertificateException) {
                return "the endpoint's TLS certificate is not trusted: check the endpoint and the JVM's trust store";
            }
            if (t instanceof java.net.MalformedURLException || t instanceof java.net.URISyntaxException) {
                return "the endpoint is not a valid URL: check endpointOverride";
            }
            if (t instanceof java.net.UnknownHostException && unknownRegion(t.getMessage())) {
                return "the region in the endpoint host '" + t.getMessage() + "' is not an AWS region: check AwsClients.Builder#region";
            }
        }
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("unable to load credentials") || m.contains("credentials") && (m.contains("must not be null")
                || m.contains("not found") || m.contains("could not") || m.contains("unable to"))
                || m.contains("profile file") || m.contains("sso ") || m.contains("web identity")) {
            return "no usable AWS credentials: set them with AwsClients.Builder#credentials, or provide them to the default "
                    + "chain (environment, profile, container or instance role)";
        }
        if (m.contains("unable to load region") || m.contains("region") && (m.contains("must not be null") || m.contains("not set")
                || m.contains("invalid") || m.contains("unable to"))) {
            return "no usable AWS region: set it with AwsClients.Builder#region or AWS_REGION";
        }
        if (m.contains("unable to marshall") || m.contains("is required") || m.contains("must not be null")) {
            return "the request is incomplete; this is a bug in the calling code, not a network failure";
        }
        return null;
    }

    /** True for a host such as {@code ecs.eu-wst-1.amazonaws.com} whose region AWS does not have. */
    static boolean unknownRegion(String host) {
        if (host == null) {
            return false;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^[a-z0-9-]+(?:\\.[a-z0-9-]+)*?\\.([a-z]{2}(?:-[a-z]+)+-\\d+)\\.amazonaws\\.com")
                .matcher(host.trim().toLowerCase(java.util.Locale.ROOT));
        return m.find() && software.amazon.awssdk.regions.Region.regions().stream().noneMatch(r -> r.id().equals(m.group(1)));
    }

    private static boolean hasInterruptCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || (t instanceof InterruptedIOException && !(t instanceof java.net.SocketTimeoutException))) {
                return true;
            }
        }
        return false;
    }
}
