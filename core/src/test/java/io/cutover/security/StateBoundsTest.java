package io.cutover.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.Phase;
import io.cutover.spi.Revision;
import io.cutover.state.HistoryEntry;
import io.cutover.state.RolloutState;
import io.cutover.state.StateCodec;
import io.cutover.state.StateIntegrity;
import io.cutover.state.StateValidator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Finding: "no validation, no size bound" on a loaded state. */
class StateBoundsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final RolloutState STATE = RolloutState.initial("myapp", "myapp", Revision.of("v2.0.0", "myapp:v2.0.0"),
            "0123456789abcdef", 4, "v1.0.0", T0);

    private static ObjectNode tree(RolloutState s) {
        return (ObjectNode) JSON.readTree(StateCodec.toJson(s));
    }

    @Test
    void a52MegabyteStateWith50000HistoryEntriesIsRefusedAsAltered() {
        ObjectNode s = tree(STATE);
        ArrayNode history = s.putArray("history");
        for (int i = 0; i < 50_000; i++) {
            history.addObject().put("at", T0.toString()).put("what", "x".repeat(1_000));
        }
        String huge = JSON.writeValueAsString(s);
        assertThat(huge.length()).isGreaterThan(50_000_000);

        assertThatThrownBy(() -> StateCodec.fromJson(huge, "configmap myapp"))
                .isInstanceOf(CutoverException.class)
                .hasMessageContaining("configmap myapp was altered").hasMessageContaining("over the limit of 262144");
    }

    @Test
    void outOfRangeFieldsAreRefusedAndNamed() {
        assertRefused(s -> s.put("stepIndex", 1_000_000), "stepIndex 1000000 is outside 0..10000");
        assertRefused(s -> s.put("stableReplicas", -3), "stableReplicas -3 is outside 1..10000");
        assertRefused(s -> s.put("attempts", -1), "attempts -1");
        assertRefused(s -> s.put("name", "../../etc/passwd"), "is not a rollout name");
        assertRefused(s -> s.put("planFingerprint", "anything"), "is not a plan fingerprint");
        assertRefused(s -> s.put("application", "my\napp"), "is not an application name");
        assertRefused(s -> ((ObjectNode) s.get("candidate")).put("artifact", "evil:1\r\nX: y"), "artifact");
        assertRefused(s -> s.put("reason", "r".repeat(StateValidator.MAX_TEXT_CHARS + 1)), "longer than 2048");
        assertRefused(s -> s.put("epoch", -1), "epoch -1 is negative");
        assertRefused(s -> s.put("owner", "engine\r\nX: y"), "is not an engine name");
    }

    private static void assertRefused(java.util.function.Consumer<ObjectNode> change, String message) {
        ObjectNode s = tree(STATE);
        change.accept(s);
        assertThatThrownBy(() -> StateCodec.fromJson(JSON.writeValueAsString(s), "test"))
                .isInstanceOf(CutoverException.class).hasMessageContaining("altered").hasMessageContaining(message);
    }

    @Test
    void historyAndMeasurementsLongerThanAnEngineKeepsAreTrimmedOnLoad() {
        ObjectNode s = tree(STATE);
        ArrayNode history = s.putArray("history");
        for (int i = 0; i < 500; i++) {
            history.addObject().put("at", T0.toString()).put("what", "line " + i);
        }

        RolloutState loaded = StateCodec.fromJson(JSON.writeValueAsString(s), "test");

        assertThat(loaded.history()).hasSize(RolloutState.KEPT_HISTORY);
        assertThat(loaded.history().get(RolloutState.KEPT_HISTORY - 1).what()).isEqualTo("line 499");
    }

    @Test
    void aSavedStateStaysBelowAConfigMapsLimitWhateverItsTexts() {
        RolloutState.Builder b = STATE.toBuilder().phase(Phase.ABORTING, "r".repeat(5_000_000));
        for (int i = 0; i < 100; i++) {
            b.note(T0, "\u00e9".repeat(100_000));
        }
        String json = StateCodec.toJson(b.build(), StateIntegrity.hmacSha256(new byte[32]));

        assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThan(1024 * 1024);
        assertThat(json.length()).isLessThanOrEqualTo(StateValidator.MAX_JSON_CHARS);
        RolloutState back = StateCodec.fromJson(json, "test", StateIntegrity.hmacSha256(new byte[32]));
        assertThat(back.reason()).hasSize(StateValidator.MAX_TEXT_CHARS);
    }

    @Test
    void anUnsealedStateIsRefusedByAStoreWithAKey() {
        String plain = StateCodec.toJson(STATE);

        assertThatThrownBy(() -> StateCodec.fromJson(plain, "test", StateIntegrity.hmacSha256(new byte[32])))
                .hasMessageContaining("altered").hasMessageContaining("carries no seal");
        assertThat(StateCodec.fromJson(StateCodec.toJson(STATE, StateIntegrity.hmacSha256(new byte[32])), "test",
                StateIntegrity.hmacSha256(new byte[32]))).isEqualTo(STATE);
        assertThatThrownBy(() -> StateIntegrity.hmacSha256(new byte[16])).hasMessageContaining("at least 32 bytes, got 16");
    }
}
