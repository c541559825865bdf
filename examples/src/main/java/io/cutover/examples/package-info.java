/** Runnable programs: the simulated rollout demo and a wiring example for each platform. */
package io.cutover.examples;
