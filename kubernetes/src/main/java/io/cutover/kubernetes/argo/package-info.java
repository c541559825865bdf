/** Reading Argo Rollouts {@code Rollout} manifests into Cutover deployments, with an error naming every field that has no equivalent. */
package io.cutover.kubernetes.argo;
