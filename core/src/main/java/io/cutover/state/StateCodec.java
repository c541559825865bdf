package io.cutover.state;

import io.cutover.CutoverException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Reads and writes {@link RolloutState} as JSON, for every store (file, ConfigMap, ...). */
public final class StateCodec {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private StateCodec() { }

    public static String toJson(RolloutState state) {
        return MAPPER.writeValueAsString(state);
    }

    /** @throws CutoverException of kind STATE, naming where the JSON came from, when it cannot be read */
    public static RolloutState fromJson(String json, String source) {
        try {
            RolloutState state = MAPPER.readValue(json, RolloutState.class);
            if (state == null) {
                throw new CutoverException(CutoverException.Kind.STATE, "read state", "rollout state in " + source + " is empty");
            }
            return state;
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new CutoverException(CutoverException.Kind.STATE, "read state",
                    "rollout state in " + source + " is corrupt: " + e.getMessage(), e);
        }
    }
}
