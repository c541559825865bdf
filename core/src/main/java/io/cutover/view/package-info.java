/**
 * Ways to see a rollout: a timeline of what happened ({@link io.cutover.view.RolloutTimeline}), recorded from
 * any engine's events or taken from a simulation report, drawn as a self-contained HTML page with SVG
 * ({@link io.cutover.view.TimelineHtml}), and printed line by line as it happens ({@link io.cutover.view.ConsoleProgress}).
 */
package io.cutover.view;
