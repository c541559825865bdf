package io.cutover.internal;

import java.time.Duration;

/** What running a step once concluded. */
sealed interface Outcome {

    Outcome DONE = new Done();
    Outcome HOLD = new Hold();

    static Outcome waitFor(Duration d) {
        return new WaitFor(d);
    }

    static Outcome abort(String reason) {
        return new Abort(reason);
    }

    static Outcome pause(String reason) {
        return new Pause(reason);
    }

    /** The step holds; go to the next. */
    record Done() implements Outcome { }

    /** Not yet; look again after the duration. */
    record WaitFor(Duration duration) implements Outcome { }

    /** Wait for a person (pause until promoted). */
    record Hold() implements Outcome { }

    /** Roll back. */
    record Abort(String reason) implements Outcome { }

    /** Stop and wait for a person. */
    record Pause(String reason) implements Outcome { }

    /** Give up on reaching a safe state (only while aborting). */
    record Fail(String reason) implements Outcome { }
}
