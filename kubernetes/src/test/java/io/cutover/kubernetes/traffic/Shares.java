package io.cutover.kubernetes.traffic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where requests go: the fraction (0..1) each Deployment's pods receive, and the fraction no pod
 * serves (a route to a Service or subset without ready endpoints, or no matching route at all).
 */
public record Shares(Map<String, Double> byDeployment, double unserved, int servingPods) {

    public Shares {
        byDeployment = Map.copyOf(byDeployment);
    }

    /** The fraction {@code deployment}'s pods receive. */
    public double of(String deployment) {
        return byDeployment.getOrDefault(deployment, 0.0);
    }

    /** The percentage {@code deployment}'s pods receive. */
    public double percent(String deployment) {
        return 100 * of(deployment);
    }

    static Shares none() {
        return new Shares(Map.of(), 1.0, 0);
    }

    /** {@code this} scaled by {@code factor}, plus {@code other} scaled by its own. */
    Shares plus(double factor, Shares other, double otherFactor) {
        Map<String, Double> sum = new LinkedHashMap<>();
        byDeployment.forEach((k, v) -> sum.merge(k, v * factor, Double::sum));
        other.byDeployment.forEach((k, v) -> sum.merge(k, v * otherFactor, Double::sum));
        return new Shares(sum, unserved * factor + other.unserved * otherFactor, servingPods + other.servingPods);
    }

    static Shares empty() {
        return new Shares(Map.of(), 0.0, 0);
    }

    @Override
    public String toString() {
        Map<String, String> p = new LinkedHashMap<>();
        byDeployment.forEach((k, v) -> p.put(k, String.format("%.1f%%", 100 * v)));
        return p + (unserved > 0 ? String.format(" unserved %.1f%%", 100 * unserved) : "");
    }
}
