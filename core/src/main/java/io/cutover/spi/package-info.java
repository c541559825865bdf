/** What a platform adapter implements: workloads, traffic routing, health, metrics, state and hooks. */
package io.cutover.spi;
