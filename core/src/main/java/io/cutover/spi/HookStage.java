package io.cutover.spi;

/** When a lifecycle hook runs. A failing hook aborts the rollout, except in the rollback stages. */
public enum HookStage {
    BEFORE_INSTALL,
    AFTER_INSTALL,
    AFTER_TEST_TRAFFIC,
    BEFORE_TRAFFIC,
    AFTER_TRAFFIC,
    BEFORE_ROLLBACK,
    AFTER_ROLLBACK,
    ON_COMPLETE
}
