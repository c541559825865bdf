package io.cutover.prometheus.internal;

import io.cutover.internal.Redaction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Cleans text that came back from the server with the core's one {@link Redaction}: the secrets of
 * one request (token, password, basic pair, in plain and Base64) and anything credential-looking
 * removed, control characters stripped, the length capped.
 */
public final class Redactor {

    /** Characters of a server's message kept in an exception, detail or log line. */
    public static final int MAX_CHARS = 500;

    private Redactor() { }

    public static UnaryOperator<String> of(String token, String basicUser, String basicPassword) {
        List<String> secrets = new ArrayList<>();
        if (token != null) {
            secrets.add(token);
        }
        if (basicPassword != null && !basicPassword.isEmpty()) {
            secrets.add(Redaction.basicPair(basicUser, basicPassword));
            secrets.add(basicPassword);
        }
        Redaction redaction = Redaction.of(secrets).maxChars(MAX_CHARS);
        return redaction::apply;
    }
}
