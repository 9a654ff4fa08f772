package dev.rerank4j.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.testing.Golden;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Truncation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ScoreOptions' truncation direction reaches the tokenizer: LEFT keeps a long document's end. */
class TruncationDirectionTest {

    @Test
    void leftTruncationScoresTheDocumentsEnd() {
        try (Engine engine = Engine.load(Golden.JINABERT_MINI, EngineOptions.defaults().withThreads(1))) {
            Reranker reranker = engine.reranker();
            String query = "which end of the document is kept";
            String doc = "the opening words of a long text. ".repeat(20) + "and a very different closing sentence";
            ScoreOptions right = ScoreOptions.defaults().withMaxLength(32);
            ScoreOptions left = right.withTruncationDirection(Truncation.Direction.LEFT);
            PairScore r = reranker.score(List.of(new TextPair(query, doc)), right).get(0);
            PairScore l = reranker.score(List.of(new TextPair(query, doc)), left).get(0);

            Encoding expected = engine.tokenizer().encodePair(query, doc,
                    new Truncation(32, Truncation.Strategy.LONGEST_FIRST, Truncation.Direction.LEFT));
            float[] logits = ((CrossEncoderReranker) reranker).scoreEncoded(List.of(expected), 1);
            assertThat(l.tokens()).isEqualTo(32);
            assertThat(l.logit()).isEqualTo(logits[0]);
            assertThat(Math.abs(l.logit() - r.logit())).isGreaterThan(1e-3f);
        }
    }
}
