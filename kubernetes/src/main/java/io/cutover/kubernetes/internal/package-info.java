/** Internals of the Kubernetes adapter: error translation, merge patches and naming; not for users. */
package io.cutover.kubernetes.internal;
