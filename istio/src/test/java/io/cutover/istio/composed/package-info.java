/** Kubernetes, Istio and Prometheus composed as a team composes them, checked against the traffic the pods really get. */
package io.cutover.istio.composed;
