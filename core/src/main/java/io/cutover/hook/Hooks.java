package io.cutover.hook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;

/**
 * Ready-made lifecycle hooks, made for static import.
 *
 * <pre>{@code
 * import static io.cutover.hook.Hooks.webhook;
 *
 * Hook notify = webhook(URI.create("https://deploy-bot.example.com/cutover"))
 *         .named("deploy-bot")
 *         .header("Authorization", "Bearer " + token)
 *         .sign(sharedSecret)                       // X-Cutover-Signature: sha256=<hex>
 *         .build();
 * Deployment.canary().steps(10, 50).hook(HookStage.BEFORE_TRAFFIC, notify)...
 * }</pre>
 *
 * <p>Defaults of {@link #webhook}: a 10-second timeout (for connecting too), no extra headers, no
 * signature; a 2xx answer passes, anything else fails the hook.
 */
public final class Hooks {

    private Hooks() { }

    /**
     * A hook POSTing the rollout as JSON to {@code uri} (http or https, no credentials in it).
     *
     * @param uri an {@code http} or {@code https} URI without user info
     * @return a builder of the hook, its defaults documented on {@link WebhookHook.Builder}
     */
    public static WebhookHook.Builder webhook(URI uri) {
        return WebhookHook.builder(uri);
    }

    /**
     * {@link #webhook(URI)} of a URI given as text.
     *
     * @param uri an {@code http} or {@code https} URI without user info
     * @return a builder of the hook
     */
    public static WebhookHook.Builder webhook(String uri) {
        if (uri == null) {
            throw new IllegalArgumentException("webhook uri must not be null");
        }
        try {
            return webhook(new URI(uri));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("webhook uri is not valid: " + e.getReason() + " at index " + e.getIndex(), e);
        }
    }

    /**
     * For receivers: whether {@code signatureHeader} (the value of {@code X-Cutover-Signature},
     * {@code t=<epoch seconds>,sha256=<hex>}) was made by {@code secret} for exactly {@code body}, no
     * further than {@code tolerance} from {@code now}. The comparison takes constant time; a missing,
     * malformed or stale signature is refused.
     *
     * <pre>{@code
     * boolean ok = Hooks.verify(secret, request.header("X-Cutover-Signature"), rawBody,
     *         Instant.now(), Duration.ofMinutes(5));
     * }</pre>
     *
     * @param secret          the shared secret
     * @param signatureHeader the header's value as received, or {@code null}
     * @param body            the body as received, byte for byte
     * @param now             the receiver's current instant
     * @param tolerance       how far the signed time may lie from {@code now}, either way
     * @return {@code true} only for a well-formed, fresh signature of this body by this secret
     */
    public static boolean verify(byte[] secret, String signatureHeader, byte[] body, Instant now, Duration tolerance) {
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        if (now == null || tolerance == null || tolerance.isNegative()) {
            throw new IllegalArgumentException("now and a non-negative tolerance are needed: " + now + ", " + tolerance);
        }
        if (signatureHeader == null || body == null || signatureHeader.length() > 200) {
            return false;
        }
        Long t = null;
        String given = null;
        for (String part : signatureHeader.split(",")) {
            String p = part.strip();
            if (p.startsWith("t=") && p.length() > 2 && p.length() <= 14 && p.substring(2).chars().allMatch(Character::isDigit)) {
                t = Long.parseLong(p.substring(2));
            } else if (p.startsWith("sha256=")) {
                given = p;
            }
        }
        if (t == null || given == null) {
            return false;
        }
        Duration skew = Duration.between(Instant.ofEpochSecond(t), now).abs();
        String expected = WebhookText.signature(secret, WebhookText.signedContent(t, body));
        boolean matches = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
        return matches && skew.compareTo(tolerance) <= 0;
    }

    /**
     * {@link #verify(byte[], String, byte[], Instant, Duration)} with a secret given as text (its UTF-8 bytes).
     *
     * @param secret          the shared secret, as text
     * @param signatureHeader the header's value as received, or {@code null}
     * @param body            the body as received, byte for byte
     * @param now             the receiver's current instant
     * @param tolerance       how far the signed time may lie from {@code now}, either way
     * @return {@code true} only for a well-formed, fresh signature of this body by this secret
     */
    public static boolean verify(String secret, String signatureHeader, byte[] body, Instant now, Duration tolerance) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        return verify(secret.getBytes(StandardCharsets.UTF_8), signatureHeader, body, now, tolerance);
    }
}
