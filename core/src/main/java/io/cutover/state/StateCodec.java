package io.cutover.state;

import io.cutover.CutoverException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes {@link RolloutState} as JSON, for every store (file, ConfigMap, ...). What is read
 * is bounded ({@link StateValidator#MAX_JSON_CHARS} characters at most), checked against its seal when
 * a {@link StateIntegrity} with a key is given, and validated by {@link StateValidator} before use.
 */
public final class StateCodec {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private StateCodec() { }

    /**
     * The state as unsealed JSON, texts cut to {@link StateValidator#MAX_TEXT_CHARS}.
     *
     * @param state the state
     * @return the JSON text
     */
    public static String toJson(RolloutState state) {
        return toJson(state, StateIntegrity.none());
    }

    /**
     * The state as JSON sealed by {@code integrity}, texts cut to {@link StateValidator#MAX_TEXT_CHARS}.
     *
     * @param state     the state
     * @param integrity the seal to add; {@link StateIntegrity#none()} adds none
     * @return the JSON text
     */
    public static String toJson(RolloutState state, StateIntegrity integrity) {
        return integrity.seal(MAPPER.writeValueAsString(StateValidator.bounded(state)), state.name());
    }

    /**
     * {@link #fromJson(String, String, StateIntegrity)} trusting the text's origin (no seal checked).
     *
     * @param json   the JSON text
     * @param source where it came from, for messages (a file, a ConfigMap)
     * @return the checked state
     */
    public static RolloutState fromJson(String json, String source) {
        return fromJson(json, source, StateIntegrity.none());
    }

    /**
     * The state in {@code json}, once its size, its seal (when {@code integrity} has a key) and its
     * fields are checked; history and measurements are trimmed to what an engine keeps.
     *
     * @throws CutoverException of kind STATE, naming where the JSON came from, when it cannot be read or
     *                          was altered
     * @param json      the JSON text
     * @param source    where it came from, for messages (a file, a ConfigMap)
     * @param integrity the key the seal must match, or {@link StateIntegrity#none()}
     * @return the checked state
     */
    public static RolloutState fromJson(String json, String source, StateIntegrity integrity) {
        if (json == null || json.isBlank()) {
            throw new CutoverException(CutoverException.Kind.STATE, "read state", "rollout state in " + source + " is empty");
        }
        if (json.length() > StateValidator.MAX_JSON_CHARS) {
            throw StateIntegrity.altered(source, "it is " + json.length() + " characters long, over the limit of "
                    + StateValidator.MAX_JSON_CHARS);
        }
        StateIntegrity.Opened opened = integrity.open(json, source);
        String body = opened.body();
        RolloutState state;
        try {
            state = MAPPER.readValue(body, RolloutState.class);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new CutoverException(CutoverException.Kind.STATE, "read state",
                    "rollout state in " + source + " is corrupt: "
                            + io.cutover.internal.Redaction.none().maxChars(300).apply(e.getMessage()), e);
        }
        if (state == null) {
            throw new CutoverException(CutoverException.Kind.STATE, "read state", "rollout state in " + source + " is empty");
        }
        RolloutState checked = StateValidator.check(state, source);
        integrity.admit(checked.name(), checked.startedAt(), opened.count(), source);
        return checked;
    }
}
