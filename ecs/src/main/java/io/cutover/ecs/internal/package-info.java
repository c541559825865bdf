/** AWS error translation and the protocol details the public ECS adapter classes share. */
package io.cutover.ecs.internal;
