package io.cutover.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.internal.Redaction;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one cleaning of remote text: what it removes, what it keeps. */
class RedactionTest {

    @Test
    void knownSecretsAreRemovedInPlainAndBase64Forms() {
        Redaction r = Redaction.of(List.of("Bearer tok-3f9a-s3cret", Redaction.basicPair("deployer", "pa55-s3cret")));
        String pair = Base64.getEncoder().encodeToString("deployer:pa55-s3cret".getBytes());

        assertThat(r.apply("echo: tok-3f9a-s3cret / " + pair + " / deployer:pa55-s3cret"))
                .isEqualTo("echo: [redacted] / [redacted] / [redacted]");
    }

    @Test
    void credentialLookingValuesAreRemovedWithoutBeingKnown() {
        assertThat(Redaction.text("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig")).doesNotContain("eyJ").contains("[redacted]");
        assertThat(Redaction.text("proxy said Basic ZGVwbG95ZXI6cGFzcw== is wrong")).doesNotContain("ZGVwbG95ZXI6cGFzcw");
        assertThat(Redaction.text("redirect to https://deployer:pa55@prom.example.com/api/v1/query"))
                .isEqualTo("redirect to https://[redacted]@prom.example.com/api/v1/query");
        assertThat(Redaction.text("{\"access_token\":\"abc123xyz\",\"password\": \"hunter22\"}"))
                .doesNotContain("abc123xyz").doesNotContain("hunter22");
        assertThat(Redaction.text("GET /api?token=t0ps3cret&x=1")).doesNotContain("t0ps3cret").contains("x=1");
        assertThat(Redaction.text("X-Api-Key: k-12345")).isEqualTo("X-Api-Key: [redacted]");
    }

    @Test
    void crAndLfCannotForgeALogLine() {
        String forged = Redaction.text("denied\r\n2026-01-01 INFO rollout myapp SUCCEEDED\u2028\u001b[2J");

        assertThat(forged).doesNotContain("\r").doesNotContain("\n").doesNotContain("\u2028").doesNotContain("\u001b")
                .startsWith("denied  2026-01-01 INFO");
    }

    @Test
    void lengthIsCappedWithANoteOfTheCut() {
        String cut = Redaction.text("x".repeat(5_000_000));

        assertThat(cut).hasSizeLessThan(Redaction.DEFAULT_MAX_CHARS + 60).endsWith("(cut at 500 of 5000000 characters)");
        assertThat(Redaction.none().maxChars(20).apply("short")).isEqualTo("short");
    }

    @Test
    void aCutThroughAKnownSecretLeavesNoPartOfIt() {
        String secret = "S3cretS3cretS3cretS3cretS3cretS3cret1234";
        String cleaned = Redaction.of(List.of(secret)).maxChars(30).apply("x" + secret.repeat(3));

        assertThat(cleaned).startsWith("x[redacted][redacted]").doesNotContain("S3c");
    }

    @Test
    void ordinaryTextIsKept() {
        String text = "gate success-rate failed: 0.82 < 0.95 over 5m (basic check of myapp)";

        assertThat(Redaction.text(text)).isEqualTo(text);
        assertThat(Redaction.text(null)).isEmpty();
    }
}
