package io.cutover.state;

import io.cutover.CutoverException;

/** Another writer saved the rollout's state since this one loaded it. */
public class StateConflictException extends CutoverException {

    /**
     * The conflict of a save of {@code rollout}.
     *
     * @param rollout  the rollout's name
     * @param expected the version the writer loaded
     * @param actual   the version stored now, or {@code null} when nothing is
     */
    public StateConflictException(String rollout, String expected, String actual) {
        super(Kind.CONFLICT, "save state " + rollout,
                "state of rollout '" + rollout + "' changed underneath: expected version " + expected + ", found " + actual);
    }
}
