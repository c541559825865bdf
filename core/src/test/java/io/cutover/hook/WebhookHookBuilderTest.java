package io.cutover.hook;

import static io.cutover.hook.Hooks.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookHookBuilderTest {

    private static final URI URL = URI.create("https://hooks.example.com/services/T000/B000/XXXX");

    @Test
    void defaults() {
        WebhookHook hook = webhook(URL).build();

        assertThat(hook.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(hook.headerNames()).isEmpty();
        assertThat(hook.signatureHeader()).isNull();
        assertThat(hook.toString()).isEqualTo("WebhookHook{POST https://hooks.example.com, timeout 10s}");
    }

    @Test
    void signingDefaultsToTheCutoverHeader() {
        assertThat(webhook(URL).sign("k").build().signatureHeader()).isEqualTo("X-Cutover-Signature");
        assertThat(webhook(URL).sign("k").signatureHeader("X-Sig").build().signatureHeader()).isEqualTo("X-Sig");
    }

    @Test
    void theSignatureMatchesRfc4231() {
        // RFC 4231, test case 2.
        String signature = WebhookText.signature("Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));

        assertThat(signature).isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void toBuilderDerivesAChangedCopy() {
        WebhookHook hook = webhook(URL).named("slack").sign("k").build();

        WebhookHook changed = hook.toBuilder().timeout(Duration.ofSeconds(3)).build();

        assertThat(changed.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(changed.signatureHeader()).isEqualTo("X-Cutover-Signature");
        assertThat(changed.toString()).startsWith("WebhookHook{slack,");
        assertThat(hook.timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theUriMustBeAPlainHttpUri() {
        assertThatThrownBy(() -> webhook((URI) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("webhook uri must not be null");
        assertThatThrownBy(() -> webhook("ftp://hooks.example.com/x"))
                .hasMessage("webhook uri must be an absolute http or https URI with a host: ftp://hooks.example.com");
        assertThatThrownBy(() -> webhook("https://bot:hunter2@hooks.example.com/x"))
                .hasMessage("webhook uri must not carry credentials (send them with header(...)): https://hooks.example.com")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> webhook("http://exa mple"))
                .hasMessageStartingWith("webhook uri is not valid: ");
    }

    @Test
    void theTimeoutMustBePositive() {
        assertThatThrownBy(() -> webhook(URL).timeout(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be positive: PT-0.005S");
    }

    @Test
    void headersMustBeValidAndNotManagedByTheWebhook() {
        assertThatThrownBy(() -> webhook(URL).header("Content-Type", "text/plain"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header Content-Type is set by the webhook and cannot be given");
        assertThatThrownBy(() -> webhook(URL).header("X Bad", "v"))
                .hasMessage("header must be a valid HTTP header name: 'X Bad'");
        assertThatThrownBy(() -> webhook(URL).header("Authorization", "Bearer s3cret\nX: y"))
                .hasMessage("header Authorization value must be non-null and free of CR and LF");
        assertThatThrownBy(() -> webhook(URL).signatureHeader("Host"))
                .hasMessage("signatureHeader Host is set by the webhook and cannot be given");
    }

    @Test
    void signingNeedsASecretAndItsOwnHeader() {
        assertThatThrownBy(() -> webhook(URL).sign(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("signing secret must not be empty");
        assertThatThrownBy(() -> webhook(URL).signatureHeader("X-Sig").build())
                .hasMessage("signatureHeader X-Sig is set but nothing signs: call sign(secret)");
        assertThatThrownBy(() -> webhook(URL).sign("k").header("x-cutover-signature", "v").build())
                .hasMessage("header X-Cutover-Signature would be replaced by the signature");
    }
}
