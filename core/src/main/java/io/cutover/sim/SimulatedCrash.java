package io.cutover.sim;

/**
 * Thrown by a {@link SimulatedPlatform} right after the write it was told to crash at: the engine
 * process "dies" with that write applied and its state not yet saved. An {@link Error}, so no engine
 * code catches it.
 */
public final class SimulatedCrash extends Error {

    /**
     * The crash after write number {@code write}.
     *
     * @param write the write's number, from 1
     */
    public SimulatedCrash(int write) {
        super("simulated crash after platform write " + write, null, false, false);
    }
}
