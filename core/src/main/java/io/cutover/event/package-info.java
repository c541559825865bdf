/** Rollout events and their listeners. */
package io.cutover.event;
