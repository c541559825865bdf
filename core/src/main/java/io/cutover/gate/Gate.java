package io.cutover.gate;

/**
 * A check a rollout must pass to go on. Implementations return a {@link Measurement}; a thrown
 * exception is recorded as {@link Verdict#ERROR}, never as a pass.
 */
public interface Gate {

    /**
     * The gate's name, as measurements, events and the plan show it.
     *
     * @return a short name such as {@code success-rate}
     */
    String name();

    /**
     * Measures once. A gate reports failures of its source as an ERROR measurement rather than
     * throwing; the engine counts a throw, a {@code null} answer or no answer within the analysis
     * interval as ERROR too.
     *
     * @param context what the gate can see: the candidate, the instant, the target's metric source and probe
     * @return the measurement, whose verdict the engine counts under the gate policy
     */
    Measurement measure(GateContext context);

    /**
     * Whether this gate reads only what its {@link GateContext} gives (the rollout target's metric
     * source and health probe). A gate with a source of its own (a live Prometheus, CloudWatch) is not,
     * and a {@link io.cutover.sim.Simulation} refuses to run it unless the caller allows the network.
     * Default {@code false}: a gate not known to stay inside is treated as one that reaches out.
     *
     * @return {@code true} by default
     */
    default boolean selfContained() {
        return false;
    }
}
