package io.cutover.spi;

/** When a lifecycle hook runs. A failing hook aborts the rollout, except in the rollback stages. */
public enum HookStage {
    BEFORE_INSTALL,
    AFTER_INSTALL,
    AFTER_TEST_TRAFFIC,
    BEFORE_TRAFFIC,
    AFTER_TRAFFIC,
    /** On abort, once all traffic is back on stable (read back) and before the candidate is scaled down. */
    BEFORE_ROLLBACK,
    /** On abort, after the candidate is scaled down. */
    AFTER_ROLLBACK,
    ON_COMPLETE
}
