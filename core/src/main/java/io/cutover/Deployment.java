package io.cutover;

import io.cutover.internal.Checks;
import io.cutover.plan.Plan;
import io.cutover.spi.Revision;
import io.cutover.spi.RouterCapability;
import java.util.EnumSet;
import java.util.Objects;
import java.util.function.Function;

/**
 * A release strategy, validated and compiled to a {@link Plan}. Start here:
 *
 * <pre>{@code
 * import static io.cutover.gate.Gates.*;
 *
 * Deployment canary = Deployment.canary()
 *         .steps(10, 25, 50, 75)
 *         .pauseBetween(Duration.ofMinutes(5))
 *         .gate(successRate(0.95))
 *         .build();
 * RolloutResult result = canary.rollout(Revision.of("v2.0.0", "myapp:v2.0.0")).on(target).start().await();
 * }</pre>
 *
 * Deployments are immutable and can be shared; each strategy's builder documents its defaults.
 */
public final class Deployment {

    private static final PlanContext TYPICAL = new PlanContext(4, EnumSet.of(RouterCapability.WEIGHTED));

    private final String strategy;
    private final Function<PlanContext, Plan> compiler;

    Deployment(String strategy, Function<PlanContext, Plan> compiler) {
        this.strategy = strategy;
        this.compiler = compiler;
        compiler.apply(TYPICAL); // fail at build() for anything the plan itself refuses
    }

    /**
     * Starts a canary: the candidate takes growing shares of traffic, step by step, gated.
     *
     * @return a canary builder, its defaults documented there
     */
    public static CanaryBuilder canary() {
        return new CanaryBuilder();
    }

    /**
     * Starts a blue-green release: the candidate runs at full size beside stable, then takes all traffic at once.
     *
     * @return a blue-green builder, its defaults documented there
     */
    public static BlueGreenBuilder blueGreen() {
        return new BlueGreenBuilder();
    }

    /**
     * Starts a rolling update: replicas move to the candidate in batches.
     *
     * @return a rolling builder, its defaults documented there
     */
    public static RollingBuilder rolling() {
        return new RollingBuilder();
    }

    /**
     * Starts a recreate: stable goes down, then the candidate comes up (downtime by design).
     *
     * @return a recreate builder, its defaults documented there
     */
    public static RecreateBuilder recreate() {
        return new RecreateBuilder();
    }

    /**
     * Starts an A/B test: requests matching header rules go to the candidate.
     *
     * @return an A/B builder, its defaults documented there
     */
    public static AbTestBuilder abTest() {
        return new AbTestBuilder();
    }

    /**
     * Starts a shadow release: the candidate gets a mirror of traffic, its answers thrown away.
     *
     * @return a shadow builder, its defaults documented there
     */
    public static ShadowBuilder shadow() {
        return new ShadowBuilder();
    }

    /**
     * A deployment whose plan {@code compiler} builds directly from {@link io.cutover.plan.Step}s, for
     * importers of other tools' release specs and strategies the builders do not cover. The compiler
     * gets the target's {@link PlanContext} when a rollout is bound; it is run once here against a
     * typical target, so a plan it refuses fails now. The plan must promote the candidate.
     *
     * @param strategy the strategy's name, shown in the plan
     * @param compiler builds the plan for a target
     * @return the deployment
     */
    public static Deployment fromPlan(String strategy, Function<PlanContext, Plan> compiler) {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(compiler, "compiler");
        if (strategy.isBlank()) {
            throw new IllegalArgumentException("strategy must not be blank");
        }
        Function<PlanContext, Plan> checked = ctx -> {
            Plan plan = Objects.requireNonNull(compiler.apply(ctx), "compiler returned no plan");
            if (plan.steps().stream().noneMatch(io.cutover.plan.Step.Promote.class::isInstance)) {
                throw new IllegalArgumentException("plan of '" + strategy + "' has no promote step: the candidate would never become stable");
            }
            return plan;
        };
        return new Deployment(strategy, checked);
    }

    /**
     * The strategy's name: {@code canary}, {@code blue-green}, ... or the name given to {@link #fromPlan}.
     *
     * @return the name
     */
    public String strategy() {
        return strategy;
    }

    /**
     * The plan for a stable workload of {@code context.stableReplicas()} replicas behind a router with {@code context.router()}.
     *
     * @param context the target's stable replica count and router capabilities
     * @return the plan
     */
    public Plan plan(PlanContext context) {
        return compiler.apply(context);
    }

    /**
     * This deployment with every plan it makes passed through {@code edit}; the simulator uses it to
     * seal a plan off from the network.
     *
     * @param edit changes each plan after it is made
     * @return a new deployment
     */
    public Deployment editPlans(java.util.function.UnaryOperator<Plan> edit) {
        Objects.requireNonNull(edit, "edit");
        return new Deployment(strategy, compiler.andThen(edit));
    }

    /**
     * The plan for a typical target (4 stable replicas, a weighted router).
     *
     * @return the plan
     */
    public Plan plan() {
        return compiler.apply(TYPICAL);
    }

    /**
     * The plan as numbered lines, for a typical target.
     *
     * @return the description, one numbered line per step (numbers start at 1)
     */
    public String describe() {
        return plan().describe();
    }

    /**
     * Starts describing a rollout of {@code revision} with this deployment.
     *
     * @param revision the candidate
     * @return a request to complete with {@link RolloutRequest#on} and start
     */
    public RolloutRequest rollout(Revision revision) {
        return new RolloutRequest(this, Checks.notNull("revision", revision));
    }

    @Override
    public String toString() {
        return "Deployment[" + strategy + "]";
    }

    /** A rollout being set up: where it runs, under which name, on which engine. */
    public static final class RolloutRequest {
        private final Deployment deployment;
        private final Revision revision;
        private Target target;
        private String name;
        private RolloutEngine engine;

        private RolloutRequest(Deployment deployment, Revision revision) {
            this.deployment = deployment;
            this.revision = revision;
        }

        /**
         * The target to roll out on; required.
         *
         * @param target the platform adapters
         * @return this request
         */
        public RolloutRequest on(Target target) {
            this.target = Checks.notNull("target", target);
            return this;
        }

        /**
         * The rollout's name in the state store; default the target's application.
         *
         * @param name the name, unique in the engine's state store
         * @return this request
         */
        public RolloutRequest named(String name) {
            this.name = name;
            return this;
        }

        /**
         * The engine to run on; default {@link RolloutEngine#shared()}, the process's default engine.
         *
         * @param engine the engine
         * @return this request
         */
        public RolloutRequest using(RolloutEngine engine) {
            this.engine = Checks.notNull("engine", engine);
            return this;
        }

        /**
         * Starts the rollout on the engine given to {@link #using}, or else on {@link RolloutEngine#shared()}.
         *
         * @throws IllegalStateException when no target was given, or see {@link RolloutEngine#start}
         * @return the running rollout
         */
        public Rollout start() {
            if (target == null) {
                throw new IllegalStateException("rollout of " + revision.name() + " has no target: call on(target) first");
            }
            RolloutEngine e = engine != null ? engine : RolloutEngine.shared();
            return e.start(name != null ? name : target.application(), deployment, revision, target);
        }
    }
}
