/** Runs Cutover rollouts on AWS: ECS task sets and services, ALB weighted target groups, CodeDeploy blue/green and CloudWatch gates. */
package io.cutover.ecs;
