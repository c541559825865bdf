package io.cutover.ecs;

import java.util.Objects;

/**
 * Which of two target groups serves the stable role and which the candidate. In blue-green on ECS
 * task sets the colours swap at every promotion, so the answer comes from the platform
 * ({@link EcsTaskSetWorkloads#targetGroupRoles()}); {@link #fixed} serves setups where it never changes.
 */
@FunctionalInterface
public interface TargetGroupRoles {

    /**
     * The two target group ARNs as they stand now.
     *
     * @return the stable and candidate target groups
     */
    Pair current();

    /**
     * Roles that never change: one target group always stable, the other always candidate.
     *
     * @param stableTargetGroupArn    the stable role's target group ARN
     * @param candidateTargetGroupArn the candidate role's target group ARN
     * @return the roles
     */
    static TargetGroupRoles fixed(String stableTargetGroupArn, String candidateTargetGroupArn) {
        Pair pair = new Pair(stableTargetGroupArn, candidateTargetGroupArn);
        return () -> pair;
    }

    /**
     * The target group ARN of each role.
     *
     * @param stable    the stable role's target group ARN
     * @param candidate the candidate role's target group ARN
     */
    record Pair(String stable, String candidate) {
        /**
         * Refuses blank ARNs and one target group for both roles.
         *
         * @param stable    the stable role's target group ARN
         * @param candidate the candidate role's target group ARN
         */
        public Pair {
            if (stable == null || stable.isBlank()) {
                throw new IllegalArgumentException("stable target group ARN must not be blank");
            }
            if (candidate == null || candidate.isBlank()) {
                throw new IllegalArgumentException("candidate target group ARN must not be blank");
            }
            if (Objects.equals(stable, candidate)) {
                throw new IllegalArgumentException("stable and candidate target groups must differ: " + stable);
            }
        }
    }
}
