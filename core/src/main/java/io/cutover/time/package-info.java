/** Injected time: the scheduler the engine waits with, and a virtual one for tests and simulation. */
package io.cutover.time;
