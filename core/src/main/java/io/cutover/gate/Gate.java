package io.cutover.gate;

/**
 * A check a rollout must pass to go on. Implementations return a {@link Measurement}; a thrown
 * exception is recorded as {@link Verdict#ERROR}, never as a pass.
 */
public interface Gate {

    String name();

    Measurement measure(GateContext context);

    /**
     * Whether this gate reads only what its {@link GateContext} gives (the rollout target's metric
     * source and health probe). A gate with a source of its own (a live Prometheus, CloudWatch) is not,
     * and a {@link io.cutover.sim.Simulation} refuses to run it unless the caller allows the network.
     * Default {@code false}: a gate not known to stay inside is treated as one that reaches out.
     */
    default boolean selfContained() {
        return false;
    }
}
