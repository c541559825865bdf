package io.cutover.kubernetes;

import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import io.cutover.spi.WorkloadStatus;
import io.cutover.spi.Workloads;

/**
 * The adapter's workloads with the test controller run before every status read and after every
 * write, so replicas become ready on the engine's virtual time ("polling the mock server inside the
 * engine's status reads").
 */
public final class ControlledWorkloads implements Workloads {

    private final Workloads delegate;
    private final FakeDeploymentController controller;
    private final Runnable afterReconcile;

    public ControlledWorkloads(Workloads delegate, FakeDeploymentController controller) {
        this(delegate, controller, () -> { });
    }

    /** Runs {@code afterReconcile} after each reconcile (a watch cache catching up with what the controller wrote). */
    public ControlledWorkloads(Workloads delegate, FakeDeploymentController controller, Runnable afterReconcile) {
        this.delegate = delegate;
        this.controller = controller;
        this.afterReconcile = afterReconcile;
    }

    private void reconcile() {
        controller.reconcile();
        afterReconcile.run();
    }

    @Override
    public void deploy(Revision revision, int replicas) {
        try {
            delegate.deploy(revision, replicas);
        } finally {
            reconcile();
        }
    }

    @Override
    public java.util.Optional<io.cutover.spi.WorkloadIdentity> identity(Role role) {
        return delegate.identity(role);
    }

    @Override public void scale(Role role, int replicas) { delegate.scale(role, replicas); reconcile(); }
    @Override public void promote(Revision revision) { delegate.promote(revision); reconcile(); }
    @Override public void retire(Role role) { delegate.retire(role); reconcile(); }

    @Override
    public WorkloadStatus status(Role role) {
        reconcile();
        return delegate.status(role);
    }
}
