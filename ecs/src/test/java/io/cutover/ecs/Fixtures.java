package io.cutover.ecs;

/** Names shared by the ECS adapter tests. */
final class Fixtures {
    static final String CLUSTER = "prod";
    static final String SERVICE = "myapp";
    static final String LB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:";
    static final String LISTENER = LB + "listener/app/myapp/50dc6c495c0c9188/f2f7dc8efc522ab2";
    static final String RULE = LB + "listener-rule/app/myapp/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
    static final String BLUE = LB + "targetgroup/myapp-blue/73e2d6bc24d8a067";
    static final String GREEN = LB + "targetgroup/myapp-green/2453ed029918f21f";
    static final String TD1 = "arn:aws:ecs:us-east-1:123456789012:task-definition/myapp:1";
    static final String TD2 = "arn:aws:ecs:us-east-1:123456789012:task-definition/myapp:2";
    static final String TD3 = "arn:aws:ecs:us-east-1:123456789012:task-definition/myapp:3";

    private Fixtures() { }
}
