package io.cutover.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void aStringLiteralEscapesQuotesBackslashesAndControlCharacters() {
        assertThat(PromQl.string("myapp")).isEqualTo("\"myapp\"");
        assertThat(PromQl.string("\"} or vector(1) #")).isEqualTo("\"\\\"} or vector(1) #\"");
        assertThat(PromQl.string("a\\b")).isEqualTo("\"a\\\\b\"");
        assertThat(PromQl.string("line\nbreak\ttab\u0001")).isEqualTo("\"line\\nbreak\\ttab\\x01\"");
        assertThat(PromQl.string("naïve ✓")).isEqualTo("\"naïve ✓\"");
    }

    @Test
    void aRegexLiteralMatchesOnlyTheValue() {
        assertThat(PromQl.regex("v1.2")).isEqualTo("\"v1\\\\.2\"");
        assertThat(PromQl.regex(".*")).isEqualTo("\"\\\\.\\\\*\"");
        assertThat(PromQl.regex("a|b(c)[d]{2}^$+?")).isEqualTo("\"a\\\\|b\\\\(c\\\\)\\\\[d\\\\]\\\\{2\\\\}\\\\^\\\\$\\\\+\\\\?\"");
    }

    @Test
    void textThatIsNotUnicodeIsRefused() {
        assertThatThrownBy(() -> PromQl.string("a\uD800b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate");
        assertThat(PromQl.string("\uD83D\uDE00")).isEqualTo("\"\uD83D\uDE00\"");
    }

    @Test
    void labelNamesAreChecked() {
        assertThat(PromQl.labelName("destination_workload")).isEqualTo("destination_workload");
        assertThatThrownBy(() -> PromQl.labelName("service=\"x\"} or vector(1) #"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label name");
        assertThatThrownBy(() -> PromQl.labelName("1abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromQl.labelName("__name__")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> PromQl.labelName("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metricNamesAreCheckedAndKeywordsRefused() {
        assertThat(PromQl.metricName("job:http_requests:rate5m")).isEqualTo("job:http_requests:rate5m");
        assertThatThrownBy(() -> PromQl.metricName("or")).hasMessageContaining("keyword");
        assertThatThrownBy(() -> PromQl.metricName("up or vector(1)")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durationsUseTheLargestWholeUnit() {
        assertThat(PromQl.duration(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(PromQl.duration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(PromQl.duration(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(PromQl.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThatThrownBy(() -> PromQl.duration(Duration.ZERO)).hasMessageContaining("positive");
        assertThatThrownBy(() -> PromQl.duration(Duration.ofNanos(1500))).hasMessageContaining("milliseconds");
    }

    @Test
    void numbersArePlain() {
        assertThat(PromQl.number(0.99)).isEqualTo("0.99");
        assertThat(PromQl.number(0.5)).isEqualTo("0.5");
        assertThat(PromQl.number(1e-7)).isEqualTo("0.0000001");
        assertThatThrownBy(() -> PromQl.number(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
