package io.cutover.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Phase;
import org.junit.jupiter.api.Test;

class BaselineComparisonDemoTest {

    @Test
    void theThresholdPromotesTheSlowerCandidateAndTheJudgeRollsItBack() {
        BaselineComparisonDemo.Outcome o = BaselineComparisonDemo.run(7);
        assertThat(o.threshold().phase()).as(o.threshold().summary()).isEqualTo(Phase.SUCCEEDED);
        assertThat(o.judged().phase()).as(o.judged().summary()).isEqualTo(Phase.ABORTED);
        assertThat(o.judged().reason()).contains("p99 HIGH");
        assertThat(o.judged().violations()).isEmpty();
    }
}
