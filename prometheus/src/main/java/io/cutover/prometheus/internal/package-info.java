/** Internals of the Prometheus adapter: strict answer parsing, bounded bodies and TLS plumbing; not for users. */
package io.cutover.prometheus.internal;
