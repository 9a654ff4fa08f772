package dev.rerank4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rerank4j.testing.Golden;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Truncation;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deberta-v3-mini through the library: from texts to the reference logits, ranking, and long documents. */
class DebertaRerankerTest {
    static Engine engine;
    static Reranker reranker;
    static List<Golden.Pair> golden;

    @BeforeAll
    static void load() {
        engine = Engine.load(Golden.DEBERTA_V3_MINI, EngineOptions.defaults().withThreads(2));
        reranker = engine.reranker();
        golden = Golden.pairs(Golden.DEBERTA_V3_MINI);
    }

    @AfterAll
    static void close() {
        reranker.close();
    }

    @Test
    void textsGiveTheReferenceIdsAndLogits() {
        assertThat(reranker.defaultMaxLength()).isEqualTo(512);
        assertThat(reranker.maxPositions()).isEqualTo(512);
        List<PairScore> scores = reranker.score(golden.stream().map(p -> new TextPair(p.query(), p.document())).toList());
        Golden.assertScores(scores, golden, p -> 1e-4);
    }

    @Test
    void rankSortsByTheReferenceLogits() {
        String query = golden.get(2).query();
        List<String> docs = golden.stream().map(Golden.Pair::document).toList();
        Ranking r = reranker.rank(query, docs, RankOptions.defaults().withTopN(3));
        assertThat(r.model()).isEqualTo("deberta-v3-mini");
        assertThat(r.results()).hasSize(3);
        List<Integer> order = IntStream.range(0, docs.size()).boxed()
                .sorted(Comparator.comparingDouble(i -> -r.results().stream().filter(x -> x.index() == i)
                        .mapToDouble(RankedDocument::logit).findFirst().orElse(Double.NEGATIVE_INFINITY)))
                .limit(3).toList();
        assertThat(r.results()).extracting(RankedDocument::index).containsExactlyElementsOf(order);
        for (int i = 1; i < 3; i++) {
            assertThat(r.results().get(i).score()).isLessThanOrEqualTo(r.results().get(i - 1).score());
        }
    }

    @Test
    void chunkingScoresALongDocumentByItsBestWindow() {
        Golden.Pair longest = golden.stream().max(Comparator.comparingInt(Golden.Pair::length)).orElseThrow();
        int maxLength = 96;
        ScoreOptions chunked = ScoreOptions.defaults().withMaxLength(maxLength).withLongDocuments(LongDocuments.CHUNK);
        PairScore s = reranker.score(List.of(new TextPair(longest.query(), longest.document())), chunked).get(0);
        List<Chunking.Window> windows = new Chunking(engine, maxLength, chunked.chunkOverlap(), null, 0)
                .windows(longest.query(), longest.document());
        assertThat(windows.size()).isGreaterThan(4);
        float best = Float.NEGATIVE_INFINITY;
        for (Chunking.Window w : windows) {
            String text = longest.document().substring(w.startChar(), w.endChar());
            Encoding e = engine.tokenizer().encodePair(longest.query(), text, Truncation.none());
            assertThat(e.length()).isLessThanOrEqualTo(maxLength);
            best = Math.max(best, engine.model().logits(
                    dev.rerank4j.model.Batch.of(new int[][] {e.ids()}, new int[][] {e.typeIds()}), engine.pool())[0]);
        }
        assertThat(s.logit()).isCloseTo(best, within(1e-5f));
    }

    @Test
    void fullModeUsesTheWhole512PositionsAndTruncateCutsAtMaxLength() {
        Golden.Pair longest = golden.stream().max(Comparator.comparingInt(Golden.Pair::length)).orElseThrow();
        TextPair pair = new TextPair(longest.query(), longest.document());
        ScoreOptions short64 = ScoreOptions.defaults().withMaxLength(64);
        PairScore full = reranker.score(List.of(pair), short64.withLongDocuments(LongDocuments.FULL)).get(0);
        assertThat(full.tokens()).isEqualTo(longest.length());
        assertThat((double) full.logit()).isCloseTo(longest.expected(), within(1e-4));
        assertThat(reranker.score(List.of(pair), short64).get(0).tokens()).isEqualTo(64);
    }
}
