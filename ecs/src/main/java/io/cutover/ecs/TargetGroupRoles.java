package io.cutover.ecs;

import java.util.Objects;

/**
 * Which of two target groups serves the stable role and which the candidate. In blue-green on ECS
 * task sets the colours swap at every promotion, so the answer comes from the platform
 * ({@link EcsTaskSetWorkloads#targetGroupRoles()}); {@link #fixed} serves setups where it never changes.
 */
@FunctionalInterface
public interface TargetGroupRoles {

    /** The two target group ARNs as they stand now. */
    Pair current();

    static TargetGroupRoles fixed(String stableTargetGroupArn, String candidateTargetGroupArn) {
        Pair pair = new Pair(stableTargetGroupArn, candidateTargetGroupArn);
        return () -> pair;
    }

    /** The target group ARN of each role. */
    record Pair(String stable, String candidate) {
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
