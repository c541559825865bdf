package io.cutover.state;

import io.cutover.CutoverException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates saved rollout state, so that whoever can write the store (the state ConfigMap, the
 * state directory) but does not hold the key cannot change what an engine deploys.
 *
 * <p>{@link #hmacSha256(byte[])} seals each saved JSON text with an HMAC-SHA256 of its exact bytes,
 * appended as a last member {@code "seal":"hmac-sha256:<hex>"}; a load refuses a text whose seal is
 * missing or does not match, saying the state was altered. The seal covers the rollout's name, so a
 * state cannot be moved to another rollout; it does not stop someone with write access from putting
 * back an older sealed state of the same rollout. {@link #none()} seals nothing and trusts what it
 * reads.
 *
 * <pre>{@code
 * byte[] key = Base64.getDecoder().decode(System.getenv("CUTOVER_STATE_KEY"));   // 32 random bytes or more
 * RolloutEngine engine = RolloutEngine.builder()
 *         .withStateStore(new FileStateStore(dir))
 *         .stateKey(key)
 *         .build();
 * }</pre>
 */
public final class StateIntegrity {

    /** The shortest key accepted, in bytes: the HMAC-SHA256 output size. */
    public static final int MIN_KEY_BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] DOMAIN = "cutover rollout state v1\n".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern SEAL = Pattern.compile(",\"seal\":\"hmac-sha256:([0-9a-f]{64})\"}\\s*$");
    private static final StateIntegrity NONE = new StateIntegrity(null);

    private final SecretKeySpec key;

    private StateIntegrity(SecretKeySpec key) {
        this.key = key;
    }

    /**
     * No seal: what is read is trusted (validated for bounds only).
     *
     * @return the trusting integrity
     */
    public static StateIntegrity none() {
        return NONE;
    }

    /**
     * Seals with HMAC-SHA256 under {@code key}, at least {@value #MIN_KEY_BYTES} bytes (a copy is kept).
     *
     * @param key the secret key
     * @return the sealing integrity
     * @throws IllegalArgumentException if the key is shorter
     */
    public static StateIntegrity hmacSha256(byte[] key) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("state key must be at least " + MIN_KEY_BYTES + " bytes, got "
                    + (key == null ? "none" : key.length));
        }
        return new StateIntegrity(new SecretKeySpec(key.clone(), ALGORITHM));
    }

    /**
     * Whether saved state is sealed and checked.
     *
     * @return {@code true} for {@link #hmacSha256(byte[])}
     */
    public boolean sealed() {
        return key != null;
    }

    /** {@code json} (one JSON object) with its seal appended; unchanged when nothing seals. */
    String seal(String json) {
        if (key == null) {
            return json;
        }
        String body = json.strip();
        if (!body.endsWith("}")) {
            throw new IllegalArgumentException("only a JSON object can be sealed");
        }
        return body.substring(0, body.length() - 1) + ",\"seal\":\"hmac-sha256:" + HexFormat.of().formatHex(mac(body)) + "\"}";
    }

    /**
     * The JSON as it was before sealing, once its seal is checked.
     *
     * @throws CutoverException of kind STATE, saying the state was altered, when the seal is missing or wrong
     */
    String open(String text, String source) {
        if (key == null) {
            return text;
        }
        Matcher m = SEAL.matcher(text);
        if (!m.find()) {
            throw altered(source, "it carries no seal (written without the state key, or the seal was removed)");
        }
        String body = text.substring(0, m.start()) + "}";
        byte[] given = HexFormat.of().parseHex(m.group(1));
        if (!MessageDigest.isEqual(given, mac(body))) {
            throw altered(source, "its seal does not match its content (or it was sealed with another key)");
        }
        return body;
    }

    static CutoverException altered(String source, String why) {
        return new CutoverException(CutoverException.Kind.STATE, "read state",
                "rollout state in " + source + " was altered or is corrupt, refused: " + why);
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(DOMAIN);
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return key == null ? "StateIntegrity[none]" : "StateIntegrity[hmac-sha256]";
    }
}
