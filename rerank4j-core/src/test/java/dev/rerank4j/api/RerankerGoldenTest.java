package dev.rerank4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rerank4j.model.Padding;
import dev.rerank4j.testing.Golden;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Truncation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** From text to logit: the tokenizer's ids and the encoder's logits both match the reference. */
class RerankerGoldenTest {
    static Engine engine;
    static Reranker reranker;

    @BeforeAll
    static void load() {
        engine = Engine.load(Golden.JINABERT_MINI, EngineOptions.defaults().withThreads(2));
        reranker = engine.reranker();
    }

    @AfterAll
    static void close() {
        reranker.close();
    }

    @Test
    void textsGiveTheReferenceIdsAndLogits() {
        List<Golden.Pair> golden = Golden.pairs();
        List<TextPair> pairs = golden.stream().map(p -> new TextPair(p.query(), p.document())).toList();
        assertThat(reranker.defaultMaxLength()).isEqualTo(8192);
        List<PairScore> scores = reranker.score(pairs);
        for (int i = 0; i < golden.size(); i++) {
            Golden.Pair p = golden.get(i);
            Encoding e = engine.tokenizer().encodePair(p.query(), p.document(), Truncation.longestFirst(8192));
            assertThat(e.ids()).as("ids of %s", p.id()).containsExactly(p.inputIds());
            assertThat(e.typeIds()).as("type ids of %s", p.id()).containsExactly(p.typeIds());
        }
        Golden.assertScores(scores, golden, Golden.Pair::tolerance);
    }

    @Test
    void aPaddedBatchInShuffledOrderGivesTheSameLogits() {
        List<Golden.Pair> golden = new ArrayList<>(Golden.pairs().stream().filter(p -> p.length() <= 512).toList());
        Collections.shuffle(golden, new Random(42));
        List<Encoding> encodings = golden.stream()
                .map(p -> engine.tokenizer().encodePair(p.query(), p.document(), Truncation.longestFirst(512)))
                .toList();
        var padded = engine.tokenizer().pad(encodings);
        assertThat(padded.sequenceLength()).isEqualTo(409);
        float[] logits = engine.model().logits(Padding.unpad(padded), engine.pool());
        for (int i = 0; i < golden.size(); i++) {
            assertThat((double) logits[i]).as("logit of %s", golden.get(i).id())
                    .isCloseTo(golden.get(i).expected(), within(1e-4));
        }
    }

    @Test
    void rankSortsBestFirstAndCountsTokens() {
        List<Golden.Pair> seed = Golden.pairs().subList(0, 10);
        String query = seed.get(0).query();
        List<String> docs = seed.stream().map(Golden.Pair::document).toList();
        Ranking r = reranker.rank(query, docs, RankOptions.defaults().withTopN(3).withReturnDocuments(true));
        assertThat(r.model()).isEqualTo("jinabert-mini");
        assertThat(r.totalTokens()).isEqualTo(seed.stream().mapToInt(Golden.Pair::length).sum());
        assertThat(r.results()).hasSize(3);
        // The reference logits, sorted: seed-4 (0.586), seed-2 (0.444), seed-7 (0.354).
        assertThat(r.results()).extracting(RankedDocument::index).containsExactly(4, 2, 7);
        assertThat(r.results().get(0).document()).isEqualTo(docs.get(4));
        assertThat(r.results().get(0).score()).isCloseTo(1 / (1 + Math.exp(-0.5864386551093866)), within(1e-5));
    }

    @Test
    void truncationCapsEveryPairAtMaxLength() {
        Golden.Pair longPair = Golden.pairs().stream().filter(p -> p.length() > 4000).findFirst().orElseThrow();
        List<PairScore> s = reranker.score(List.of(new TextPair(longPair.query(), longPair.document())),
                ScoreOptions.defaults().withMaxLength(128));
        assertThat(s.get(0).tokens()).isEqualTo(128);
        Encoding e = engine.tokenizer().encodePair(longPair.query(), longPair.document(), Truncation.longestFirst(128));
        float alone = engine.model().logits(
                dev.rerank4j.model.Batch.of(new int[][] {e.ids()}, new int[][] {e.typeIds()}), engine.pool())[0];
        // Equal up to float summation order: the Vector API's lane reductions differ between interpreted and JIT
        // code (seen: 2.2e-6), so the bound is the golden tests' own.
        assertThat(s.get(0).logit()).isCloseTo(alone, within(1e-5f));
    }
}
