package dev.rerank4j.model.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.kernels.ScalarKernels;
import dev.rerank4j.model.Batch;
import dev.rerank4j.model.Model;
import dev.rerank4j.testing.Qwen3Golden;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** qwen3-reranker-mini's reference yes/no logits reproduced from the given input_ids, alone and as one batch. */
class Qwen3GoldenIdsTest {
    static ComputePool pool;
    static DecoderModel model;

    @BeforeAll
    static void start() {
        pool = new ComputePool(2);
        model = (DecoderModel) Model.load(Qwen3Golden.DIR, KernelsProvider.choose());
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    static void assertMatches(float yes, float no, Qwen3Golden.Pair p) {
        assertThat((double) yes).as("%s logit_yes", p.id()).isCloseTo(p.yes(), within(1e-4));
        assertThat((double) no).as("%s logit_no", p.id()).isCloseTo(p.no(), within(1e-4));
        assertThat((double) (yes - no)).as("%s yes - no", p.id()).isCloseTo(p.difference(), within(1e-4));
    }

    @Test
    void everyPairAloneAndAsOneBatchMatchesTheFp64ReferenceWithTheSameBits() {
        assertThat(model.config().headDim()).isEqualTo(32);
        assertThat(model.outputs()).isEqualTo(2);
        List<Qwen3Golden.Pair> pairs = Qwen3Golden.pairs();
        List<Segment> whole = new ArrayList<>();
        for (Qwen3Golden.Pair p : pairs) {
            whole.add(Segment.whole(p.inputIds()));
        }
        int[][] ids = pairs.stream().map(Qwen3Golden.Pair::inputIds).toArray(int[][]::new);
        float[] batchYesNo = model.lastLogits(whole, pool);
        float[] batchShared = model.logits(Batch.of(ids, null), pool); // the batch's common prefix run once
        for (int i = 0; i < pairs.size(); i++) {
            float[] alone = model.lastLogits(List.of(whole.get(i)), pool);
            assertMatches(alone[0], alone[1], pairs.get(i));
            assertThat(new float[] {batchYesNo[2 * i], batchYesNo[2 * i + 1]}).containsExactly(alone);
            assertThat(Float.floatToRawIntBits(batchShared[i])).as(pairs.get(i).id())
                    .isEqualTo(Float.floatToRawIntBits(alone[0] - alone[1]));
        }
    }

    @Test
    void theCutIsACommonTokenPrefixAtLeastAsLongAsTheReferenceShareablePrefix() {
        List<Qwen3Golden.Pair> pairs = Qwen3Golden.pairs();
        int[][] ids = pairs.stream().map(Qwen3Golden.Pair::inputIds).toArray(int[][]::new);
        // pub-02, pub-03 and pub-04 share one query: their cut is at least the reference's shareable prefix
        assertThat(pairs.get(3).query()).isEqualTo(pairs.get(2).query());
        int cut = DecoderModel.sharedPrefix(new int[][] {ids[2], ids[3], ids[4]});
        assertThat(cut).isGreaterThanOrEqualTo(pairs.get(2).sharedPrefixLen()).isLessThan(ids[2].length);
        for (int[] other : new int[][] {ids[3], ids[4]}) {
            assertThat(java.util.Arrays.copyOf(other, cut)).containsExactly(java.util.Arrays.copyOf(ids[2], cut));
        }
    }

    @Test
    void aCachedPrefixGivesTheSameBitsAsTheWholePrompt() {
        for (Qwen3Golden.Pair p : Qwen3Golden.pairs()) {
            if (p.inputIds().length > 300) {
                continue; // the long pair's prefix sharing is covered by the batch test above
            }
            int cut = p.sharedPrefixLen();
            int[] ids = p.inputIds();
            KvCache prefix = model.prefill(java.util.Arrays.copyOf(ids, cut), pool);
            float[] cached = model.lastLogits(List.of(new Segment(prefix,
                    java.util.Arrays.copyOfRange(ids, cut, ids.length))), pool);
            float[] whole = model.lastLogits(List.of(Segment.whole(ids)), pool);
            assertThat(cached).as(p.id()).containsExactly(whole);
        }
    }

    @Test
    void scalarKernelsMatchTheReferenceToo() {
        DecoderModel scalar = (DecoderModel) Model.load(Qwen3Golden.DIR, new ScalarKernels());
        for (Qwen3Golden.Pair p : Qwen3Golden.pairs()) {
            if (p.inputIds().length > 200) {
                continue; // longer pairs run through the chosen kernels above; the scalar exponential is slow
            }
            float[] l = scalar.lastLogits(List.of(Segment.whole(p.inputIds())), pool);
            assertMatches(l[0], l[1], p);
        }
    }
}
