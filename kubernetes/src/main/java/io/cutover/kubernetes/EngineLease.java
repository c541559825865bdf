package io.cutover.kubernetes;

import io.cutover.CutoverException;
import io.cutover.internal.Checks;
import io.cutover.kubernetes.internal.Kube;
import io.cutover.kubernetes.internal.Names;
import io.cutover.kubernetes.internal.Raw;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine replica's liveness: a {@code coordination.k8s.io/v1} Lease {@code cutover-engine-<identity>}
 * labelled {@value #LABEL}, renewed by {@link Fleet} on the engine's scheduler. Other replicas take
 * over this replica's rollouts once they have seen its Lease unrenewed for its duration.
 *
 * <p><b>Self-fencing.</b> {@link #held()} is true only while the last successful renewal, on this
 * replica's clock, is younger than the renew deadline (default two thirds of the duration, as
 * client-go's 10 s of 15 s). A replica that cannot renew stops writing before any other replica may
 * take its rollouts over: the gap between the two (a third of the duration) absorbs a write in flight.
 *
 * <p>Every renewal is one merge patch carrying the Lease's {@code resourceVersion}; a replica whose
 * Lease was changed by someone else gets a conflict and re-reads it at its next tick.
 */
public final class EngineLease {

    /** Label on every engine Lease; its value is {@value #LABEL_VALUE}. */
    public static final String LABEL = "cutover.io/engine-lease";
    /** Value of {@link #LABEL} on every engine Lease. */
    public static final String LABEL_VALUE = "true";

    private static final Logger LOG = LoggerFactory.getLogger(EngineLease.class);
    private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    private final KubernetesClient client;
    private final String namespace;
    private final String identity;
    private final Duration duration;
    private final Duration renewDeadline;
    private final Clock clock;
    private final Raw raw;
    private volatile Instant renewedAt;
    private volatile String version;

    private EngineLease(Builder b) {
        this.client = b.client;
        this.namespace = b.namespace;
        this.identity = b.identity;
        this.duration = b.duration;
        this.renewDeadline = b.renewDeadline != null ? b.renewDeadline : b.duration.multipliedBy(2).dividedBy(3);
        this.clock = b.clock;
        this.raw = new Raw(client);
    }

    /**
     * A lease for one replica in {@code namespace}; {@link Builder#identity} is required.
     *
     * @param client the client the Lease is written with
     * @param namespace the Lease's namespace
     * @return a new builder
     */
    public static Builder builder(KubernetesClient client, String namespace) {
        return new Builder(client, namespace);
    }

    /**
     * This replica's identity, which names the Lease and is its holder.
     *
     * @return the identity
     */
    public String identity() {
        return identity;
    }

    /**
     * How long the Lease lasts unrenewed before other replicas take this one's rollouts.
     *
     * @return the duration, in whole seconds
     */
    public Duration duration() {
        return duration;
    }

    /**
     * The Lease's object name.
     *
     * @return the object name
     */
    public String leaseName() {
        return leaseName(identity);
    }

    /**
     * The Lease object name of replica {@code identity}.
     *
     * @param identity a replica's identity
     * @return the object name
     */
    public static String leaseName(String identity) {
        return Names.objectName("cutover-engine-", identity);
    }

    /**
     * Whether this replica may write: its last renewal (measured on its own clock, from before the
     * request was sent) is younger than the renew deadline.
     *
     * @return true while the last renewal is younger than the renew deadline
     */
    public boolean held() {
        Instant at = renewedAt;
        return at != null && clock.instant().isBefore(at.plus(renewDeadline));
    }

    /**
     * Creates or renews the Lease. {@code current} is the Lease as last read (from a list), or
     * {@code null} when there is none: its {@code resourceVersion} guards the write.
     *
     * @return whether the Lease is this replica's and renewed now; false when another writer changed
     *         it since {@code current} was read (read again and retry at the next tick)
     * @throws CutoverException when the API server fails otherwise
     * @param current the Lease as last read, or {@code null} when there is none
     */
    public boolean renew(Lease current) {
        Instant now = clock.instant();
        String name = leaseName();
        try {
            if (current == null) {
                Lease created = new LeaseBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                        .addToLabels(LABEL, LABEL_VALUE)
                        .addToLabels(CutoverLabels.MANAGED_BY, CutoverLabels.MANAGED_BY_VALUE).endMetadata()
                        .withNewSpec().withHolderIdentity(identity).withLeaseDurationSeconds((int) duration.toSeconds())
                        .withAcquireTime(now.atZone(ZoneOffset.UTC)).withRenewTime(now.atZone(ZoneOffset.UTC))
                        .withLeaseTransitions(0).endSpec().build();
                Lease answer = Kube.call("create", "lease " + ref(name), () -> client.leases().inNamespace(namespace).resource(created).create());
                version = answer.getMetadata().getResourceVersion();
            } else {
                Map<String, Object> spec = new LinkedHashMap<>();
                if (!identity.equals(current.getSpec() == null ? null : current.getSpec().getHolderIdentity())) {
                    spec.put("holderIdentity", identity);
                    spec.put("acquireTime", micro(now));
                }
                spec.put("renewTime", micro(now));
                spec.put("leaseDurationSeconds", duration.toSeconds());
                version = patch(current.getMetadata().getResourceVersion(), spec);
            }
            renewedAt = now;
            return true;
        } catch (CutoverException e) {
            if (e.kind() == CutoverException.Kind.CONFLICT) {
                LOG.warn("lease {} was changed by someone else; it is read again at the next tick", ref(name));
                return false;
            }
            throw e;
        }
    }

    /**
     * Gives the Lease up (its holder cleared) so other replicas take this one's rollouts at their next
     * tick instead of after the duration. This replica is not {@link #held()} afterwards.
     */
    public void release() {
        String seen = version;
        renewedAt = null;
        if (seen == null) {
            return;
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("holderIdentity", null);
        try {
            patch(seen, spec);
        } catch (CutoverException e) {
            LOG.warn("releasing lease {} failed; other replicas take its rollouts once it expires: {}", ref(leaseName()), e.getMessage());
        }
    }

    private String patch(String resourceVersion, Map<String, Object> spec) {
        String name = leaseName();
        Map<String, Object> body = new LinkedHashMap<>();
        Raw.child(body, "metadata").put("resourceVersion", resourceVersion);
        body.put("spec", spec);
        String json = raw.json(body);
        Lease stub = new LeaseBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata().build();
        Lease answer = Kube.call("patch", "lease " + ref(name), () -> client.leases().inNamespace(namespace).resource(stub)
                .patch(PatchContext.of(PatchType.JSON_MERGE), json));
        return answer.getMetadata().getResourceVersion();
    }

    private static String micro(Instant instant) {
        return MICRO.format(instant.atZone(ZoneOffset.UTC));
    }

    private String ref(String name) {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return "EngineLease[" + ref(leaseName()) + ", holder " + identity + "]";
    }

    /** Builds an {@link EngineLease}: a 15-second lease (client-go's default), renew deadline two thirds of it, the system UTC clock. */
    public static final class Builder {
        private final KubernetesClient client;
        private final String namespace;
        private String identity;
        private Duration duration = Duration.ofSeconds(15);
        private Duration renewDeadline;
        private Clock clock = Clock.systemUTC();

        private Builder(KubernetesClient client, String namespace) {
            this.client = Objects.requireNonNull(client, "client");
            this.namespace = DeploymentWorkloads.requireName("namespace", namespace);
        }

        /**
         * This replica's identity, unique in the namespace (a pod name): it names the Lease and owns the rollouts.
         *
         * @param identity the identity, at most 253 printable characters
         * @return this builder
         */
        public Builder identity(String identity) {
            Checks.notBlank("identity", identity);
            if (identity.length() > 253 || identity.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("identity must be at most 253 printable characters: '" + identity + "'");
            }
            this.identity = identity;
            return this;
        }

        /**
         * How long the Lease lasts unrenewed before other replicas take this one's rollouts; whole seconds, at least 3.
         *
         * @param duration the duration (default 15 s)
         * @return this builder
         */
        public Builder duration(Duration duration) {
            Objects.requireNonNull(duration, "duration");
            if (duration.toSeconds() < 3 || duration.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException("lease duration must be whole seconds, at least 3: " + duration);
            }
            this.duration = duration;
            return this;
        }

        /**
         * How long after its last renewal this replica stops writing; must be shorter than the duration.
         *
         * @param renewDeadline the deadline, positive (default two thirds of the duration)
         * @return this builder
         */
        public Builder renewDeadline(Duration renewDeadline) {
            Objects.requireNonNull(renewDeadline, "renewDeadline");
            if (renewDeadline.isNegative() || renewDeadline.isZero()) {
                throw new IllegalArgumentException("renewDeadline must be positive: " + renewDeadline);
            }
            this.renewDeadline = renewDeadline;
            return this;
        }

        /**
         * The clock renewals are measured on (default the system UTC clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder withClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the lease; nothing is written until {@link EngineLease#renew}.
         *
         * @return the lease
         * @throws IllegalArgumentException if identity is missing or the renew deadline is not shorter than the duration
         */
        public EngineLease build() {
            if (identity == null) {
                throw new IllegalArgumentException("identity must be set: each engine replica needs its own");
            }
            if (renewDeadline != null && renewDeadline.compareTo(duration) >= 0) {
                throw new IllegalArgumentException("renewDeadline must be shorter than the lease duration " + duration + ": " + renewDeadline);
            }
            return new EngineLease(this);
        }
    }
}
