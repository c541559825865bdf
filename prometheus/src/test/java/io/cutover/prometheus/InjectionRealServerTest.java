package io.cutover.prometheus;

import static io.cutover.prometheus.server.TrafficDataset.AT;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.gate.GateContext;
import io.cutover.gate.Measurement;
import io.cutover.gate.Verdict;
import io.cutover.prometheus.server.PrometheusServer;
import io.cutover.prometheus.server.RealPrometheus;
import io.cutover.spi.HealthProbe;
import io.cutover.spi.MetricQuery;
import io.cutover.spi.MetricValue;
import io.cutover.spi.Revision;
import io.cutover.spi.Role;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On a real server, a hostile application name pasted into PromQL would make a gate pass; written by
 * the templates it only selects nothing.
 */
@ExtendWith(RealPrometheus.class)
class InjectionRealServerTest {

    private static final String HOSTILE = InjectionWireMockTest.HOSTILE;
    private static final String GATE = "http_requests_total{code=\"200\",service=\"${app}\"}";

    private final PrometheusClient client;
    private final PrometheusMetricSource source;

    InjectionRealServerTest(PrometheusServer server) {
        this.client = PrometheusClient.builder(server.uri()).build();
        this.source = PrometheusMetricSource.builder(client).build();
    }

    private Measurement measure(PromQlGate gate, String app) {
        return gate.measure(new GateContext("r", app, Revision.of("v2-bad", "img"), AT, source, HealthProbe.NONE));
    }

    @Test
    void pastedIntoTheQueryTheValueWouldMakeTheGatePass() {
        String pasted = GATE.replace("${app}", HOSTILE);
        assertThat(pasted).isEqualTo("http_requests_total{code=\"200\",service=\"\"} or vector(1) #\"}");
        assertThat(source.query(pasted, AT)).isEqualTo(MetricValue.of(1));
    }

    @Test
    void writtenByTheTemplateTheValueSelectsNothing() {
        Measurement m = measure(PromQlGate.builder(GATE).atLeast(0.95).build(), HOSTILE);
        assertThat(m.verdict()).as(m.detail()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(m.detail()).contains("no series");
    }

    @Test
    void inARegexTheValueMatchesOnlyItself() {
        String regexGate = "sum(rate(http_requests_total{service=~\"${app}\"}[5m]))";
        assertThat(source.query(regexGate.replace("${app}", ".*"), AT)).isEqualTo(MetricValue.of(140));
        Measurement m = measure(PromQlGate.builder(regexGate).atLeast(1).build(), ".*");
        assertThat(m.verdict()).as(m.detail()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(measure(PromQlGate.builder(regexGate).atLeast(1).build(), "myapp").verdict()).isEqualTo(Verdict.PASSED);
    }

    @Test
    void thePresetsSelectNothingForAHostileApplication() {
        MetricQuery q = new MetricQuery(HOSTILE, Revision.of("v2-bad", "img"), Role.CANDIDATE, Duration.ofMinutes(5), AT);
        assertThat(source.successRate(q)).isInstanceOf(MetricValue.NoData.class);
        assertThat(source.requestRate(q)).isInstanceOf(MetricValue.NoData.class);
    }
}
