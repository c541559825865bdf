package io.cutover.kubernetes.internal;

import java.util.regex.Pattern;

/**
 * Checks of the names and label parts a user gives, before any of them becomes part of an API path
 * or an object: a name that is not DNS-1123 (say {@code x/../../..}) is refused at build time, with a
 * message naming the parameter, and never reaches the API server.
 */
public final class KubeNames {

    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
    private static final Pattern QUALIFIED = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

    private KubeNames() { }

    /** An object name (Deployment, ConfigMap, HTTPRoute, Lease): a DNS-1123 subdomain of at most 253 characters. */
    public static String objectName(String parameter, String value) {
        if (value == null || value.length() > 253 || !SUBDOMAIN.matcher(value).matches()) {
            throw new IllegalArgumentException(parameter + " must be a DNS-1123 name (lower-case letters, digits, '-' and '.', "
                    + "starting and ending with a letter or digit, at most 253 characters): '" + shown(value) + "'");
        }
        return value;
    }

    /** A DNS-1123 label of at most 63 characters (a namespace, a container). */
    public static String label(String parameter, String value) {
        if (value == null || value.length() > 63 || !LABEL.matcher(value).matches()) {
            throw new IllegalArgumentException(parameter + " must be a DNS-1123 label (lower-case letters, digits and '-', "
                    + "starting and ending with a letter or digit, at most 63 characters): '" + shown(value) + "'");
        }
        return value;
    }

    /** A label key: an optional DNS-1123 subdomain prefix and '/', then a name of at most 63 characters. */
    public static String labelKey(String parameter, String value) {
        if (value == null) {
            throw new IllegalArgumentException(parameter + " must be a label key: 'null'");
        }
        int slash = value.indexOf('/');
        String name = slash < 0 ? value : value.substring(slash + 1);
        boolean prefixOk = slash < 0 || slash <= 253 && SUBDOMAIN.matcher(value.substring(0, slash)).matches();
        if (!prefixOk || name.length() > 63 || !QUALIFIED.matcher(name).matches()) {
            throw new IllegalArgumentException(parameter + " must be a label key ([prefix/]name, the name at most 63 letters, "
                    + "digits, '-', '_' or '.'): '" + shown(value) + "'");
        }
        return value;
    }

    /** A label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit. */
    public static String labelValue(String parameter, String value) {
        if (value == null || value.isEmpty() || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException(parameter + " must be a label value (at most 63 letters, digits, '-', '_' or '.', "
                    + "starting and ending with a letter or digit): '" + shown(value) + "'");
        }
        return value;
    }

    private static String shown(String value) {
        return value == null ? "null" : io.cutover.internal.Redaction.none().maxChars(100).apply(value);
    }
}
