package io.cutover.kubernetes.traffic;

import io.cutover.spi.HeaderMatch;
import io.cutover.spi.TrafficRouter;
import io.cutover.spi.TrafficSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Compares, whenever asked (an engine listener asks at every event), the split the router reports
 * with the traffic the data plane would really send: the candidate Deployment's share of plain
 * requests must equal the reported weight (within one serving pod's share when weights come from
 * replica counts), requests matching a reported header route must all reach the candidate, and no
 * request may go unserved. A listener's exception is swallowed by the engine, so disagreements are
 * collected and the test asserts {@link #disagreements()} is empty.
 */
public final class TrafficCheck {

    private final TrafficRouter router;
    private final Function<EffectiveTraffic.Request, Shares> effective;
    private final Supplier<String> candidateDeployment;
    private final boolean byReplicas;
    private final List<String> disagreements = new ArrayList<>();
    private final List<String> seen = new ArrayList<>();
    private java.util.function.BooleanSupplier active = () -> true;

    /**
     * @param effective           the shares of a request, as the data plane routes it
     * @param candidateDeployment the Deployment that plays the candidate now
     * @param byReplicas          weights come from replica counts: allow one serving pod's share of rounding
     */
    public TrafficCheck(TrafficRouter router, Function<EffectiveTraffic.Request, Shares> effective,
                        Supplier<String> candidateDeployment, boolean byReplicas) {
        this.router = router;
        this.effective = effective;
        this.candidateDeployment = candidateDeployment;
        this.byReplicas = byReplicas;
    }

    /** Checks only while {@code condition} holds (a preview Service, say, only until promotion). */
    public TrafficCheck onlyWhile(java.util.function.BooleanSupplier condition) {
        this.active = condition;
        return this;
    }

    /** Checks the world now; {@code when} names the moment in a disagreement. */
    public synchronized void check(String when) {
        if (!active.getAsBoolean()) {
            return;
        }
        TrafficSplit reported;
        try {
            reported = router.read();
        } catch (RuntimeException e) {
            disagreements.add(when + ": the router could not report its split: " + e);
            return;
        }
        String candidate = candidateDeployment.get();
        Shares plain = effective.apply(EffectiveTraffic.Request.plain());
        double tolerance = byReplicas ? 100.0 / Math.max(1, plain.servingPods()) : 0.5;
        double actual = plain.percent(candidate);
        seen.add(reported.candidateWeight() + "%/" + Math.round(actual) + "%");
        if (plain.unserved() > 1e-9) {
            disagreements.add(when + ": " + plain + " leaves requests unserved while the router reports " + reported);
        }
        if (Math.abs(actual - reported.candidateWeight()) > tolerance + 1e-9) {
            disagreements.add(String.format("%s: the router reports %d%% to the candidate, %s really gets %.1f%% (%s)",
                    when, reported.candidateWeight(), candidate, actual, plain));
        }
        for (HeaderMatch m : reported.candidateMatches()) {
            EffectiveTraffic.Request r = request(m);
            if (r == null) {
                continue;
            }
            Shares routed = effective.apply(r);
            if (routed.percent(candidate) < 100 - 1e-9) {
                disagreements.add(when + ": requests matching " + m + " should all reach " + candidate + " but go " + routed);
            }
        }
    }

    private static EffectiveTraffic.Request request(HeaderMatch m) {
        return switch (m.kind()) {
            case EXACT -> EffectiveTraffic.Request.withHeader(m.header(), m.value());
            case PREFIX -> EffectiveTraffic.Request.withHeader(m.header(), m.value() + "-x");
            default -> null;
        };
    }

    public synchronized List<String> disagreements() {
        return List.copyOf(disagreements);
    }

    /** Every check as "reported%/effective%", in order. */
    public synchronized List<String> seen() {
        return List.copyOf(seen);
    }
}
