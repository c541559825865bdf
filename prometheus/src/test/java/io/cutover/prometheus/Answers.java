package io.cutover.prometheus;

import java.time.Instant;

/** Prometheus HTTP API answers, written as the server writes them. */
final class Answers {

    static final Instant AT = Instant.parse("2026-01-01T00:30:00Z");
    static final String TS = "1767227400";

    private Answers() { }

    static String vector(String... samples) {
        return success("{\"resultType\":\"vector\",\"result\":[" + String.join(",", samples) + "]}");
    }

    static String sample(String value) {
        return sample("{}", value);
    }

    static String sample(String labels, String value) {
        return "{\"metric\":" + labels + ",\"value\":[" + TS + ".123,\"" + value + "\"]}";
    }

    static String scalar(String value) {
        return success("{\"resultType\":\"scalar\",\"result\":[" + TS + ",\"" + value + "\"]}");
    }

    static String string(String value) {
        return success("{\"resultType\":\"string\",\"result\":[" + TS + ",\"" + value + "\"]}");
    }

    static String matrix(String labels, String... values) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            points.append(i == 0 ? "" : ",").append("[").append(Long.parseLong(TS) + 60L * i).append(",\"").append(values[i]).append("\"]");
        }
        return success("{\"resultType\":\"matrix\",\"result\":[{\"metric\":" + labels + ",\"values\":[" + points + "]}]}");
    }

    static String success(String data) {
        return "{\"status\":\"success\",\"data\":" + data + "}";
    }

    static String withWarnings(String answer, String key, String... texts) {
        StringBuilder list = new StringBuilder();
        for (String t : texts) {
            list.append(list.length() == 0 ? "" : ",").append('"').append(t).append('"');
        }
        return answer.substring(0, answer.length() - 1) + ",\"" + key + "\":[" + list + "]}";
    }

    static String error(String type, String message) {
        return "{\"status\":\"error\",\"errorType\":\"" + type + "\",\"error\":\"" + message + "\"}";
    }
}
