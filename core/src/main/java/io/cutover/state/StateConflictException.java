package io.cutover.state;

import io.cutover.CutoverException;

/** Another writer saved the rollout's state since this one loaded it. */
public class StateConflictException extends CutoverException {

    public StateConflictException(String rollout, String expected, String actual) {
        super(Kind.CONFLICT, "save state " + rollout,
                "state of rollout '" + rollout + "' changed underneath: expected version " + expected + ", found " + actual);
    }
}
