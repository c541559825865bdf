/** Istio traffic routing for Cutover: VirtualService weights, header routes and mirroring, and DestinationRule subsets. */
package io.cutover.istio;
