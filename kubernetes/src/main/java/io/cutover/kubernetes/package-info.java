/** Cutover on Kubernetes: Deployments as workloads, Service, replica-ratio and Gateway API routers, ConfigMap state and Lease ownership, through fabric8. */
package io.cutover.kubernetes;
