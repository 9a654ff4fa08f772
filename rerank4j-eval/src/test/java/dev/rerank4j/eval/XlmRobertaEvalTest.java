package dev.rerank4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rerank4j.api.Embedder;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.LongDocuments;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eval with XLM-R at both stages: xlmr-mini-mean as the dense first stage, xlmr-mini reranking in windows. */
class XlmRobertaEvalTest {
    static final Path XLMR_MINI = Path.of("../testdata/models/xlmr-mini");
    static final Path XLMR_MINI_MEAN = Path.of("../testdata/models/xlmr-mini-mean");
    static final Map<String, String> TEXTS = Map.of("d1", "Cats The cat sat on the mat.",
            "d2", "Dogs A dog barked at the cat.", "d3", "Birds sing in the morning.");

    @TempDir
    Path dir;

    @Test
    void denseFirstStageThenChunkedRerankingScoreAsTheApiDoes() throws IOException {
        TinyBeir.write(dir);
        EvalSettings dense = EvalSettings.defaults(dir).withTopK(3).withFirstStage(new FirstStageSpec.Dense(XLMR_MINI_MEAN));
        EvalResult first = Evaluation.run(dense, Progress.QUIET);
        EvalResult reranked = Evaluation.run(dense.withModel(XLMR_MINI).withLongDocuments(LongDocuments.CHUNK, 12, 2),
                Progress.QUIET);
        assertThat(reranked.modelId()).isEqualTo("xlmr-mini");
        assertThat(reranked.timings().pairs()).isEqualTo(3 * 3);
        try (Embedder e = Embedder.load(XLMR_MINI_MEAN, EngineOptions.defaults().withThreads(1));
                Reranker reranker = Reranker.load(XLMR_MINI, EngineOptions.defaults().withThreads(1))) {
            float[] q = e.embed(List.of("cats"))[0];
            for (Hit h : first.finalRun().of("q1")) {
                float[] d = e.embed(List.of(TEXTS.get(h.docId())))[0];
                double cos = 0;
                for (int c = 0; c < q.length; c++) {
                    cos += q[c] * d[c];
                }
                assertThat(h.score()).as(h.docId()).isCloseTo(cos, within(1e-5));
            }
            ScoreOptions chunk = new ScoreOptions(12, LongDocuments.CHUNK, 32, 2);
            for (Hit h : reranked.finalRun().of("q1")) {
                float direct = reranker.score(List.of(new TextPair("cats", TEXTS.get(h.docId()))), chunk).get(0).logit();
                assertThat(h.score()).as(h.docId()).isCloseTo(direct, within(1e-5));
            }
        }
    }
}
