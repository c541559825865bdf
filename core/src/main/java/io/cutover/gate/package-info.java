/** Gates: the checks a rollout waits on, their measurements, verdicts and policies. */
package io.cutover.gate;
