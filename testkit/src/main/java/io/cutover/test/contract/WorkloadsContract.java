package io.cutover.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Workloads} must do. An adapter's test extends this, returns a platform whose
 * stable runs {@link #stableRevision()} with at least one ready replica and no candidate, and lets
 * replicas become ready when {@link #settle()} is called (a test controller, a clock advance...).
 */
public abstract class WorkloadsContract {

    /** The workloads under test: a new one from {@link #newWorkloads()} before every test. */
    protected Workloads workloads;

    /**
     * Makes the workloads adapter for one test, stable already running.
     *
     * @return the adapter, with stable at its start revision and no candidate
     */
    protected abstract Workloads newWorkloads();

    /**
     * The revision name stable runs at the start.
     *
     * @return the stable revision's name, as the adapter reports it
     */
    protected abstract String stableRevision();

    /**
     * The revision the tests deploy as candidate.
     *
     * @return a revision named {@code v2} by default; override to deploy another image
     */
    protected Revision candidate() {
        return Revision.of("v2", "registry.example/app:v2");
    }

    /** Lets every replica that was asked for become ready. */
    protected abstract void settle();

    @BeforeEach
    void setUpWorkloads() {
        workloads = newWorkloads();
    }

    @Test
    void stableIsThereAndCandidateIsNot() {
        WorkloadStatus stable = workloads.status(Role.STABLE);
        assertThat(stable.revision()).isEqualTo(stableRevision());
        assertThat(stable.desired()).isPositive();
        WorkloadStatus candidate = workloads.status(Role.CANDIDATE);
        assertThat(!candidate.exists() || candidate.desired() == 0).as("candidate %s", candidate).isTrue();
    }

    @Test
    void deployRunsTheCandidateAndIsIdempotent() {
        workloads.deploy(candidate(), 2);
        workloads.deploy(candidate(), 2);
        settle();
        WorkloadStatus st = workloads.status(Role.CANDIDATE);
        assertThat(st.revision()).isEqualTo(candidate().name());
        assertThat(st.desired()).isEqualTo(2);
        assertThat(st.settled()).as("settled %s", st).isTrue();
        assertThat(workloads.status(Role.STABLE).revision()).isEqualTo(stableRevision());
    }

    @Test
    void scaleSetsTheDesiredCount() {
        workloads.deploy(candidate(), 1);
        workloads.scale(Role.CANDIDATE, 3);
        settle();
        assertThat(workloads.status(Role.CANDIDATE).desired()).isEqualTo(3);
        assertThat(workloads.status(Role.CANDIDATE).ready()).isEqualTo(3);
        workloads.scale(Role.CANDIDATE, 1);
        settle();
        assertThat(workloads.status(Role.CANDIDATE).desired()).isEqualTo(1);
    }

    @Test
    void promoteMakesTheCandidateStableAndIsIdempotent() {
        int stableReplicas = workloads.status(Role.STABLE).desired();
        workloads.deploy(candidate(), stableReplicas);
        settle();
        workloads.promote(candidate());
        settle();
        workloads.promote(candidate());
        settle();
        WorkloadStatus stable = workloads.status(Role.STABLE);
        assertThat(stable.revision()).isEqualTo(candidate().name());
        assertThat(stable.ready()).isGreaterThanOrEqualTo(stableReplicas);
    }

    @Test
    void retireScalesToZero() {
        workloads.deploy(candidate(), 2);
        settle();
        workloads.retire(Role.CANDIDATE);
        settle();
        WorkloadStatus st = workloads.status(Role.CANDIDATE);
        assertThat(!st.exists() || st.desired() == 0).as("candidate after retire %s", st).isTrue();
        assertThat(workloads.status(Role.STABLE).revision()).isEqualTo(stableRevision());
    }
}
