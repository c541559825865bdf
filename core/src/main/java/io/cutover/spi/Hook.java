package io.cutover.spi;

/** Code run at a lifecycle stage of a rollout. A thrown exception counts as a failed hook. */
@FunctionalInterface
public interface Hook {

    HookResult run(HookContext context);
}
