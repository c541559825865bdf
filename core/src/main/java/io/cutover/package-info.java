/**
 * Cutover's front door: {@link io.cutover.Deployment} and the strategy builders it hands out
 * (canary, blue-green, rolling, recreate, A/B, shadow), the {@link io.cutover.RolloutEngine} that runs
 * them against a {@link io.cutover.Target}, a running {@link io.cutover.Rollout}, its
 * {@link io.cutover.RolloutResult} and {@link io.cutover.Phase}, and the one exception type,
 * {@link io.cutover.CutoverException}.
 */
package io.cutover;
