package io.cutover.state;

import io.cutover.CutoverException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates saved rollout state, so that whoever can write the store (the state ConfigMap, the
 * state directory) but does not hold the key cannot change what an engine deploys.
 *
 * <p>{@link #hmacSha256(byte[], byte[]...)} seals each saved JSON text with an HMAC-SHA256 of its
 * exact bytes, appended as a last member {@code "seal":"hmac-sha256:<hex>"}; a load refuses a text
 * whose seal is missing or does not match, saying the state was altered. The seal covers the
 * rollout's name, so a state cannot be moved to another rollout.
 *
 * <p><b>Replays.</b> Each seal also covers a save counter ({@code "sealedSaves"}) that grows along the
 * rollout's chain of compare-and-set saves. This object remembers, per rollout, the newest state it has
 * opened (the start of that run of the rollout and its counter), and refuses an older one: an older,
 * validly sealed state put back in the store is refused by every engine that has seen a newer one. A
 * process that has never read the rollout cannot tell an old state from the newest; deleting a state
 * is not detected either.
 *
 * <p><b>Key rotation.</b> {@code hmacSha256(current, previous...)} seals with {@code current} and
 * opens a state sealed with any of the keys, so states saved before a rotation stay readable and are
 * sealed with the new key at their next save.
 *
 * <p>{@link #none()} seals nothing and trusts what it reads.
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
    private static final Pattern COUNTER = Pattern.compile(",\"sealedSaves\":([0-9]{1,18})}$");
    private static final StateIntegrity NONE = new StateIntegrity(null, List.of());

    private final SecretKeySpec key;
    private final List<SecretKeySpec> previous;
    private final Map<String, Seen> newestOpened = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSealed = new ConcurrentHashMap<>();

    private StateIntegrity(SecretKeySpec key, List<SecretKeySpec> previous) {
        this.key = key;
        this.previous = previous;
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
     * Seals with HMAC-SHA256 under {@code key} and opens states sealed with it or with any of
     * {@code previous} (keys being rotated out); every key at least {@value #MIN_KEY_BYTES} bytes (copies
     * are kept).
     *
     * @param key      the secret key states are sealed with
     * @param previous older keys still accepted when a state is read
     * @return the sealing integrity
     * @throws IllegalArgumentException if a key is shorter
     */
    public static StateIntegrity hmacSha256(byte[] key, byte[]... previous) {
        checkKey("state key", key);
        List<SecretKeySpec> older = new ArrayList<>();
        for (int i = 0; i < (previous == null ? 0 : previous.length); i++) {
            checkKey("previous state key " + (i + 1), previous[i]);
            older.add(new SecretKeySpec(previous[i].clone(), ALGORITHM));
        }
        return new StateIntegrity(new SecretKeySpec(key.clone(), ALGORITHM), List.copyOf(older));
    }

    private static void checkKey(String name, byte[] key) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(name + " must be at least " + MIN_KEY_BYTES + " bytes, got "
                    + (key == null ? "none" : key.length));
        }
    }

    /**
     * Whether saved state is sealed and checked.
     *
     * @return {@code true} for {@link #hmacSha256(byte[], byte[]...)}
     */
    public boolean sealed() {
        return key != null;
    }

    /**
     * {@code json} (one JSON object, the state of {@code rollout}) with the next save counter and its seal
     * appended; unchanged when nothing seals.
     */
    String seal(String json, String rollout) {
        if (key == null) {
            return json;
        }
        String body = json.strip();
        if (!body.endsWith("}")) {
            throw new IllegalArgumentException("only a JSON object can be sealed");
        }
        Seen opened = newestOpened.get(rollout);
        long count = lastSealed.merge(rollout, (opened == null ? 0 : opened.count()) + 1,
                (sealedBefore, afterOpened) -> Math.max(sealedBefore + 1, afterOpened));
        String counted = body.substring(0, body.length() - 1) + ",\"sealedSaves\":" + count + "}";
        return counted.substring(0, counted.length() - 1) + ",\"seal\":\"hmac-sha256:"
                + HexFormat.of().formatHex(mac(key, counted)) + "\"}";
    }

    /** A state's JSON once its seal is checked, and the save counter the seal covers (0 when none). */
    record Opened(String body, long count) { }

    /**
     * The JSON as it was sealed, once its seal is checked.
     *
     * @throws CutoverException of kind STATE, saying the state was altered, when the seal is missing or wrong
     */
    Opened open(String text, String source) {
        if (key == null) {
            return new Opened(text, 0);
        }
        Matcher m = SEAL.matcher(text);
        if (!m.find()) {
            throw altered(source, "it carries no seal (written without the state key, or the seal was removed)");
        }
        String body = text.substring(0, m.start()) + "}";
        byte[] given = HexFormat.of().parseHex(m.group(1));
        boolean matches = MessageDigest.isEqual(given, mac(key, body));
        for (SecretKeySpec older : previous) {
            matches |= MessageDigest.isEqual(given, mac(older, body));
        }
        if (!matches) {
            throw altered(source, "its seal does not match its content (or it was sealed with another key)");
        }
        Matcher c = COUNTER.matcher(body);
        return new Opened(body, c.find() ? Long.parseLong(c.group(1)) : 0);
    }

    /** The newest state of a rollout read so far: when that run of the rollout started, and its save counter. */
    private record Seen(java.time.Instant startedAt, long count) {
        boolean olderThan(Seen other) {
            int started = startedAt.compareTo(other.startedAt);
            return started < 0 || started == 0 && count < other.count;
        }
    }

    /**
     * Records that the state of {@code rollout} started at {@code startedAt} and sealed at save
     * {@code count} was read, or refuses it when a newer one of that rollout was read before (a replayed
     * state). A state of a later run of the rollout (started again after its state was deleted) is newer
     * whatever its counter.
     */
    void admit(String rollout, java.time.Instant startedAt, long count, String source) {
        if (key == null) {
            return;
        }
        Seen read = new Seen(startedAt == null ? java.time.Instant.MIN : startedAt, count);
        Seen newest = newestOpened.merge(rollout, read, (before, now) -> now.olderThan(before) ? before : now);
        if (read.olderThan(newest)) {
            throw altered(source, "it is an older state of rollout " + rollout + " put back (save " + count + " of the run started "
                    + read.startedAt() + ", while save " + newest.count() + " of the run started " + newest.startedAt()
                    + " was read before)");
        }
    }

    static CutoverException altered(String source, String why) {
        return new CutoverException(CutoverException.Kind.STATE, "read state",
                "rollout state in " + source + " was altered or is corrupt, refused: " + why);
    }

    private static byte[] mac(SecretKeySpec key, String body) {
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
        return key == null ? "StateIntegrity[none]"
                : "StateIntegrity[hmac-sha256" + (previous.isEmpty() ? "" : ", " + previous.size() + " previous key(s)") + "]";
    }
}
