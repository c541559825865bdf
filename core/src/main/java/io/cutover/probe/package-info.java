/** Health probes that ask a revision over HTTP whether it is alive and ready to take traffic. */
package io.cutover.probe;
