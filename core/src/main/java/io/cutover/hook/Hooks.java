package io.cutover.hook;

import java.net.URI;

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

    /** A hook POSTing the rollout as JSON to {@code uri} (http or https, no credentials in it). */
    public static WebhookHook.Builder webhook(URI uri) {
        return WebhookHook.builder(uri);
    }

    /** {@link #webhook(URI)} of a URI given as text. */
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
}
