package dev.rerank4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rerank4j.api.Embedder;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.LongDocuments;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.TextPair;
import dev.rerank4j.hub.BundledMiniLm;
import dev.rerank4j.tokenizer.Truncation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dense first stage and bi-encoder reranking with the real all-MiniLM-L6-v2. */
class BiEncoderEvalTest {
    @TempDir
    static Path shared;

    static Path model;
    static Engine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        model = new BundledMiniLm(shared.resolve("app")).resolve().directory();
        engine = Engine.load(model, EngineOptions.defaults().withThreads(2));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /** An embedder over the shared engine that leaves it open when closed. */
    private static Embedder embedder() {
        Embedder e = engine.embedder();
        return new Embedder() {
            public String modelId() {
                return e.modelId();
            }

            public int dimension() {
                return e.dimension();
            }

            public int defaultMaxLength() {
                return e.defaultMaxLength();
            }

            public boolean normalizes() {
                return e.normalizes();
            }

            public float[][] embed(List<String> texts, boolean normalize, int maxLength,
                                   Truncation.Direction direction) {
                return e.embed(texts, normalize, maxLength, direction);
            }

            public int[] tokenCounts(List<String> texts, int maxLength) {
                return e.tokenCounts(texts, maxLength);
            }

            public void close() {
            }
        };
    }

    @Test
    void embeddingScorerGivesTheBiEncoderRerankersCosines() {
        String query = "Which animals sleep during the day?";
        List<String> docs = List.of("Owls sleep by day.", "Night trains cross the country.", "Owls sleep by day.");
        Reranker reranker = engine.reranker();
        List<PairScore> expected = reranker.score(docs.stream().map(d -> new TextPair(query, d)).toList());
        try (EmbeddingScorer scorer = new EmbeddingScorer(EmbeddingCache.inMemory(embedder(), 0))) {
            double[] got = scorer.score(query, docs).values();
            for (int i = 0; i < docs.size(); i++) {
                // Not bit-equal: the scorer sums the cosine in double, the bi-encoder reranker in float.
                assertThat(got[i]).isCloseTo(expected.get(i).logit(), within(1e-5));
            }
            assertThat(got[0]).isGreaterThan(got[1]);
        }
    }

    @Test
    void cacheFileServesTheSameVectorsWithoutEmbeddingAgain() throws Exception {
        List<String> texts = List.of("Owls sleep by day.", "Bats sleep in caves.");
        float[][] first;
        try (EmbeddingCache cache = EmbeddingCache.inDirectory(dir, model, embedder(), 0)) {
            first = cache.embed(texts);
        }
        Path file;
        try (var files = Files.list(dir)) {
            file = files.findFirst().orElseThrow();
        }
        long size = Files.size(file);
        assertThat(size).isEqualTo(2 * (32 + 4 * 384));
        try (EmbeddingCache again = EmbeddingCache.inDirectory(dir, model, embedder(), 0)) {
            float[][] second = again.embed(texts);
            assertThat(second[0]).containsExactly(first[0]);
            assertThat(second[1]).containsExactly(first[1]);
        }
        assertThat(Files.size(file)).isEqualTo(size);
        // A torn last record (an interrupted run) is dropped, and that text is embedded again.
        Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), (int) size - 10));
        try (EmbeddingCache torn = EmbeddingCache.inDirectory(dir, model, embedder(), 0)) {
            assertThat(torn.embed(texts)[1]).containsExactly(first[1]);
        }
        assertThat(Files.size(file)).isEqualTo(size);
        try (EmbeddingCache repaired = EmbeddingCache.inDirectory(dir, model, embedder(), 0)) {
            assertThat(repaired.embed(texts)[0]).containsExactly(first[0]);
        }
        assertThat(Files.size(file)).isEqualTo(size);
    }

    @Test
    void denseFirstStageRetrievesByCosine() throws Exception {
        BeirDataset ds = TinyBeir.write(dir);
        try (DenseIndex index = DenseIndex.build(ds, EmbeddingCache.inMemory(embedder(), 0), Progress.QUIET)) {
            Run run = index.retrieve(Map.of("q2", "morning birds", "q3", "dog"), 2, Progress.QUIET);
            assertThat(run.of("q2")).hasSize(2).first().extracting(Hit::docId).isEqualTo("d3");
            assertThat(run.of("q3").get(0).docId()).isEqualTo("d2");
            assertThat(index.name()).startsWith("dense(");
        }
    }

    @Test
    void aBiEncoderRerankerOnlyTruncates() throws Exception {
        TinyBeir.write(dir);
        EvalSettings s = EvalSettings.defaults(dir).withModel(model).withLongDocuments(LongDocuments.CHUNK, 0, 32);
        assertThatThrownBy(() -> Evaluation.run(s, Progress.QUIET)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(model + ": a bi-encoder embeds each text on its own; long documents can only be truncated "
                        + "(got chunk)");
    }
}
