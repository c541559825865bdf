package io.cutover.hook;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.cutover.spi.HeaderMatch;
import io.cutover.spi.HookContext;
import io.cutover.spi.Revision;
import io.cutover.spi.TrafficSplit;
import java.util.List;

/** The JSON a webhook receives: which rollout, which stage, which revisions, and where traffic stands. */
@JsonPropertyOrder({"rollout", "application", "stage", "candidate", "stableRevision", "split", "timestamp"})
record WebhookPayload(String rollout, String application, String stage, Candidate candidate,
                      String stableRevision, Split split, String timestamp) {

    @JsonPropertyOrder({"name", "artifact"})
    record Candidate(String name, String artifact) {

        static Candidate of(Revision r) {
            return r == null ? null : new Candidate(r.name(), r.artifact());
        }
    }

    @JsonPropertyOrder({"candidateWeight", "stableWeight", "mirrorPercent", "headerMatches"})
    record Split(int candidateWeight, int stableWeight, int mirrorPercent, List<Match> headerMatches) {

        static Split of(TrafficSplit s) {
            return s == null ? null : new Split(s.candidateWeight(), s.stableWeight(), s.mirrorPercent(),
                    s.candidateMatches().stream().map(Match::of).toList());
        }
    }

    @JsonPropertyOrder({"header", "kind", "value"})
    record Match(String header, String kind, String value) {

        static Match of(HeaderMatch m) {
            return new Match(m.header(), m.kind().name(), m.value());
        }
    }

    static WebhookPayload of(HookContext c) {
        return new WebhookPayload(c.rollout(), c.application(), c.stage() == null ? null : c.stage().name(),
                Candidate.of(c.candidate()), c.stableRevision(), Split.of(c.split()),
                c.at() == null ? null : c.at().toString());
    }
}
