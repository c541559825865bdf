package io.cutover.ecs;

import io.cutover.spi.HookStage;

/** The lifecycle events of a CodeDeploy ECS deployment that can run a hook, and the Cutover stage each one is. */
public enum CodeDeployEvent {
    /** Before the replacement task set is created. */
    BEFORE_INSTALL("BeforeInstall", HookStage.BEFORE_INSTALL),
    /** After the replacement task set is created and attached to a target group. */
    AFTER_INSTALL("AfterInstall", HookStage.AFTER_INSTALL),
    /** After the test listener routes to the replacement task set. */
    AFTER_ALLOW_TEST_TRAFFIC("AfterAllowTestTraffic", HookStage.AFTER_TEST_TRAFFIC),
    /** Before production traffic moves to the replacement task set. */
    BEFORE_ALLOW_TRAFFIC("BeforeAllowTraffic", HookStage.BEFORE_TRAFFIC),
    /** After production traffic has moved to the replacement task set. */
    AFTER_ALLOW_TRAFFIC("AfterAllowTraffic", HookStage.AFTER_TRAFFIC);

    private final String appSpecName;
    private final HookStage stage;

    CodeDeployEvent(String appSpecName, HookStage stage) {
        this.appSpecName = appSpecName;
        this.stage = stage;
    }

    /**
     * The name in an AppSpec's {@code Hooks} section, e.g. {@code AfterAllowTestTraffic}.
     *
     * @return the AppSpec event name
     */
    public String appSpecName() {
        return appSpecName;
    }

    /**
     * The Cutover hook stage this event runs.
     *
     * @return the stage
     */
    public HookStage stage() {
        return stage;
    }
}
