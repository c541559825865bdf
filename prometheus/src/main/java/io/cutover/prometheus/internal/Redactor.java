package io.cutover.prometheus.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

/** Replaces the secrets of one request (token, password, basic credentials) in text that came back from the server. */
public final class Redactor {

    private Redactor() { }

    public static UnaryOperator<String> of(String token, String basicUser, String basicPassword) {
        List<String> secrets = new ArrayList<>();
        if (token != null) {
            secrets.add(token);
        }
        if (basicPassword != null && !basicPassword.isEmpty()) {
            secrets.add(Base64.getEncoder().encodeToString((basicUser + ":" + basicPassword).getBytes(StandardCharsets.UTF_8)));
            secrets.add(basicPassword);
        }
        return text -> {
            String out = text;
            for (String s : secrets) {
                out = out.replace(s, "***");
            }
            return out;
        };
    }
}
