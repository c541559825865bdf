/** Prometheus for Cutover: a strict PromQL client, a metric source built from safe templates, and PromQL gates. */
package io.cutover.prometheus;
