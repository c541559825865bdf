package io.cutover.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.Deployment;
import io.cutover.spi.HeaderMatch;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Header regexes are checked as RE2 (Envoy's engine) reads them, when the strategy is built, not when Istio rejects the route. */
class HeaderRegexAsRe2Test {

    @ParameterizedTest
    @ValueSource(strings = {"(?=beta)b.*", "^(?!internal).*", "(?<=x)y", "(a)\\1", "(?<g>a)\\k<g>", "(?>ab)c", "a*+b", "x++", "a{2}+"})
    void a_construct_re2_lacks_is_refused_at_build_naming_the_parameter(String regex) {
        assertThatThrownBy(() -> Deployment.abTest().match(HeaderMatch.regex("x-group", regex)).duration(Duration.ofMinutes(5)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("header regex").hasMessageContaining("RE2").hasMessageContaining(regex);
    }

    @ParameterizedTest
    @ValueSource(strings = {"^beta-.*", "[(?=]x", "\\Q(?=a)\\1\\E.*", "(?i)canary", "a{2,3}", "[^\\]]+", "\\d+\\.\\d+"})
    void re2_syntax_is_accepted(String regex) {
        assertThat(HeaderMatch.regex("x-group", regex).value()).isEqualTo(regex);
    }

    @Test
    void the_cookie_match_cutover_writes_is_re2() {
        assertThat(HeaderMatch.cookie("canary", "yes").value()).contains("\\Q");
    }
}
