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
 * (access denied, validation, not found) is permanent.
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
            // No answer from the service (connection refused, reset, DNS): the same call may succeed later.
            return CutoverException.transientFailure(operation, operation + " could not reach AWS: " + e.getMessage(), e);
        }
        return CutoverException.permanent(operation, operation + " failed: " + e.getMessage(), e);
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
