package io.cutover.security;

import static io.cutover.gate.Gates.successRate;
import static io.cutover.hook.Hooks.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Deployment;
import io.cutover.Phase;
import io.cutover.gate.Gate;
import io.cutover.gate.GateContext;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.sim.Behaviour;
import io.cutover.sim.Scenario;
import io.cutover.sim.Simulation;
import io.cutover.sim.SimulationReport;
import io.cutover.spi.HookStage;
import io.cutover.spi.Revision;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Finding: "The simulator calls the real world". */
class SealedSimulationTest {

    private static final Scenario SCENARIO = Scenario.builder()
            .stable(Revision.of("v1", "app:v1"), 5, Behaviour.healthy())
            .candidate(Revision.of("v2", "app:v2"), Behaviour.healthy()).seed(7).build();

    private HostileServer approvals;

    @BeforeEach
    void start() throws IOException {
        approvals = new HostileServer().echo(200);
    }

    @AfterEach
    void stop() {
        approvals.close();
    }

    private Deployment withApprovalHook() {
        return Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(2)).gate(successRate(0.95))
                .hook(HookStage.BEFORE_TRAFFIC, webhook(approvals.uri("/approve")).named("approvals").build())
                .hook(HookStage.ON_COMPLETE, webhook(approvals.uri("/notify")).named("notify").build())
                .build();
    }

    @Test
    void aSimulationSendsNoWebhookAndStillRunsThePlan() {
        SimulationReport report = Simulation.run(withApprovalHook(), SCENARIO);

        assertThat(report.phase()).as(report.summary()).isEqualTo(Phase.SUCCEEDED);
        assertThat(approvals.requests()).as("requests that reached the real receiver").isZero();
    }

    @Test
    void aSimulationAllowedTheNetworkCallsTheHooks() {
        SimulationReport report = Simulation.runWithNetwork(withApprovalHook(), SCENARIO, event -> { });

        assertThat(report.phase()).as(report.summary()).isEqualTo(Phase.SUCCEEDED);
        assertThat(approvals.requests()).isEqualTo(2);
    }

    @Test
    void aGateWithALiveSourceOfItsOwnIsRefusedBeforeItIsQueried() {
        AtomicInteger queried = new AtomicInteger();
        Gate live = new Gate() {
            @Override
            public String name() {
                return "live-prometheus";
            }

            @Override
            public Measurement measure(GateContext context) {
                queried.incrementAndGet();
                return new Measurement(name(), Verdict.PASSED, 1, "queried production", context.now());
            }
        };
        Deployment canary = Deployment.canary().steps(25, 50).pauseBetween(Duration.ofMinutes(2)).gate(live).build();

        assertThatThrownBy(() -> Simulation.run(canary, SCENARIO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gate live-prometheus reads a source of its own")
                .hasMessageContaining("runWithNetwork");
        assertThat(queried).hasValue(0);
        assertThat(Simulation.runWithNetwork(canary, SCENARIO, e -> { }).phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(queried.get()).isPositive();
    }
}
