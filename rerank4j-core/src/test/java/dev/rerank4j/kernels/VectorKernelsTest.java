package dev.rerank4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerank4j.weights.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The vector kernels against the scalar reference, on shapes that are not multiples of any block size. */
class VectorKernelsTest {
    private static final int[][] SHAPES = { // m, k, n
        {1, 1, 1}, {1, 7, 3}, {1, 384, 1}, {2, 5, 17}, {5, 17, 33}, {6, 16, 64}, {7, 384, 65}, {13, 100, 129},
        {37, 45, 200}, {50, 33, 31}, {130, 96, 288}};

    static ComputePool pool;
    final ScalarKernels scalar = new ScalarKernels();
    final VectorKernels vector = new VectorKernels();

    @BeforeAll
    static void start() {
        pool = new ComputePool(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @Test
    void matmulMatchesTheReferenceForEveryShapeActivationAndBias() {
        RandomTensors rnd = new RandomTensors(1);
        for (int[] s : SHAPES) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            float[] a = rnd.floats(m * k);
            Tensor w = rnd.matrix("w", n, k);
            for (float[] bias : new float[][] {null, rnd.floats(n)}) {
                for (Activation act : Activation.values()) {
                    float[] expected = new float[m * n];
                    float[] actual = new float[m * n];
                    scalar.matmul(a, m, scalar.pack(w), bias, act, expected, pool);
                    vector.matmul(a, m, vector.pack(w), bias, act, actual, pool);
                    assertClose(actual, expected, k, "matmul " + m + "x" + k + "x" + n + " " + act
                            + (bias == null ? "" : " +bias"));
                }
            }
        }
    }

    @Test
    void stackedBlocksPackAsOneMatrix() {
        RandomTensors rnd = new RandomTensors(2);
        int m = 9;
        int k = 21;
        float[] a = rnd.floats(m * k);
        Tensor q = rnd.matrix("q", 21, k);
        Tensor kk = rnd.matrix("k", 21, k);
        Tensor v = rnd.matrix("v", 10, k);
        float[] expected = new float[m * 52];
        float[] actual = new float[m * 52];
        scalar.matmul(a, m, scalar.pack(q, kk, v), null, Activation.IDENTITY, expected, pool);
        vector.matmul(a, m, vector.pack(q, kk, v), null, Activation.IDENTITY, actual, pool);
        assertClose(actual, expected, k, "stacked q, k, v");
        assertThat(vector.pack(q, kk, v).rows()).isEqualTo(52);
    }

    @Test
    void gatedMatmulMatchesTheReference() {
        RandomTensors rnd = new RandomTensors(3);
        for (int[] s : SHAPES) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            float[] a = rnd.floats(m * k);
            Tensor w = rnd.matrix("gated", 2 * n, k);
            for (float[] bias : new float[][] {null, rnd.floats(2 * n)}) {
                for (Activation act : new Activation[] {Activation.GELU, Activation.RELU}) {
                    float[] expected = new float[m * n];
                    float[] actual = new float[m * n];
                    scalar.matmulGated(a, m, scalar.packGated(w), bias, act, expected, pool);
                    vector.matmulGated(a, m, vector.packGated(w), bias, act, actual, pool);
                    assertClose(actual, expected, 2 * k, "gated " + m + "x" + k + "x" + n + " " + act);
                }
            }
        }
    }

