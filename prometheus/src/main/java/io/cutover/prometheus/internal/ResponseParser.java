package io.cutover.prometheus.internal;

import io.cutover.CutoverException.Kind;
import io.cutover.prometheus.PrometheusException;
import io.cutover.prometheus.QueryResponse;
import io.cutover.prometheus.QueryResult;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a Prometheus HTTP API answer strictly: anything that is not exactly a documented answer
 * becomes a {@link PrometheusException} saying what was wrong, never a guessed number.
 */
public final class ResponseParser {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Pattern FLOAT = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private ResponseParser() { }

    /**
     * @param operation   the verb and resource, for messages ({@code "GET /api/v1/query"})
     * @param statusCode  the HTTP status
     * @param contentType the Content-Type header, or an empty string
     * @param body        the body as received
     * @param redact      removes secrets from text taken from the body
     */
    public static QueryResponse parse(String operation, int statusCode, String contentType, byte[] body,
                                      java.util.function.UnaryOperator<String> redact) {
        JsonNode root;
        try {
            root = body.length == 0 ? null : JSON.readTree(body);
        } catch (UnexpectedEndOfInputException e) {
            throw new PrometheusException(statusCode >= 200 && statusCode < 300 || transientStatus(statusCode) ? Kind.TRANSIENT : Kind.PERMANENT,
                    operation, operation + ": HTTP " + statusCode + " with a truncated JSON body (" + body.length
                    + " bytes; connection cut?)", null, statusCode, e);
        } catch (JacksonException e) {
            throw nonJson(operation, statusCode, contentType, body, redact, e);
        }
        if (root == null || root.isMissingNode()) {
            throw new PrometheusException(transientStatus(statusCode) || statusCode / 100 == 2 ? Kind.TRANSIENT : Kind.PERMANENT,
                    operation, operation + ": HTTP " + statusCode + " with an empty body", null, statusCode, null);
        }
        if (!root.isObject()) {
            throw nonJson(operation, statusCode, contentType, body, redact, null);
        }
        JsonNode status = root.get("status");
        if (status != null && status.isString() && status.stringValue().equals("error")) {
            throw serverError(operation, statusCode, root, redact);
        }
        if (status == null || !status.isString() || !status.stringValue().equals("success")) {
            throw malformed(operation, statusCode, "'status' is " + (status == null ? "missing" : status) + ", not success or error");
        }
        if (statusCode / 100 != 2) {
            throw malformed(operation, statusCode, "status success with HTTP " + statusCode);
        }
        try {
            QueryResult result = data(root.get("data"));
            return new QueryResponse(result, strings(root.get("warnings"), "warnings"), strings(root.get("infos"), "infos"));
        } catch (Malformed e) {
            throw malformed(operation, statusCode, e.getMessage());
        }
    }

    private static QueryResult data(JsonNode data) {
        if (data == null || !data.isObject()) {
            throw new Malformed("'data' is missing or not an object");
        }
        String type = text(data.get("resultType"), "data.resultType");
        JsonNode result = data.get("result");
        if (result == null || !result.isArray()) {
            throw new Malformed("'data.result' is missing or not an array");
        }
        return switch (type) {
            case "vector" -> vector(result);
            case "matrix" -> matrix(result);
            case "scalar" -> new QueryResult.Scalar(time(result, "scalar"), value(result, "scalar"));
            case "string" -> new QueryResult.Text(time(result, "string"), text(pair(result, "string").get(1), "string value"));
            default -> throw new Malformed("unknown resultType '" + type + "'");
        };
    }

    private static QueryResult.Vector vector(JsonNode result) {
        List<QueryResult.Sample> samples = new ArrayList<>(result.size());
        for (JsonNode s : result.values()) {
            Map<String, String> labels = labels(s);
            if (s.has("histogram")) {
                throw new Malformed("series " + labels + " holds a native histogram, not a number: "
                        + "wrap it in histogram_quantile(), histogram_count() or histogram_sum()");
            }
            JsonNode value = s.get("value");
            samples.add(new QueryResult.Sample(labels, time(value, "value"), value(value, "value")));
        }
        return new QueryResult.Vector(samples);
    }

    private static QueryResult.Matrix matrix(JsonNode result) {
        List<QueryResult.Series> series = new ArrayList<>(result.size());
        for (JsonNode s : result.values()) {
            Map<String, String> labels = labels(s);
            if (s.has("histograms")) {
                throw new Malformed("series " + labels + " holds native histograms, not numbers");
            }
            JsonNode values = s.get("values");
            if (values == null || !values.isArray()) {
                throw new Malformed("matrix series " + labels + " has no 'values' array");
            }
            List<QueryResult.Point> points = new ArrayList<>(values.size());
            for (JsonNode p : values.values()) {
                points.add(new QueryResult.Point(time(p, "point"), value(p, "point")));
            }
            series.add(new QueryResult.Series(labels, points));
        }
        return new QueryResult.Matrix(series);
    }

