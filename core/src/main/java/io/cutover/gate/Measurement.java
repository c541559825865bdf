package io.cutover.gate;

import java.time.Instant;
import java.util.Objects;

/**
 * One evaluation of a gate.
 *
 * @param gate    the gate's name
 * @param verdict what it concluded
 * @param value   the number it saw; NaN when it saw none
 * @param detail  a sentence for people: the condition, the reason for no data, the server's error
 * @param at      when it was taken
 */
public record Measurement(String gate, Verdict verdict, double value, String detail, Instant at) {

    /**
     * Refuses missing fields and a PASSED verdict without a finite value.
     *
     * @param gate    the gate's name
     * @param verdict what it concluded
     * @param value   the number it saw; NaN when it saw none
     * @param detail  a sentence for people
     * @param at      when it was taken
     */
    public Measurement {
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
        if (verdict == Verdict.PASSED && !Double.isFinite(value)) {
            throw new IllegalArgumentException("a measurement without a real value cannot pass: " + value);
        }
    }

    /**
     * Whether the verdict is PASSED.
     *
     * @return {@code true} for PASSED only
     */
    public boolean passed() {
        return verdict == Verdict.PASSED;
    }
}
