package io.cutover.kubernetes.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Object names Cutover derives from rollout names. */
public final class Names {

    private Names() { }

    /**
     * A DNS-1123 subdomain {@code prefix + name}, at most 63 characters. When the rollout name had to
     * be changed to fit, a short hash of the original keeps two different names apart.
     */
    public static String objectName(String prefix, String name) {
        String cleaned = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-").replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
        String candidate = prefix + cleaned;
        if (cleaned.equals(name) && candidate.length() <= 63) {
            return candidate;
        }
        String hash = hash(name);
        int room = 63 - prefix.length() - hash.length() - 1;
        String head = cleaned.length() > room ? cleaned.substring(0, room) : cleaned;
        head = head.replaceAll("[^a-z0-9]+$", "");
        return prefix + (head.isEmpty() ? "" : head + "-") + hash;
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
