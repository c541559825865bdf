package io.cutover.gate;

/**
 * A check a rollout must pass to go on. Implementations return a {@link Measurement}; a thrown
 * exception is recorded as {@link Verdict#ERROR}, never as a pass.
 */
public interface Gate {

    String name();

    Measurement measure(GateContext context);
}
