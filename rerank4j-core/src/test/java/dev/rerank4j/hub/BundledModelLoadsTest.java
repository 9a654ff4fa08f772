package dev.rerank4j.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.rerank4j.api.Embedder;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.Ranking;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.model.Architecture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The extracted bundled folder is an ordinary model to the loader: it embeds and ranks. */
class BundledModelLoadsTest {
    @TempDir
    Path home;

    @Test
    void bundledMiniLmLoadsAndRanksByCosine() {
        ResolvedModel bundled = new BundledMiniLm(home).resolve();

        try (Engine engine = Engine.load(bundled.directory(), EngineOptions.defaults().withThreads(2),
                bundled.modelId())) {
            assertThat(engine.architecture()).isEqualTo(Architecture.BERT_BI_ENCODER);
            assertThat(engine.defaultMaxLength()).isEqualTo(256);
            Embedder embedder = engine.embedder();
            assertThat(embedder.dimension()).isEqualTo(384);
            assertThat(embedder.normalizes()).isTrue();
            float[] v = embedder.embed(List.of("The capital of France is Paris."))[0];
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            assertThat(Math.sqrt(norm)).isCloseTo(1.0, offset(1e-5));

            Reranker reranker = engine.reranker();
            Ranking ranking = reranker.rank("What is the capital of France?", List.of(
                    "Bananas are yellow and rich in potassium.",
                    "Paris is the capital and largest city of France.",
                    "The stock market fell on Tuesday."));
            assertThat(ranking.model()).isEqualTo("sentence-transformers/all-MiniLM-L6-v2");
            assertThat(ranking.results().getFirst().index()).isEqualTo(1);
        }
    }
}
