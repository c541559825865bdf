package io.cutover.ecs;

import io.cutover.spi.HookStage;

/** The lifecycle events of a CodeDeploy ECS deployment that can run a hook, and the Cutover stage each one is. */
public enum CodeDeployEvent {
    BEFORE_INSTALL("BeforeInstall", HookStage.BEFORE_INSTALL),
    AFTER_INSTALL("AfterInstall", HookStage.AFTER_INSTALL),
    AFTER_ALLOW_TEST_TRAFFIC("AfterAllowTestTraffic", HookStage.AFTER_TEST_TRAFFIC),
    BEFORE_ALLOW_TRAFFIC("BeforeAllowTraffic", HookStage.BEFORE_TRAFFIC),
    AFTER_ALLOW_TRAFFIC("AfterAllowTraffic", HookStage.AFTER_TRAFFIC);

    private final String appSpecName;
    private final HookStage stage;

    CodeDeployEvent(String appSpecName, HookStage stage) {
        this.appSpecName = appSpecName;
        this.stage = stage;
    }

    /** The name in an AppSpec's {@code Hooks} section, e.g. {@code AfterAllowTestTraffic}. */
    public String appSpecName() {
        return appSpecName;
    }

    public HookStage stage() {
        return stage;
    }
}
