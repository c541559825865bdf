/** JMH benchmarks and measurement programs for the engine, the in-memory platform and the simulator. */
package io.cutover.benchmarks;
