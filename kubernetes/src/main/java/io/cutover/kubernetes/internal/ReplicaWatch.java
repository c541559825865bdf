package io.cutover.kubernetes.internal;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What one replica knows of the others' Leases, on its own clock, as client-go's leader election
 * measures it: a Lease expires its duration after this replica last saw it change (its
 * {@code resourceVersion}, holder or {@code renewTime}), never by comparing the remote
 * {@code renewTime} with the local clock, so replicas whose clocks disagree cannot declare a live one dead.
 */
public final class ReplicaWatch {

    /** A Lease as this replica last saw it change. */
    private record Seen(String change, Instant at, String holder, Duration duration) { }

    private static final Duration LONGEST = Duration.ofHours(1);

    private final Duration fallback;
    private final Function<String, String> leaseName;
    private final Map<String, Seen> seen = new HashMap<>();
    private final Map<String, Instant> missingSince = new HashMap<>();

    /**
     * @param fallback  the duration of a Lease that does not state a sensible one, and how long an
     *                  owner must go without any Lease before it counts as gone
     * @param leaseName the Lease name of a replica identity
     */
    public ReplicaWatch(Duration fallback, Function<String, String> leaseName) {
        this.fallback = fallback;
        this.leaseName = leaseName;
    }

    /** Records the engine Leases read at {@code now} (all of them: one missing from the list is gone). */
    public synchronized void observe(List<Lease> leases, Instant now) {
        Map<String, Lease> byName = new HashMap<>();
        for (Lease l : leases) {
            byName.put(l.getMetadata().getName(), l);
        }
        seen.keySet().retainAll(byName.keySet());
        byName.forEach((name, l) -> {
            String holder = l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
            String change = l.getMetadata().getResourceVersion() + "/" + holder + "/"
                    + (l.getSpec() == null ? null : l.getSpec().getRenewTime());
            Seen before = seen.get(name);
            if (before == null || !before.change().equals(change)) {
                seen.put(name, new Seen(change, now, holder == null || holder.isEmpty() ? null : holder, duration(l)));
            }
        });
    }

    /** Whether replica {@code identity} holds a Lease that has not expired as this replica measures it. */
    public synchronized boolean live(String identity, Instant now) {
        Seen s = seen.get(leaseName.apply(identity));
        return s != null && identity.equals(s.holder()) && now.isBefore(s.at().plus(s.duration()));
    }

    /**
     * Whether {@code owner}'s rollouts may be taken: its Lease was released or has expired, or it has
     * had no Lease for the fallback duration since this replica first noticed (a replica that has just
     * started may not have been listed yet).
     */
    public synchronized boolean gone(String owner, Instant now) {
        String name = leaseName.apply(owner);
        Seen s = seen.get(name);
        if (s == null) {
            Instant since = missingSince.computeIfAbsent(name, k -> now);
            return !now.isBefore(since.plus(fallback));
        }
        missingSince.remove(name);
        return !live(owner, now);
    }

    /** The replicas live at {@code now}, by identity. */
    public synchronized List<String> live(Instant now) {
        return seen.values().stream().filter(s -> s.holder() != null && now.isBefore(s.at().plus(s.duration())))
                .map(Seen::holder).sorted().toList();
    }

    private Duration duration(Lease l) {
        Integer seconds = l.getSpec() == null ? null : l.getSpec().getLeaseDurationSeconds();
        if (seconds == null || seconds < 1 || seconds > LONGEST.toSeconds()) {
            return fallback;
        }
        return Duration.ofSeconds(seconds);
    }
}
