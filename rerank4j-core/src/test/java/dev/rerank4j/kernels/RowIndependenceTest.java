package dev.rerank4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.weights.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What pruning a CLS model's last layer relies on, for both kernels: a row of a matrix multiply is the same bits
 * computed alone as inside any number of rows (whichever way the work is split into row bands or weight panels),
 * a range of outputs is the same bits as in the full product, and attention for a sequence's first queries is
 * the same bits as those rows of attention for all of them.
 */
class RowIndependenceTest {
    /** m, k, n: row counts on both sides of the row-band threshold (4 · threads · MR rows), ragged n and k. */
    private static final int[][] SHAPES = {{1, 7, 3}, {7, 96, 288}, {13, 100, 129}, {50, 384, 1152}, {130, 33, 65}};

    static ComputePool pool;
    final Kernels[] kernels = {new ScalarKernels(), new VectorKernels()};

    @BeforeAll
    static void start() {
        pool = new ComputePool(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @Test
    void aRowOfAMatrixProductIsTheSameBitsAloneAsAmongOtherRows() {
        RandomTensors rnd = new RandomTensors(3);
        for (Kernels k : kernels) {
            for (int[] s : SHAPES) {
                int m = s[0];
                int kk = s[1];
                int n = s[2];
                float[] a = rnd.floats(m * kk);
                Tensor t = rnd.matrix("w", n, kk);
                float[] bias = rnd.floats(n);
                for (Activation act : Activation.values()) {
                    PackedMatrix w = k.pack(t);
                    float[] all = new float[m * n];
                    k.matmul(a, m, w, bias, act, all, pool);
                    for (int i = 0; i < m; i += Math.max(1, m / 5)) {
                        float[] one = new float[n];
                        k.matmul(Arrays.copyOfRange(a, i * kk, (i + 1) * kk), 1, w, bias, act, one, pool);
                        assertThat(one).as("%s %s row %d of %s", k.name(), act, i, Arrays.toString(s))
                                .containsExactly(Arrays.copyOfRange(all, i * n, (i + 1) * n));
                    }
                }
                PackedMatrix gated = k.packGated(rnd.matrix("g", 2 * n, kk));
                float[] all = new float[m * n];
                k.matmulGated(a, m, gated, null, Activation.GELU, all, pool);
                float[] last = new float[n];
                k.matmulGated(Arrays.copyOfRange(a, (m - 1) * kk, m * kk), 1, gated, null, Activation.GELU, last, pool);
                assertThat(last).as("%s gated, last row of %s", k.name(), Arrays.toString(s))
                        .containsExactly(Arrays.copyOfRange(all, (m - 1) * n, m * n));
            }
        }
    }

    @Test
    void aRangeOfOutputsIsTheSameBitsAsInTheFullProductAndTheRestIsUntouched() {
        RandomTensors rnd = new RandomTensors(4);
        int m = 40;
        int kk = 96;
        int h = 96; // not a whole number of vector panels: the ranges start and end inside one
        float[] a = rnd.floats(m * kk);
        Tensor t = rnd.matrix("qkv", 3 * h, kk);
        float[] bias = rnd.floats(3 * h);
        for (Kernels k : kernels) {
            PackedMatrix w = k.pack(t);
            float[] full = new float[m * 3 * h];
            k.matmul(a, m, w, bias, Activation.IDENTITY, full, pool);
            for (int[] range : new int[][] {{h, 3 * h}, {0, h}, {5, 7}, {70, 200}, {0, 3 * h}}) {
                float[] part = new float[m * 3 * h];
                Arrays.fill(part, Float.NaN);
                k.matmul(a, m, w, range[0], range[1], bias, Activation.IDENTITY, part, 3 * h, pool);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < 3 * h; j++) {
                        boolean inside = j >= range[0] && j < range[1];
                        assertThat(Float.floatToRawIntBits(part[i * 3 * h + j])).as("%s outputs %s, row %d column %d",
                                k.name(), Arrays.toString(range), i, j)
                                .isEqualTo(Float.floatToRawIntBits(inside ? full[i * 3 * h + j] : Float.NaN));
                    }
                }
            }
            // a compact output: rows as wide as the range's end
            float[] queries = new float[m * h];
            k.matmul(a, m, w, 0, h, bias, Activation.IDENTITY, queries, h, pool);
            for (int i = 0; i < m; i++) {
                assertThat(Arrays.copyOfRange(queries, i * h, (i + 1) * h)).as("%s queries row %d", k.name(), i)
                        .containsExactly(Arrays.copyOfRange(full, i * 3 * h, i * 3 * h + h));
            }
        }
    }

    @Test
    void attentionForTheFirstQueriesIsTheSameBitsAsForAll() {
        RandomTensors rnd = new RandomTensors(5);
        int heads = 2;
        int headDim = 12;
        int hidden = heads * headDim;
        int before = 3;
        int span = 20;
        for (int len : new int[] {1, 2, 13, 64, 65, 130, 300}) {
            float[] qkv = rnd.floats((before + len) * 3 * hidden);
            int[] table = RelativeAttentionTest.indexTable(len, span);
            for (Kernels k : kernels) {
                PackedMatrix pk = k.pack(RandomTensors.tensor("pk", rnd.floats(2 * span * headDim), 2 * span, headDim));
                PackedMatrix pq = k.pack(RandomTensors.tensor("pq", rnd.floats(2 * span * headDim), 2 * span, headDim));
                for (String kind : new String[] {"global", "alibi", "window", "relative"}) {
                    float[] all = new float[(before + len) * hidden];
                    run(k, kind, qkv, all, before, len, len, heads, headDim, pk, pq, table);
                    for (int queries : new int[] {1, Math.min(len, 13)}) {
                        float[] some = new float[(before + len) * hidden];
                        Arrays.fill(some, Float.NaN);
                        run(k, kind, qkv, some, before, len, queries, heads, headDim, pk, pq, table);
                        int from = before * hidden;
                        int to = (before + queries) * hidden;
                        String what = k.name() + " " + kind + " len " + len + ", " + queries + " queries";
                        assertThat(Arrays.copyOfRange(some, from, to)).as(what)
                                .containsExactly(Arrays.copyOfRange(all, from, to));
                        float[] rest = new float[some.length - (to - from)];
                        Arrays.fill(rest, Float.NaN);
                        float[] outside = new float[rest.length];
                        System.arraycopy(some, 0, outside, 0, from);
                        System.arraycopy(some, to, outside, from, some.length - to);
                        assertThat(outside).as(what + ": other rows untouched").containsExactly(rest);
                    }
                }
            }
        }
    }

    private static void run(Kernels k, String kind, float[] qkv, float[] out, int start, int len, int queries,
            int heads, int headDim, PackedMatrix pk, PackedMatrix pq, int[] table) {
        for (int h = 0; h < heads; h++) {
            switch (kind) {
                case "global" -> k.attention(qkv, out, start, len, queries, heads, headDim, h, 0f);
                case "alibi" -> k.attention(qkv, out, start, len, queries, heads, headDim, h, 0.25f / (h + 1));
                case "window" -> k.attentionWindow(qkv, out, start, len, queries, heads, headDim, h, 40);
                default -> k.relativeAttention(qkv, out, start, len, queries, heads, headDim, h, pk, pq, table,
                        len - 1, 0.3f);
            }
        }
    }
}
