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

    /** The analysis template {@code name} means, given {@code args}; {@code null} when it is unknown. */
    Analysis resolve(String name, Map<String, String> args);

    /** Gates and the policy they are measured with. */
    record Analysis(List<Gate> gates, GatePolicy policy) {
        public Analysis {
            gates = List.copyOf(gates);
            Objects.requireNonNull(policy, "policy");
            if (gates.isEmpty()) {
                throw new IllegalArgumentException("an analysis needs at least one gate");
            }
        }
    }

    static Analysis analysis(GatePolicy policy, Gate... gates) {
        return new Analysis(List.of(gates), policy);
    }

    static Builder builder() {
        return new Builder();
    }

    /** Templates by name. */
    final class Builder {
        private final Map<String, Function<Map<String, String>, Analysis>> templates = new HashMap<>();

        private Builder() { }

        /** What template {@code name} means; {@code meaning} gets the arguments the Rollout passes. */
        public Builder template(String name, Function<Map<String, String>, Analysis> meaning) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(meaning, "meaning");
            if (templates.putIfAbsent(name, meaning) != null) {
                throw new IllegalArgumentException("template defined twice: " + name);
            }
            return this;
        }

        public AnalysisTemplates build() {
            Map<String, Function<Map<String, String>, Analysis>> copy = Map.copyOf(templates);
            return (name, args) -> {
                Function<Map<String, String>, Analysis> meaning = copy.get(name);
                return meaning == null ? null : meaning.apply(args);
            };
        }
    }
}
