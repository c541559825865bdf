/** The traffic each revision really receives, computed from the API server's objects as the data plane routes it. */
package io.cutover.kubernetes.traffic;