    private static Map<String, String> labels(JsonNode series) {
        if (!series.isObject()) {
            throw new Malformed("a series is not an object: " + abbreviate(series.toString()));
        }
        JsonNode metric = series.get("metric");
        if (metric == null || !metric.isObject()) {
            throw new Malformed("a series has no 'metric' object");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : metric.properties()) {
            labels.put(e.getKey(), text(e.getValue(), "label " + e.getKey()));
        }
        return labels;
    }

    private static JsonNode pair(JsonNode node, String what) {
        if (node == null || !node.isArray() || node.size() != 2) {
            throw new Malformed(what + " is not a [time, value] pair: " + (node == null ? "missing" : abbreviate(node.toString())));
        }
        return node;
    }

    private static Instant time(JsonNode node, String what) {
        JsonNode t = pair(node, what).get(0);
        if (!t.isNumber()) {
            throw new Malformed(what + " time is not a number: " + t);
        }
        BigDecimal seconds = t.decimalValue();
        try {
            long whole = seconds.longValue();
            long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            return Instant.ofEpochSecond(whole, nanos);
        } catch (java.time.DateTimeException | ArithmeticException e) {
            throw new Malformed(what + " time is out of range: " + t);
        }
    }

    private static double value(JsonNode node, String what) {
        JsonNode v = pair(node, what).get(1);
        String s = text(v, what + " value");
        return parseValue(s);
    }

    /** A sample value as Prometheus writes it: a decimal, {@code NaN}, {@code +Inf} or {@code -Inf}. */
    static double parseValue(String s) {
        switch (s) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!FLOAT.matcher(s).matches()) {
                    throw new Malformed("sample value is not a number: '" + abbreviate(s) + "'");
                }
                return Double.parseDouble(s);
        }
    }

    private static String text(JsonNode node, String what) {
        if (node == null || !node.isString()) {
            throw new Malformed(what + " is " + (node == null ? "missing" : "not a string: " + abbreviate(node.toString())));
        }
        return node.stringValue();
    }

    private static List<String> strings(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new Malformed("'" + what + "' is not an array");
        }
        List<String> out = new ArrayList<>(node.size());
        for (JsonNode n : node.values()) {
            out.add(text(n, what + " entry"));
        }
        return out;
    }

    private static PrometheusException serverError(String operation, int statusCode, JsonNode root,
                                                   java.util.function.UnaryOperator<String> redact) {
        JsonNode typeNode = root.get("errorType");
        JsonNode errorNode = root.get("error");
        String type = typeNode != null && typeNode.isString() ? typeNode.stringValue() : null;
        String error = errorNode != null && errorNode.isString() ? redact.apply(errorNode.stringValue()) : "(no error message)";
        Kind kind = switch (type == null ? "" : type) {
            case "timeout", "canceled", "unavailable", "internal" -> Kind.TRANSIENT;
            case "bad_data", "execution", "not_found", "not_acceptable" -> Kind.PERMANENT;
            default -> transientStatus(statusCode) ? Kind.TRANSIENT : Kind.PERMANENT;
        };
        return new PrometheusException(kind, operation, operation + " failed (" + (type == null ? "no errorType" : type)
                + ", HTTP " + statusCode + "): " + error, type, statusCode, null);
    }

    private static PrometheusException nonJson(String operation, int statusCode, String contentType, byte[] body,
                                               java.util.function.UnaryOperator<String> redact, Throwable cause) {
        String hint = switch (statusCode) {
            case 401 -> " (unauthorized: check the bearer token or basic auth)";
            case 403 -> " (forbidden: check the credentials' permissions)";
            case 404 -> " (not found: is the base URI the Prometheus server, including any path prefix?)";
            default -> "";
        };
        String excerpt = redact.apply(abbreviate(new String(body, StandardCharsets.UTF_8)));
        return new PrometheusException(transientStatus(statusCode) ? Kind.TRANSIENT : Kind.PERMANENT, operation,
                operation + ": HTTP " + statusCode + " with a body that is not a Prometheus answer"
                        + (contentType.isEmpty() ? "" : " (" + contentType + ")") + hint + ": " + excerpt,
                null, statusCode, cause);
    }

    private static PrometheusException malformed(String operation, int statusCode, String detail) {
        return new PrometheusException(transientStatus(statusCode) ? Kind.TRANSIENT : Kind.PERMANENT, operation,
                operation + ": HTTP " + statusCode + " with a malformed answer: " + detail, null, statusCode, null);
    }

    /** Statuses where the same request may succeed later. */
    public static boolean transientStatus(int statusCode) {
        return statusCode == 429 || statusCode == 408 || statusCode >= 500;
    }

    static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    /** A shape error inside an otherwise readable answer. */
    private static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
