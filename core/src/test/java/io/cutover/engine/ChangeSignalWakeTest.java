package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Deployment;
import io.cutover.Rollout;
import io.cutover.RolloutEngine;
import io.cutover.Target;
import io.cutover.plan.Step;
import io.cutover.spi.ChangeSignal;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * "Wait until changed, or at most the poll interval": a change the target signals makes a waiting
 * rollout look at once on virtual time; without a signal the poll is the fallback.
 */
class ChangeSignalWakeTest {

    private static final Duration POLL = Duration.ofHours(1);
    private static final Deployment BLUE_GREEN = Deployment.blueGreen().build();

    /** A signal the test fires by hand, counting its listeners. */
    static final class ManualSignal implements ChangeSignal {
        final List<Runnable> listeners = new CopyOnWriteArrayList<>();

        @Override
        public Subscription subscribe(Runnable listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        void fire() {
            listeners.forEach(Runnable::run);
        }
    }

    /** The simulated workloads, but the candidate reads as ready exactly when {@link #ready} is set; status reads counted. */
    static final class HeldWorkloads implements Workloads {
        final Workloads delegate;
        volatile boolean ready;
        final AtomicInteger statusReads = new AtomicInteger();

        HeldWorkloads(Workloads delegate) {
            this.delegate = delegate;
        }

        @Override public void deploy(Revision revision, int replicas) { delegate.deploy(revision, replicas); }
        @Override public void scale(Role role, int replicas) { delegate.scale(role, replicas); }
        @Override public void promote(Revision revision) { delegate.promote(revision); }
        @Override public void retire(Role role) { delegate.retire(role); }

        @Override
        public WorkloadStatus status(Role role) {
            statusReads.incrementAndGet();
            WorkloadStatus s = delegate.status(role);
            if (role == Role.CANDIDATE && s.exists()) {
                int n = ready ? s.desired() : 0;
                return new WorkloadStatus(s.revision(), s.desired(), n, n, s.desired(), null);
            }
            return s;
        }
    }

    private final Fixture f = Fixture.allOrNothing();
    private final HeldWorkloads workloads = new HeldWorkloads(f.target.workloads());
    private final ManualSignal signal = new ManualSignal();

    private Rollout start(ChangeSignal changes) {
        Target target = f.target.toBuilder().workloads(workloads).changes(changes).build();
        RolloutEngine engine = RolloutEngine.builder().withScheduler(f.time).withClock(f.time.clock()).withStateStore(f.store)
                .pollInterval(POLL).build();
        Rollout rollout = engine.start("app", BLUE_GREEN, Fixture.V2, target);
        f.time.runUntil(() -> awaitingCandidate(rollout), Duration.ofMinutes(1));
        runDue(); // the first look at the candidate's readiness, which finds it not ready
        return rollout;
    }

    private static boolean awaitingCandidate(Rollout r) {
        return BLUE_GREEN.plan().steps().get(r.status().stepIndex()) instanceof Step.AwaitReady a && a.role() == Role.CANDIDATE;
    }

    /** Runs what is due now, without moving virtual time. */
    private void runDue() {
        f.time.runUntil(() -> false, Duration.ZERO);
    }

    @Test
    void a_signalled_change_ends_the_readiness_wait_at_once_without_virtual_time_passing() {
        Rollout rollout = start(signal);
        Instant waitingSince = f.time.now();
        assertThat(awaitingCandidate(rollout)).isTrue();
        assertThat(signal.listeners).as("the waiting rollout listens").hasSize(1);

        workloads.ready = true;
        signal.fire();
        runDue();

        assertThat(awaitingCandidate(rollout)).as("the candidate's readiness was seen on the signal").isFalse();
        assertThat(rollout.status().stepIndex()).isGreaterThan(1);
        assertThat(f.time.now()).as("no poll interval passed").isEqualTo(waitingSince);
    }

    @Test
    void without_a_signal_the_poll_interval_is_the_fallback() {
        Rollout rollout = start(ChangeSignal.NONE);
        workloads.ready = true;
        runDue();
        assertThat(awaitingCandidate(rollout)).as("nothing looks before the poll").isTrue();

        f.time.advance(POLL);

        assertThat(awaitingCandidate(rollout)).as("the poll saw it").isFalse();
    }

    @Test
    void a_signal_for_a_change_that_does_not_matter_looks_once_and_keeps_waiting() {
        Rollout rollout = start(signal);
        int reads = workloads.statusReads.get();

        signal.fire();
        signal.fire(); // a burst of events brings one look, not one per event
        runDue();

        assertThat(awaitingCandidate(rollout)).isTrue();
        assertThat(workloads.statusReads.get() - reads).as("status reads of the one look").isEqualTo(1);
        assertThat(signal.listeners).as("listening again for the next change, once").hasSize(1);

        workloads.ready = true;
        signal.fire();
        runDue();
        assertThat(awaitingCandidate(rollout)).isFalse();
    }

    @Test
    void a_finished_rollout_stops_listening() {
        Rollout rollout = start(signal);
        workloads.ready = true;
        signal.fire();
        f.time.runUntil(() -> rollout.phase().isTerminal(), Duration.ofHours(10));

        assertThat(rollout.phase().isTerminal()).isTrue();
        assertThat(signal.listeners).isEmpty();
    }
}
