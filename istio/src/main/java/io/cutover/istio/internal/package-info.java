/** Edits of Istio resources as plain JSON maps and the translation of Kubernetes client errors; not for users. */
package io.cutover.istio.internal;
