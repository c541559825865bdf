package io.cutover.kubernetes.argo;

import io.cutover.gate.Gate;
import io.cutover.gate.GatePolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns an Argo {@code AnalysisTemplate} reference, with the arguments the Rollout passes it, into
 * Cutover gates and the policy they are measured with. Templates are the user's: this says what each
 * one means in Cutover terms.
 *
 * <pre>{@code
 * AnalysisTemplates templates = AnalysisTemplates.builder()
 *         .template("success-rate", args -> AnalysisTemplates.analysis(GatePolicy.DEFAULT,
 *                 Gates.query("rate(http_ok{service='" + args.get("service-name") + "'}[5m])", Condition.atLeast(0.95))))
 *         .build();
 * }</pre>
 */
@FunctionalInterface
public interface AnalysisTemplates {

    /** No templates: a manifest that refers to one is refused. */
    AnalysisTemplates NONE = (name, args) -> null;

    /**
     * The analysis template {@code name} means, given {@code args}; {@code null} when it is unknown.
     *
     * @param name the template's name as the Rollout refers to it
     * @param args the arguments the Rollout passes, by name
     * @return the gates and policy it stands for, or {@code null}
     */
    Analysis resolve(String name, Map<String, String> args);

    /**
     * Gates and the policy they are measured with.
     *
     * @param gates  the gates measured together
     * @param policy how often and how many times they are measured
     */
    record Analysis(List<Gate> gates, GatePolicy policy) {
        /**
         * Copies the gates and checks that there is at least one, and a policy.
         *
         * @param gates  the gates measured together
         * @param policy how often and how many times they are measured
         */
        public Analysis {
            gates = List.copyOf(gates);
            Objects.requireNonNull(policy, "policy");
            if (gates.isEmpty()) {
                throw new IllegalArgumentException("an analysis needs at least one gate");
            }
        }
    }

    /**
     * An analysis of {@code gates} under {@code policy}.
     *
     * @param policy how often and how many times they are measured
     * @param gates  one gate or more
     * @return the analysis
     */
    static Analysis analysis(GatePolicy policy, Gate... gates) {
        return new Analysis(List.of(gates), policy);
    }

    /**
     * Starts an empty set of templates.
     *
     * @return a new builder
     */
    static Builder builder() {
        return new Builder();
    }

    /** Templates by name. */
    final class Builder {
        private final Map<String, Function<Map<String, String>, Analysis>> templates = new HashMap<>();

        private Builder() { }

        /**
         * What template {@code name} means; {@code meaning} gets the arguments the Rollout passes.
         *
         * @param name    the template's name, defined once
         * @param meaning turns the Rollout's arguments into gates and a policy
         * @return this builder
         */
        public Builder template(String name, Function<Map<String, String>, Analysis> meaning) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(meaning, "meaning");
            if (templates.putIfAbsent(name, meaning) != null) {
                throw new IllegalArgumentException("template defined twice: " + name);
            }
            return this;
        }

        /**
         * Builds the templates; an unknown name resolves to {@code null}.
         *
         * @return the templates
         */
        public AnalysisTemplates build() {
            Map<String, Function<Map<String, String>, Analysis>> copy = Map.copyOf(templates);
            return (name, args) -> {
                Function<Map<String, String>, Analysis> meaning = copy.get(name);
                return meaning == null ? null : meaning.apply(args);
            };
        }
    }
}
