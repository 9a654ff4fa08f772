package dev.rerank4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rerank4j.ModelFormatException;
import dev.rerank4j.model.Batch;
import dev.rerank4j.testing.Golden;
import dev.rerank4j.testing.SafetensorsWriter.Entry;
import dev.rerank4j.testing.XlmrFixtures;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Truncation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The xlmr-mini fixture (XLMRobertaForSequenceClassification in the bge-reranker layout) against the upstream
 * transformers code in float64: ids, logits alone and in a shuffled batch, limits, long documents.
 */
class XlmRobertaRerankerTest {
    private static final List<Golden.Pair> PAIRS = Golden.pairs(Golden.XLMR_MINI);
    private static Engine engine;
    private static Reranker reranker;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        engine = Engine.load(Golden.XLMR_MINI, EngineOptions.defaults().withThreads(2));
        reranker = engine.reranker();
    }

    @AfterAll
    static void close() {
        reranker.close();
    }

    private static float alone(int[] ids, int[] types) {
        return engine.model().logits(Batch.of(new int[][] {ids}, new int[][] {types}), engine.pool())[0];
    }

    @Test
    void recognisedWithTheTwoReservedPositions() {
        assertThat(engine.architecture().name()).isEqualTo("XLM_ROBERTA_CROSS_ENCODER");
        assertThat(engine.model().numLabels()).isEqualTo(1);
        // 514 rows in the position table; rows 0 and 1 are never a real token's (padding_idx = 1).
        assertThat(engine.maxPositions()).isEqualTo(512);
        assertThat(reranker.defaultMaxLength()).isEqualTo(512);
        assertThat(PAIRS).hasSize(21);
        assertThat(PAIRS.stream().mapToInt(Golden.Pair::length).max().orElseThrow()).isEqualTo(511);
    }

    @Test
    void everyGoldenPairFromItsIds() {
        double worst = 0;
        for (Golden.Pair p : PAIRS) {
            float logit = alone(p.inputIds(), p.typeIds());
            assertThat((double) logit).as(p.id()).isCloseTo(p.expected(), within(1e-4));
            worst = Math.max(worst, Math.abs(logit - p.expected()));
        }
        System.out.printf("xlmr-mini, 21 pairs from their ids: max |logit - logit_fp64| = %.2e%n", worst);
    }

    @Test
    void everyGoldenPairFromItsTextsWithTheReferenceIds() {
        List<TextPair> pairs = PAIRS.stream().map(p -> new TextPair(p.query(), p.document())).toList();
        List<PairScore> scores = reranker.score(pairs);
        for (int i = 0; i < PAIRS.size(); i++) {
            Golden.Pair p = PAIRS.get(i);
            Encoding e = engine.tokenizer().encodePair(p.query(), p.document(), Truncation.none());
            assertThat(e.ids()).as(p.id()).containsExactly(p.inputIds());
            assertThat(e.typeIds()).as(p.id()).containsExactly(p.typeIds());
        }
        Golden.assertScores(scores, PAIRS, p -> 1e-4);
    }

    @Test
    void oneShuffledBatchGivesEachPairsOwnLogit() {
        List<Golden.Pair> shuffled = new ArrayList<>(PAIRS);
        Collections.shuffle(shuffled, new Random(12));
        int[][] ids = shuffled.stream().map(Golden.Pair::inputIds).toArray(int[][]::new);
        int[][] types = shuffled.stream().map(Golden.Pair::typeIds).toArray(int[][]::new);
        float[] batch = engine.model().logits(Batch.of(ids, types), engine.pool());
        List<PairScore> viaApi = reranker.score(shuffled.stream().map(p -> new TextPair(p.query(), p.document()))
                .toList(), ScoreOptions.defaults().withBatchSize(64));
        for (int i = 0; i < shuffled.size(); i++) {
            Golden.Pair p = shuffled.get(i);
            assertThat((double) batch[i]).as(p.id()).isCloseTo(p.expected(), within(1e-4));
            // The same bits whatever the batch: its composition, the pair's position, the planner's order.
            assertThat(viaApi.get(i).logit()).as(p.id()).isEqualTo(batch[i]);
            assertThat(batch[i]).as(p.id()).isEqualTo(alone(p.inputIds(), p.typeIds()));
        }
    }

    @Test
    void rankingOrdersByTheReferenceScores() {
        // pub-02 and pub-03: one bees query, a relevant and a negative document.
        Golden.Pair first = PAIRS.get(2);
        List<Golden.Pair> same = PAIRS.stream().filter(p -> p.query().equals(first.query())).toList();
        assertThat(same).hasSize(2);
        Ranking r = reranker.rank(first.query(), same.stream().map(Golden.Pair::document).toList());
        double[] expected = same.stream().mapToDouble(Golden.Pair::expected).sorted().toArray();
        assertThat(r.results()).hasSize(same.size());
        assertThat((double) r.results().get(0).logit()).isCloseTo(expected[expected.length - 1], within(1e-4));
        assertThat((double) r.results().get(r.results().size() - 1).logit()).isCloseTo(expected[0], within(1e-4));
    }

    @Test
    void chunkWindowsFitThe512Positions() {
        StringBuilder doc = new StringBuilder();
        for (Golden.Pair p : PAIRS) {
            doc.append(p.document()).append(' ');
        }
        String query = PAIRS.get(1).query();
        assertThat(engine.tokenizer().encode(doc.toString(), Truncation.none()).length()).isGreaterThan(1000);
        // What the model reads: each window paired with the query, as Chunking hands it to the scorer.
        List<Integer> lengths = new ArrayList<>();
        CrossEncoderReranker cross = (CrossEncoderReranker) reranker;
        PairScore s = new Chunking(engine, reranker.defaultMaxLength(), 32, null, 0).score(
                List.of(new TextPair(query, doc.toString())), (encoded, batchSize) -> {
                    encoded.forEach(e -> lengths.add(e.length()));
                    return cross.scoreEncoded(encoded, batchSize);
                }, 32).get(0);
        assertThat(lengths).hasSizeGreaterThan(2).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(512));
        assertThat(lengths.get(0)).isGreaterThan(500);
        PairScore viaApi = reranker.score(List.of(new TextPair(query, doc.toString())),
                ScoreOptions.defaults().withLongDocuments(LongDocuments.CHUNK)).get(0);
        assertThat(viaApi.logit()).isEqualTo(s.logit());
        assertThat(viaApi.tokens()).isEqualTo(lengths.stream().mapToInt(Integer::intValue).sum());
        // FULL means the model's whole range: 512 tokens here, not the 514 rows of the table.
        PairScore full = reranker.score(List.of(new TextPair(query, doc.toString())),
                ScoreOptions.defaults().withLongDocuments(LongDocuments.FULL)).get(0);
        assertThat(full.tokens()).isEqualTo(512);
    }

    /** The fixture with position rows [from, to) replaced by other values. */
    private Path withPositionRows(String name, int from, int to) throws IOException {
        return XlmrFixtures.copy(tmp.resolve(name), (tensor, e) -> {
            if (!tensor.equals("roberta.embeddings.position_embeddings.weight")) {
                return e;
            }
            java.nio.FloatBuffer f = java.nio.ByteBuffer.wrap(e.data()).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            float[] table = new float[f.remaining()];
            f.get(table);
            for (int i = from * 96; i < to * 96; i++) {
                table[i] = 0.5f - table[i];
            }
            return Entry.f32(e.shape(), table);
        });
    }

    @Test
    void anInnerPaddingTokenTakesThePaddingRowAndIsNotCounted() throws IOException {
        // transformers: position ids = cumsum(id != 1) * (id != 1) + 1, so <s> x <pad> y </s> reads rows 2, 3, 1, 4, 5.
        int[] ids = {0, 4063, 1, 14, 2};
        int[] types = new int[ids.length];
        Batch b = Batch.of(new int[][] {ids}, new int[][] {types});
        float original = alone(ids, types);
        try (Engine beyond = Engine.load(withPositionRows("rows-6-up", 6, 514), EngineOptions.defaults().withThreads(2));
                Engine row1 = Engine.load(withPositionRows("row-1", 1, 2), EngineOptions.defaults().withThreads(2))) {
            assertThat(beyond.model().logits(b, beyond.pool())[0]).isEqualTo(original);
            assertThat(row1.model().logits(b, row1.pool())[0]).isNotEqualTo(original);
            int[] noPad = {0, 4063, 14, 2};
            assertThat(row1.model().logits(Batch.of(new int[][] {noPad}, new int[][] {new int[4]}), row1.pool())[0])
                    .isEqualTo(alone(noPad, new int[4]));
        }
    }

    @Test
    void aMaxLengthBeyondThePositionTableIsRefused() {
        assertThatThrownBy(() -> reranker.score(List.of(new TextPair("q", "d")),
                ScoreOptions.defaults().withMaxLength(513)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max length 513 exceeds the model's 512 positions (xlmr-mini)");
        assertThat(reranker.score(List.of(new TextPair("q", "d")), ScoreOptions.defaults().withMaxLength(512)))
                .hasSize(1);
    }

    @Test
    void aPositionTableShorterThanTheConfigSaysIsNamed() throws IOException {
        Path dir = XlmrFixtures.copy(tmp.resolve("m"), (name, e) -> e);
        XlmrFixtures.editConfig(dir, c -> c.put("max_position_embeddings", 8194));
        assertThatThrownBy(() -> Engine.load(dir, EngineOptions.defaults())).isInstanceOf(ModelFormatException.class)
                .hasMessage(dir.resolve("model.safetensors") + ": tensor 'roberta.embeddings.position_embeddings"
                        + ".weight' has shape [514, 96], expected [8194, 96]");
    }

    @Test
    void missingOutProjIsNamed() throws IOException {
        Path dir = XlmrFixtures.copy(tmp.resolve("m"), (name, e) -> name.startsWith("classifier.out_proj") ? null : e);
        assertThatThrownBy(() -> Engine.load(dir, EngineOptions.defaults())).isInstanceOf(ModelFormatException.class)
                .hasMessage(dir.resolve("model.safetensors") + ": tensor 'classifier.out_proj.weight' is missing: "
                        + "not a sequence-classification (cross-encoder) checkpoint");
    }

    @Test
    void misshapenOutProjIsNamed() throws IOException {
        Path narrow = XlmrFixtures.copy(tmp.resolve("narrow"), (name, e) -> name.equals("classifier.out_proj.weight")
                ? new Entry("F32", new int[] {1, 48}, Arrays.copyOf(e.data(), 48 * 4)) : e);
        assertThatThrownBy(() -> Engine.load(narrow, EngineOptions.defaults()))
                .hasMessage(narrow.resolve("model.safetensors") + ": tensor 'classifier.out_proj.weight' has shape "
                        + "[1, 48], expected [1, 96]");
        Path flat = XlmrFixtures.copy(tmp.resolve("flat"), (name, e) -> name.equals("classifier.out_proj.weight")
                ? new Entry("F32", new int[] {96}, e.data()) : e);
        assertThatThrownBy(() -> Engine.load(flat, EngineOptions.defaults()))
                .hasMessage(flat.resolve("model.safetensors") + ": tensor 'classifier.out_proj.weight' has shape "
                        + "[96], expected [num_labels, 96]");
        Path two = XlmrFixtures.copy(tmp.resolve("two"), (name, e) -> name.equals("classifier.out_proj.weight")
                ? new Entry("F32", new int[] {2, 96}, Arrays.copyOf(e.data(), 2 * 96 * 4)) : e);
        assertThatThrownBy(() -> Engine.load(two, EngineOptions.defaults()))
                .hasMessage(two.resolve("model.safetensors") + ": config says num_labels 1 but "
                        + "classifier.out_proj.weight has 2 rows");
    }
}
