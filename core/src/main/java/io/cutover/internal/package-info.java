/**
 * The engine's machinery (the rollout runner, step executor, platform-call wrapper and argument checks).
 * Not API: the module does not export it, and it may change in any release.
 */
package io.cutover.internal;
