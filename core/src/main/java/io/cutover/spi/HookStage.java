package io.cutover.spi;

/** When a lifecycle hook runs. A failing hook aborts the rollout, except in the rollback stages. */
public enum HookStage {
    /** Before the candidate is created or scaled up. */
    BEFORE_INSTALL,
    /** The candidate runs and is ready; no user traffic reaches it yet. */
    AFTER_INSTALL,
    /** Test traffic could reach the candidate (a preview Service, a tester route); users' traffic not yet. */
    AFTER_TEST_TRAFFIC,
    /** Just before users' traffic first moves to the candidate. */
    BEFORE_TRAFFIC,
    /** All users' traffic is on the candidate, before the promotion. */
    AFTER_TRAFFIC,
    /** On abort, once all traffic is back on stable (read back) and before the candidate is scaled down. */
    BEFORE_ROLLBACK,
    /** On abort, after the candidate is scaled down. */
    AFTER_ROLLBACK,
    /** The rollout succeeded: the candidate is stable and the previous revision retired. */
    ON_COMPLETE
}