    @Test
    void weightsPackedForOneUseAreRefusedByTheOther() {
        Tensor w = new RandomTensors(4).matrix("w", 8, 4);
        float[] c = new float[8];
        assertThatThrownBy(() -> vector.matmulGated(new float[4], 1, vector.pack(w), null, Activation.GELU, c,
                pool)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("packGated");
        assertThatThrownBy(() -> vector.packGated(new RandomTensors(4).matrix("odd", 7, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2n, in]");
    }

    @Test
    void layerNormMatchesTheReference() {
        RandomTensors rnd = new RandomTensors(5);
        for (int n : new int[] {1, 7, 16, 33, 96, 384}) {
            int m = 11;
            float[] gamma = rnd.floats(n);
            float[] beta = rnd.floats(n);
            for (float[] residual : new float[][] {null, rnd.floats(m * n)}) {
                float[] x = rnd.floats(m * n);
                for (int i = 0; i < x.length; i++) {
                    x[i] = x[i] * 3 + 0.5f; // an offset mean, as real activations have
                }
                float[] expected = x.clone();
                float[] actual = x.clone();
                scalar.addLayerNorm(expected, residual, m, n, gamma, beta, 1e-12f, pool);
                vector.addLayerNorm(actual, residual, m, n, gamma, beta, 1e-12f, pool);
                for (int i = 0; i < x.length; i++) {
                    assertThat(actual[i]).as("LayerNorm width %d, element %d", n, i)
                            .isCloseTo(expected[i], org.assertj.core.api.Assertions.within(2e-5f));
                }
            }
        }
    }

    @Test
    void attentionMatchesTheReferenceForAnyLengthHeadSizeAndSlope() {
        RandomTensors rnd = new RandomTensors(6);
        int heads = 3;
        for (int headDim : new int[] {8, 12, 16, 32, 64}) {
            for (int len : new int[] {1, 2, 7, 63, 64, 65, 130}) {
                for (float slope : new float[] {0f, 0.3f}) {
                    int before = 5; // the sequence sits after another one in the batch
                    int rows = before + len;
                    float[] qkv = rnd.floats(rows * 3 * heads * headDim);
                    for (int i = 0; i < qkv.length; i++) {
                        qkv[i] *= 2; // scores of a few units, so the softmax is neither flat nor one-hot
                    }
                    float[] expected = new float[rows * heads * headDim];
                    float[] actual = new float[rows * heads * headDim];
                    for (int h = 0; h < heads; h++) {
                        scalar.attention(qkv, expected, before, len, len, heads, headDim, h, slope);
                        vector.attention(qkv, actual, before, len, len, heads, headDim, h, slope);
                    }
                    for (int i = 0; i < actual.length; i++) {
                        assertThat(actual[i]).as("attention d=%d len=%d slope=%s, element %d", headDim, len,
                                slope, i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(2e-6f));
                    }
                }
            }
        }
    }

    /**
     * Scores that rise by far more than the lazy-rescaling margin (e^16) from one key block to the next, and fall
     * again: the running max must move (earlier sums and outputs rescaled) and later blocks must be taken against it.
     */
    @Test
    void attentionFollowsAMaxThatJumpsBetweenKeyBlocks() {
        RandomTensors rnd = new RandomTensors(8);
        int heads = 2;
        int headDim = 32;
        int hidden = heads * headDim;
        for (int len : new int[] {300, 600}) {
            float[] qkv = rnd.floats(len * 3 * hidden);
            for (int j = 0; j < len; j++) {
                // keys of the second and fourth blocks of 128 point along the queries, scores ~ +200
                float boost = (j / 128) % 2 == 1 ? 6f : 0f;
                for (int d = 0; d < hidden; d++) {
                    qkv[j * 3 * hidden + d] = Math.abs(qkv[j * 3 * hidden + d]) + 0.5f;
                    qkv[j * 3 * hidden + hidden + d] = qkv[j * 3 * hidden + hidden + d] * 0.1f + boost;
                }
            }
            for (float slope : new float[] {0f, 0.05f}) {
                float[] expected = new float[len * hidden];
                float[] actual = new float[len * hidden];
                for (int h = 0; h < heads; h++) {
                    scalar.attention(qkv, expected, 0, len, len, heads, headDim, h, slope);
                    vector.attention(qkv, actual, 0, len, len, heads, headDim, h, slope);
                }
                for (int i = 0; i < actual.length; i++) {
                    assertThat(actual[i]).as("len=%d slope=%s, element %d", len, slope, i)
                            .isCloseTo(expected[i], org.assertj.core.api.Assertions.within(2e-5f));
                }
            }
        }
    }

    /** Float rounding of a k-term dot product: a few ulps per term of the largest partial sums. */
    private static void assertClose(float[] actual, float[] expected, int k, String what) {
        for (int i = 0; i < expected.length; i++) {
            float tol = 4e-7f * k * Math.max(1f, Math.abs(expected[i]));
            assertThat(actual[i]).as("%s, element %d", what, i)
                    .isCloseTo(expected[i], org.assertj.core.api.Assertions.within(tol));
        }
    }
}
