/** Rollout state, its JSON encoding, and the in-memory and file state stores. */
package io.cutover.state;
