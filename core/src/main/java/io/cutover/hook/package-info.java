/** Ready-made lifecycle hooks, such as a webhook told of every stage of a rollout. */
package io.cutover.hook;
