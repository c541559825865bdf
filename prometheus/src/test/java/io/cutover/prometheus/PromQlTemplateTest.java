package io.cutover.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PromQlTemplateTest {

    private static final String INJECTION = "\"} or vector(1) #";

    @Test
    void aValueInAStringIsEscapedSoTheStructureStays() {
        PromQlTemplate t = PromQlTemplate.of("sum(rate(http_requests_total{service=\"${app}\"}[5m]))");
        assertThat(t.render(Map.of("app", INJECTION)))
                .isEqualTo("sum(rate(http_requests_total{service=\"\\\"} or vector(1) #\"}[5m]))");
        assertThat(t.variables()).containsExactly("app");
    }

    @Test
    void aValueAfterARegexMatcherIsRegexQuotedToo() {
        PromQlTemplate t = PromQlTemplate.of("up{version=~\"${revision}\", job !~ '${job}-.*', code=\"${code}\"}");
        assertThat(t.render(Map.of("revision", "v1.2", "job", "a|b", "code", "5..")))
                .isEqualTo("up{version=~\"v1\\\\.2\", job !~ 'a\\\\|b-.*', code=\"5..\"}");
    }

    @Test
    void aSingleQuotedStringEscapesItsOwnQuote() {
        PromQlTemplate t = PromQlTemplate.of("up{service='${app}'}");
        assertThat(t.render(Map.of("app", "it's \"x\""))).isEqualTo("up{service='it\\'s \"x\"'}");
    }

    @Test
    void aRawStringRefusesABacktick() {
        PromQlTemplate t = PromQlTemplate.of("up{service=`${app}`}");
        assertThat(t.render(Map.of("app", "a\\b"))).isEqualTo("up{service=`a\\b`}");
        assertThatThrownBy(() -> t.render(Map.of("app", "a` or vector(1) #")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backtick");
    }

    @Test
    void aBareValueMustBeOneSafeToken() {
        PromQlTemplate t = PromQlTemplate.of("histogram_quantile(${q}, sum by (le) (rate(${metric}{a=\"b\"}[${window}])))");
        assertThat(t.render(Map.of("q", "0.99", "metric", "http_request_duration_seconds_bucket", "window", "5m")))
                .isEqualTo("histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{a=\"b\"}[5m])))");
        assertThatThrownBy(() -> t.render(Map.of("q", "0.99", "metric", "x", "window", "5m] or vector(1) #")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'window'");
        assertThatThrownBy(() -> t.render(Map.of("q", "1) or vector(1", "metric", "x", "window", "5m")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'q'");
        assertThatThrownBy(() -> t.render(Map.of("q", "0.9", "metric", "or", "window", "5m")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyword");
    }

    @Test
    void escapedQuotesInTheTemplateDoNotEndItsStrings() {
        PromQlTemplate t = PromQlTemplate.of("up{a=\"x\\\"${v}\"}");
        assertThat(t.render(Map.of("v", "\""))).isEqualTo("up{a=\"x\\\"\\\"\"}");
    }

    @Test
    void badTemplatesAreRefusedWhenParsed() {
        assertThatThrownBy(() -> PromQlTemplate.of("up # ${app}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("comment");
        assertThatThrownBy(() -> PromQlTemplate.of("up{a=\"${app}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> PromQlTemplate.of("up{a=\"${app\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("variable name");
        assertThatThrownBy(() -> PromQlTemplate.of(" ")).hasMessageContaining("blank");
        assertThat(PromQlTemplate.of("up # a comment\n+ ${x}").render(Map.of("x", "1"))).isEqualTo("up # a comment\n+ 1");
    }

    @Test
    void aMissingValueIsNamed() {
        assertThatThrownBy(() -> PromQlTemplate.of("up{a=\"${app}\"}").render(Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'app'");
    }
}
