package io.cutover.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cutover.spi.Measure;
import io.cutover.spi.MetricSamples;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.ContinuityCorrection;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.PValueMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The U test and the shift interval agree with SciPy's {@code mannwhitneyu} on the reference table
 * {@code mann_whitney_reference.json}, made by {@code make_mann_whitney_table.py} next to it (its docstring
 * says how): ties, tiny samples, identical samples, an empty side, large samples and heavy tails.
 */
class MannWhitneyReferenceTest {

    private static final double TOLERANCE = 1e-9;

    static JsonNode table() throws IOException {
        try (InputStream in = MannWhitneyReferenceTest.class.getResourceAsStream("mann_whitney_reference.json")) {
            return JsonMapper.builder().build().readTree(in);
        }
    }

    static Stream<JsonNode> cases() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        table().get("cases").forEach(out::add);
        return out.stream();
    }

    @Test
    void theTableHoldsAtLeastFiftyCasesOfEveryKind() throws IOException {
        List<JsonNode> all = cases().toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(50);
        assertThat(all).anyMatch(c -> c.get("ties").asBoolean());
        assertThat(all).anyMatch(c -> c.has("nan"));
        assertThat(all).anyMatch(c -> c.get("x").size() >= 400);
        assertThat(all).anyMatch(c -> c.get("x").size() <= 2);
        assertThat(all).filteredOn(c -> c.has("ci")).hasSizeGreaterThanOrEqualTo(10);
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("cases")
    void pValuesAndStatisticsAgreeWithSciPyUsingTheSameMethod(JsonNode c) {
        double[] x = values(c.get("x"));
        double[] y = values(c.get("y"));
        AlternativeHypothesis alternative = alternative(c.get("alternative").asString());
        if (c.has("nan")) {
            assertThat(c.get("nan").asBoolean()).as("SciPy answers NaN for an empty side").isTrue();
            assertThatThrownBy(() -> MannWhitneyShift.test(x, y, alternative, 0.98)).isInstanceOf(IllegalArgumentException.class);
            MetricJudgment j = MetricClassifier.classify(ComparedMetric.of("m", Measure.errorRate()), samples(x), samples(y), 0.98, 0.25);
            assertThat(j.classification()).isEqualTo(Classification.NODATA);
            return;
        }
        PValueMethod method = c.get("method").asString().equals("exact") ? PValueMethod.EXACT : PValueMethod.ASYMPTOTIC;
        MannWhitneyUTest.Result r = MannWhitneyUTest.withDefaults().with(alternative).with(method)
                .with(ContinuityCorrection.ENABLED).test(x, y);
        String what = c.get("name").asString() + " " + c.get("alternative").asString() + " " + c.get("method").asString();
        assertThat(r.getStatistic()).as(what).isCloseTo(c.get("u").asDouble(), within(TOLERANCE));
        if (allTied(x, y)) {
            // the one place the libraries differ: no variance left, Commons answers NaN where SciPy says 1; ours follows SciPy
            assertThat(r.getPValue()).as(what).isNaN();
        } else {
            assertThat(r.getPValue()).as(what).isCloseTo(c.get("p").asDouble(), within(TOLERANCE));
        }

        boolean ourExact = !c.get("ties").asBoolean() && x.length < MannWhitneyShift.EXACT_BELOW && y.length < MannWhitneyShift.EXACT_BELOW;
        if (ourExact == (method == PValueMethod.EXACT)) {
            MannWhitneyShift.Result ours = MannWhitneyShift.test(x, y, alternative, 0.98);
            assertThat(ours.exact()).isEqualTo(ourExact);
            assertThat(ours.pValue()).as(what).isCloseTo(c.get("p").asDouble(), within(TOLERANCE));
        }
    }

    static Stream<JsonNode> intervals() throws IOException {
        return cases().filter(c -> c.has("ci"));
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("intervals")
    void theShiftEstimateAndItsIntervalAgreeWithInvertingSciPysExactTest(JsonNode c) {
        MannWhitneyShift.Result ours = MannWhitneyShift.test(values(c.get("x")), values(c.get("y")), AlternativeHypothesis.TWO_SIDED, 0.98);
        String what = c.get("name").asString();
        assertThat(ours.exact()).isTrue();
        assertThat(ours.estimate()).as(what).isCloseTo(c.get("hl").asDouble(), within(TOLERANCE));
        JsonNode ci = c.get("ci");
        if (ci.get(0).isNull()) {
            assertThat(ours.lower()).as(what).isEqualTo(Double.NEGATIVE_INFINITY);
        } else {
            assertThat(ours.lower()).as(what).isCloseTo(ci.get(0).asDouble(), within(TOLERANCE));
        }
        if (ci.get(1).isNull()) {
            assertThat(ours.upper()).as(what).isEqualTo(Double.POSITIVE_INFINITY);
        } else {
            assertThat(ours.upper()).as(what).isCloseTo(ci.get(1).asDouble(), within(TOLERANCE));
        }
    }

    @Test
    void theExactDistributionOfUSumsToOneAndIsSymmetric() {
        double[] p = MannWhitneyShift.exactDistribution(7, 11);
        double sum = 0;
        for (int u = 0; u < p.length; u++) {
            sum += p[u];
            assertThat(p[u]).isCloseTo(p[p.length - 1 - u], within(1e-15));
        }
        assertThat(sum).isCloseTo(1, within(1e-12));
        assertThat(p[0]).isCloseTo(1.0 / 31824, within(1e-15)); // one arrangement in C(18, 7)
    }

    private static boolean allTied(double[] x, double[] y) {
        return Stream.of(x, y).flatMapToDouble(java.util.Arrays::stream).distinct().count() == 1;
    }

    private static double[] values(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }

    private static MetricSamples samples(double[] v) {
        if (v.length == 0) {
            return MetricSamples.noData("empty side");
        }
        List<MetricSamples.Point> points = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            points.add(new MetricSamples.Point(Instant.ofEpochSecond(10L * i), v[i]));
        }
        return MetricSamples.of(points);
    }

    private static AlternativeHypothesis alternative(String scipy) {
        return switch (scipy) {
            case "greater" -> AlternativeHypothesis.GREATER_THAN;
            case "less" -> AlternativeHypothesis.LESS_THAN;
            default -> AlternativeHypothesis.TWO_SIDED;
        };
    }
}
