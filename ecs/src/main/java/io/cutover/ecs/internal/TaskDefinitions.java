package io.cutover.ecs.internal;

import io.cutover.CutoverException;
import io.cutover.spi.Revision;
import java.util.regex.Pattern;

/**
 * The one identity of a revision on ECS services run by CodeDeploy or by ECS's rolling controller: its
 * artifact is the task definition ARN, which is what ECS reports for a service and its deployments, so a
 * role's status names it in the form the engine compares with the revision.
 */
public final class TaskDefinitions {

    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:task-definition/[A-Za-z0-9_-]{1,255}:\\d+");

    private TaskDefinitions() { }

    /** Refuses a revision whose artifact is not a task definition ARN, naming the parameter and the value. */
    public static void requireArn(Revision revision) {
        if (!ARN.matcher(revision.artifact()).matches()) {
            throw CutoverException.permanent("deploy " + revision.name(), "revision artifact must be a task definition ARN"
                    + " (arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION), as ECS reports it: '" + revision.artifact() + "'", null);
        }
    }
}
