/** The in-memory platform and the simulator: rollouts on virtual time with their blast radius. */
package io.cutover.sim;
