package dev.rerank4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.kernels.ScalarKernels;
import dev.rerank4j.testing.Golden;
import dev.rerank4j.testing.MiniLmCrossEncoder;
import dev.rerank4j.testing.ModernBertFixtures;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Tokenizer;
import dev.rerank4j.tokenizer.Truncation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CLS head reads one row per sequence, so {@link Model#logits} runs the last layer for those rows alone: the
 * logits must be the same bits as with the last layer run for every token ({@link Model#logitsWithoutPruning}),
 * for each family whose head reads the first token, with both kernels, in a batch of mixed lengths (1 token to
 * past the attention block sizes) and alone.
 */
class LastLayerPruningTest {
    static ComputePool pool;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        pool = new ComputePool(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @Test
    void jinaBertLogitsAreTheSameBitsPruned() {
        assertPrunedEqualsFull(Golden.JINABERT_MINI, new ScalarKernels());
        assertPrunedEqualsFull(Golden.JINABERT_MINI, KernelsProvider.choose());
    }

    @Test
    void miniLmCrossEncoderLogitsAreTheSameBitsPruned() throws IOException {
        assertPrunedEqualsFull(MiniLmCrossEncoder.write(tmp.resolve("minilm")).dir(), KernelsProvider.choose());
    }

    @Test
    void xlmRobertaLogitsAreTheSameBitsPruned() {
        assertPrunedEqualsFull(Golden.XLMR_MINI, new ScalarKernels());
        assertPrunedEqualsFull(Golden.XLMR_MINI, KernelsProvider.choose());
    }

    @Test
    void debertaLogitsAreTheSameBitsPruned() {
        assertPrunedEqualsFull(Golden.DEBERTA_V3_MINI, new ScalarKernels());
        assertPrunedEqualsFull(Golden.DEBERTA_V3_MINI, KernelsProvider.choose());
    }

    /** classifier_pooling cls: global and sliding-window layers, rotary queries rotated for the first token only. */
    @Test
    void modernBertClsLogitsAreTheSameBitsPruned() {
        Path cls = ModernBertFixtures.crossEncoderWithConfig(tmp.resolve("modernbert-cls"),
                c -> c.put("classifier_pooling", "cls"));
        assertPrunedEqualsFull(cls, new ScalarKernels());
        assertPrunedEqualsFull(cls, KernelsProvider.choose());
    }

    private static void assertPrunedEqualsFull(Path dir, Kernels kernels) {
        Model model = Model.load(dir, kernels);
        Tokenizer tokenizer = Tokenizer.load(dir);
        Random random = new Random(7);
        List<Encoding> pairs = new ArrayList<>();
        for (int words : new int[] {0, 3, 17, 60, 150, 240}) {
            pairs.add(tokenizer.encodePair("which products suit sensitive skin", text(random, words),
                    Truncation.longestFirst(Math.min(300, model.maxPositions()))));
        }
        int[][] ids = pairs.stream().map(Encoding::ids).toArray(int[][]::new);
        int[][] types = pairs.stream().map(Encoding::typeIds).toArray(int[][]::new);
        Batch batch = Batch.of(ids, types);
        float[] pruned = model.logits(batch, pool);
        float[] full = model.logitsWithoutPruning(batch, pool);
        String what = dir.getFileName() + " with the " + kernels.name() + " kernels";
        assertThat(pruned).as(what).hasSize(ids.length * model.numLabels());
        assertThat(bits(pruned)).as(what + ": pruned vs full").containsExactly(bits(full));
        for (int s = 0; s < ids.length; s++) {
            Batch alone = Batch.of(new int[][] {ids[s]}, new int[][] {types[s]});
            assertThat(bits(model.logits(alone, pool))).as(what + ": sequence " + s + " alone")
                    .containsExactly(bits(java.util.Arrays.copyOfRange(full, s * model.numLabels(),
                            (s + 1) * model.numLabels())));
        }
    }

    private static final String[] WORDS = "organic skin care natural range cleansers toners for eco cotton".split(" ");

    private static String text(Random random, int words) {
        StringBuilder sb = new StringBuilder("x");
        for (int i = 0; i < words; i++) {
            sb.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }
}
