package dev.rerank4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.model.Batch;
import dev.rerank4j.testing.Golden;
import dev.rerank4j.testing.ModernBertFixtures;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Truncation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ModernBERT through the library: cross-encoder from texts, long documents, and the bi-encoder layout. */
class ModernBertApiTest {
    static Engine engine;
    static Reranker reranker;
    static List<Golden.Pair> golden;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void load() {
        engine = Engine.load(Golden.MODERNBERT_MINI, EngineOptions.defaults().withThreads(2));
        reranker = engine.reranker();
        golden = Golden.pairs(Golden.MODERNBERT_MINI);
    }

    @AfterAll
    static void close() {
        reranker.close();
    }

    @Test
    void textsGiveTheReferenceLogits() {
        assertThat(engine.architecture().name()).isEqualTo("MODERNBERT_CROSS_ENCODER");
        assertThat(reranker.defaultMaxLength()).isEqualTo(8192);
        List<PairScore> scores = reranker.score(golden.stream().map(p -> new TextPair(p.query(), p.document())).toList());
        Golden.assertScores(scores, golden, p -> 1e-4);
    }

    @Test
    void rankOrdersDocumentsByTheReferenceLogits() {
        List<Golden.Pair> some = golden.subList(0, 8);
        List<String> docs = some.stream().map(Golden.Pair::document).toList();
        String query = some.get(0).query();
        List<PairScore> scores = reranker.score(docs.stream().map(d -> new TextPair(query, d)).toList());
        Ranking r = reranker.rank(query, docs, RankOptions.defaults().withTopN(3));
        List<Integer> expected = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7));
        expected.sort(Comparator.comparingDouble((Integer i) -> -scores.get(i).logit()));
        assertThat(r.results()).extracting(RankedDocument::index).containsExactlyElementsOf(expected.subList(0, 3));
        assertThat(r.results().get(0).logit()).isEqualTo(scores.get(expected.get(0)).logit());
    }

    @Test
    void longDocumentsAreTruncatedChunkedOrReadWhole() {
        Golden.Pair longest = golden.stream().max(Comparator.comparingInt(Golden.Pair::length)).orElseThrow();
        assertThat(longest.length()).isEqualTo(2000);
        TextPair pair = new TextPair(longest.query(), longest.document());
        ScoreOptions at512 = ScoreOptions.defaults().withMaxLength(512);

        PairScore truncated = reranker.score(List.of(pair), at512.withLongDocuments(LongDocuments.TRUNCATE)).get(0);
        Encoding cut = engine.tokenizer().encodePair(pair.query(), pair.document(), Truncation.longestFirst(512));
        assertThat(truncated.tokens()).isEqualTo(512);
        assertThat(truncated.logit()).isEqualTo(logit(cut));

        PairScore chunked = reranker.score(List.of(pair), at512.withLongDocuments(LongDocuments.CHUNK)).get(0);
        List<Chunking.Window> windows = new Chunking(engine, 512, at512.chunkOverlap(), null, 0).windows(pair.query(), pair.document());
        assertThat(windows.size()).isGreaterThan(3);
        float best = Float.NEGATIVE_INFINITY;
        for (Chunking.Window w : windows) {
            best = Math.max(best, logit(engine.tokenizer().encodePair(pair.query(),
                    pair.document().substring(w.startChar(), w.endChar()), Truncation.longestFirst(512))));
        }
        assertThat(chunked.logit()).isCloseTo(best, within(1e-6f));

        PairScore whole = reranker.score(List.of(pair), at512.withLongDocuments(LongDocuments.FULL)).get(0);
        assertThat(whole.tokens()).isEqualTo(2000);
        assertThat((double) whole.logit()).isCloseTo(longest.expected(), within(1e-4));
    }

    private static float logit(Encoding e) {
        return engine.model().logits(Batch.of(new int[][] {e.ids()}, null), engine.pool())[0];
    }

    @Test
    void aBiEncoderDirectoryEmbedsAsTheReferenceHiddenStatesPool() throws IOException {
        List<JsonNode> reference = new ArrayList<>();
        for (String line : Files.readAllLines(Golden.MODERNBERT_MINI.resolve("hidden_states.jsonl"))) {
            reference.add(new ObjectMapper().readTree(line));
        }
        List<String> texts = reference.stream().map(n -> n.get("text").asText()).toList();
        for (String mode : List.of("mean", "cls")) {
            try (Engine bi = Engine.load(ModernBertFixtures.biEncoder(tmp.resolve(mode), mode),
                    EngineOptions.defaults().withThreads(2)); Embedder embedder = bi.embedder()) {
                assertThat(bi.architecture().name()).isEqualTo("MODERNBERT_BI_ENCODER");
                assertThat(embedder.dimension()).isEqualTo(72);
                assertThat(embedder.normalizes()).isFalse();
                float[][] vectors = embedder.embed(texts);
                for (int t = 0; t < texts.size(); t++) {
                    double[] expected = pooled(reference.get(t).get("last_hidden_state"), mode.equals("cls"));
                    for (int c = 0; c < expected.length; c++) {
                        assertThat((double) vectors[t][c]).as("%s embedding of text %d, dim %d", mode, t, c)
                                .isCloseTo(expected[c], within(1e-4));
                    }
                }
                Reranker byCosine = bi.reranker();
                float[][] unit = embedder.embed(texts, true, 0);
                float cos = 0;
                for (int c = 0; c < 72; c++) {
                    cos += unit[0][c] * unit[1][c];
                }
                assertThat(byCosine.score(List.of(new TextPair(texts.get(0), texts.get(1)))).get(0).score())
                        .as("%s bi-encoder reranking is cosine similarity", mode).isCloseTo(cos, within(1e-6));
            }
        }
    }

    private static double[] pooled(JsonNode rows, boolean cls) {
        double[] v = new double[rows.get(0).size()];
        for (int c = 0; c < v.length; c++) {
            if (cls) {
                v[c] = rows.get(0).get(c).asDouble();
                continue;
            }
            for (JsonNode row : rows) {
                v[c] += row.get(c).asDouble() / rows.size();
            }
        }
        return v;
    }
}
