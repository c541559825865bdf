/**
 * The fault catalogue: decorators for every SPI (workloads, traffic router, health probe, metric
 * source, state store, hook) and for listeners that inject, by seed or by script, each kind of
 * {@link java.lang.Throwable}, {@code null} answers, hangs, lost responses and stale read-backs, plus a
 * clock that jumps. Use them in your own adapter and engine tests.
 */
package io.cutover.fault;
