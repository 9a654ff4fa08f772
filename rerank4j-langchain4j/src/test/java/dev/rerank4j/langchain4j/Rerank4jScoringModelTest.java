package dev.rerank4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ScoringModel contract over the random-weight JinaBERT fixture: one score per segment, in order. */
class Rerank4jScoringModelTest {
    private static final Path MODEL = Path.of("../testdata/models/jinabert-mini");

    @Test
    void scoresEverySegmentInOrderWithTheRerankersScore() {
        List<String> texts = List.of("Owls sleep by day.", "Trains run at night.", "Bats sleep in caves by day.");
        String query = "Which animals sleep during the day?";
        try (Rerank4jScoringModel model = new Rerank4jScoringModel(
                Reranker.load(MODEL, EngineOptions.defaults().withThreads(1)), ScoreOptions.defaults());
                Reranker direct = Reranker.load(MODEL, EngineOptions.defaults().withThreads(1))) {
            Response<List<Double>> response = model.scoreAll(texts.stream().map(TextSegment::from).toList(), query);
            List<PairScore> expected = direct.score(texts.stream().map(t -> new TextPair(query, t)).toList());
            assertThat(response.content()).hasSize(3);
            int tokens = 0;
            for (int i = 0; i < 3; i++) {
                assertThat(response.content().get(i)).isEqualTo(expected.get(i).score());
                tokens += expected.get(i).tokens();
            }
            assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(tokens);
            // The single-segment default of the interface goes through scoreAll.
            assertThat(model.score(texts.get(1), query).content()).isEqualTo(expected.get(1).score());
        }
    }

    @Test
    void noSegmentsGiveNoScores() {
        try (Rerank4jScoringModel model = new Rerank4jScoringModel(
                Reranker.load(MODEL, EngineOptions.defaults().withThreads(1)), ScoreOptions.defaults())) {
            assertThat(model.scoreAll(List.of(), "query").content()).isEmpty();
        }
    }
}
